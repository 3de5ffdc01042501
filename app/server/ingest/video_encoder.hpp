#pragma once

// The H.264 encoder of an ingest: a hardware one when the machine has one that works,
// else libx264. "Works" is proven by encoding one frame with the same options the ladder
// uses, once per process and encoder (a driver that is installed but broken is common).

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "util/expected.hpp"

namespace streamsync::server {

struct VideoEncoder {
  std::string name;  // FFmpeg's encoder: "libx264", "h264_nvenc", ...
  bool hardware = false;
  std::vector<std::string> global_args;  // before the input: device set-up
  std::string upload_filter;             // ends each rung's filter chain ("" for software)
  std::vector<std::string> codec_args;   // after "-c:v <name>": preset, profile, IDR options
};

// The encoders "auto" tries, in order: h264_vaapi (needs /dev/dri/renderD128), h264_nvenc,
// h264_qsv, h264_videotoolbox (macOS), then libx264, which is always last.
const std::vector<VideoEncoder>& known_encoders();

struct EncoderTestOptions {
  std::string ffmpeg = "ffmpeg";              // program, a path or a name looked up in PATH
  std::chrono::milliseconds timeout{15'000};  // per test encode
};

struct EncoderChoice {
  VideoEncoder encoder;
  // Why each encoder tried before it was passed over: "h264_nvenc: <FFmpeg's error>".
  std::vector<std::string> rejected;
};

// requested: "auto" (or empty) for the first encoder of known_encoders() whose one-frame
// test encode succeeds; or one of their names to force it (an error if it fails the test,
// never a silent fallback). Errors: "unknown encoder 'x' (known: ...)", "encoder h264_nvenc
// does not work: ...". Blocks for the test encodes (about 0.2 s each, cached per process
// and ffmpeg program: later calls return at once). Thread-safe.
Expected<EncoderChoice, std::string> select_encoder(std::string_view requested,
                                                    const EncoderTestOptions& options = {});

// The argv of the one-frame test encode (exposed for tests).
std::vector<std::string> encoder_test_args(const VideoEncoder& encoder, const std::string& ffmpeg);

}  // namespace streamsync::server
