#include "ingest/video_encoder.hpp"

#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <utility>

#include "process/child_process.hpp"

namespace streamsync::server {
namespace {

constexpr const char* kRenderNode = "/dev/dri/renderD128";

std::vector<VideoEncoder> make_known_encoders() {
  std::vector<VideoEncoder> encoders;
  // VAAPI (Intel, AMD on Linux): frames are uploaded to the GPU after scaling. Every I
  // frame is an IDR by default (idr_interval 0), so forced keyframes start segments.
  encoders.push_back({"h264_vaapi",
                      true,
                      {"-vaapi_device", kRenderNode},
                      "format=nv12,hwupload",
                      {"-profile:v", "high"}});
  // NVENC: forced keyframes as IDR, no scene-cut keyframes, GOP exactly as asked.
  encoders.push_back({"h264_nvenc",
                      true,
                      {},
                      "",
                      {"-preset", "p4", "-profile:v", "high", "-rc", "vbr", "-forced-idr", "1",
                       "-no-scenecut", "1", "-strict_gop", "1"}});
  // Quick Sync: system-memory NV12 frames are accepted directly.
  encoders.push_back({"h264_qsv",
                      true,
                      {},
                      "format=nv12",
                      {"-profile:v", "high", "-idr_interval", "0", "-look_ahead", "0"}});
  encoders.push_back({"h264_videotoolbox",
                      true,
                      {},
                      "format=nv12",
                      {"-profile:v", "high", "-allow_sw", "0", "-realtime", "0"}});
  // Software: veryfast keeps a 1080p ladder near real time on two cores.
  encoders.push_back({"libx264", false, {}, "", {"-preset", "veryfast", "-profile:v", "high"}});
  return encoders;
}

// Why this encoder cannot be tried here at all, without running anything.
std::optional<std::string> precondition(const VideoEncoder& encoder) {
  std::error_code error;
  if (encoder.name == "h264_vaapi" && !std::filesystem::exists(kRenderNode, error)) {
    return std::string("no ") + kRenderNode;
  }
#ifndef __APPLE__
  if (encoder.name == "h264_videotoolbox") return std::string("macOS only");
#endif
  return std::nullopt;
}

// The last non-empty line of FFmpeg's stderr, or how it ended.
std::string failure_reason(const ChildResult& result) {
  std::string tail = result.stderr_tail;
  while (!tail.empty() && (tail.back() == '\n' || tail.back() == '\r')) tail.pop_back();
  const auto newline = tail.find_last_of('\n');
  const std::string last = newline == std::string::npos ? tail : tail.substr(newline + 1);
  return last.empty() ? result.describe() : last;
}

// "" when the encoder works, else why not.
std::string test_encoder(const VideoEncoder& encoder, const EncoderTestOptions& options) {
  if (auto reason = precondition(encoder)) return *reason;
  ChildProcessOptions child;
  child.argv = encoder_test_args(encoder, options.ffmpeg);
  child.timeout = options.timeout;
  const auto result = run_child_process(child);
  if (!result) return result.error();
  if (!result->succeeded()) return failure_reason(*result);
  return "";
}

// Test results per (ffmpeg program, encoder): a process tests each at most once.
std::string cached_test(const VideoEncoder& encoder, const EncoderTestOptions& options) {
  static std::mutex mutex;
  static std::map<std::pair<std::string, std::string>, std::string> results;
  const auto key = std::make_pair(options.ffmpeg, encoder.name);
  {
    const std::lock_guard lock(mutex);
    if (const auto found = results.find(key); found != results.end()) return found->second;
  }
  std::string reason = test_encoder(encoder, options);
  const std::lock_guard lock(mutex);
  return results.emplace(key, std::move(reason)).first->second;
}

}  // namespace

const std::vector<VideoEncoder>& known_encoders() {
  static const std::vector<VideoEncoder> encoders = make_known_encoders();
  return encoders;
}

std::vector<std::string> encoder_test_args(const VideoEncoder& encoder, const std::string& ffmpeg) {
  std::vector<std::string> args = {ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error"};
  args.insert(args.end(), encoder.global_args.begin(), encoder.global_args.end());
  std::string filter = "format=yuv420p";
  if (!encoder.upload_filter.empty()) filter += "," + encoder.upload_filter;
  args.insert(args.end(), {"-f", "lavfi", "-i", "color=c=gray:size=256x144:rate=30:duration=0.1",
                           "-frames:v", "1", "-vf", filter, "-c:v", encoder.name});
  args.insert(args.end(), encoder.codec_args.begin(), encoder.codec_args.end());
  args.insert(args.end(), {"-g", "60", "-keyint_min", "60", "-flags", "+cgop", "-b:v", "500k", "-f",
                           "null", "-"});
  return args;
}

Expected<EncoderChoice, std::string> select_encoder(std::string_view requested,
                                                    const EncoderTestOptions& options) {
  const auto& encoders = known_encoders();
  if (!requested.empty() && requested != "auto") {
    for (const VideoEncoder& encoder : encoders) {
      if (encoder.name != requested) continue;
      const std::string reason = cached_test(encoder, options);
      if (!reason.empty()) {
        return Unexpected("encoder " + encoder.name + " does not work: " + reason);
      }
      return EncoderChoice{encoder, {}};
    }
    std::string names;
    for (const VideoEncoder& encoder : encoders)
      names += (names.empty() ? "" : ", ") + encoder.name;
    return Unexpected("unknown encoder '" + std::string(requested) + "' (known: auto, " + names +
                      ")");
  }

  EncoderChoice choice;
  for (const VideoEncoder& encoder : encoders) {
    const std::string reason = cached_test(encoder, options);
    if (reason.empty()) {
      choice.encoder = encoder;
      return choice;
    }
    choice.rejected.push_back(encoder.name + ": " + reason);
  }
  std::string reasons;
  for (const std::string& reason : choice.rejected)
    reasons += (reasons.empty() ? "" : "; ") + reason;
  return Unexpected("no H.264 encoder works: " + reasons);
}

}  // namespace streamsync::server
