#pragma once

// transcode_video(): one ingest's FFmpeg run, from a probed source to a verified HLS
// directory (ladder, master playlist, poster, sprite sheet, thumbnails.vtt). The caller
// owns the directory's life: it passes a fresh temporary one and renames it into place
// once this returns a result (nothing here is half-published; on error, remove it).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "ingest/ffmpeg_progress.hpp"
#include "ingest/ingest_error.hpp"
#include "ingest/ladder.hpp"
#include "ingest/media_probe.hpp"
#include "util/expected.hpp"

namespace streamsync::server {

class StopSignal;

struct TranscodeOptions {
  std::string ffmpeg = "ffmpeg";  // program: a path, or a name looked up in PATH
  // "auto": the first working hardware encoder, else libx264; or a name to force one
  // (see video_encoder.hpp). A forced encoder that does not work fails the transcode.
  std::string encoder = "auto";
  std::chrono::milliseconds timeout{0};  // wall-clock limit for FFmpeg; zero: none
  const StopSignal* stop = nullptr;      // cancels the run when signalled; must outlive it
  // Called on the calling thread about twice a second, and once with finished = true.
  // Must not throw (a throw kills FFmpeg and propagates).
  std::function<void(const FfmpegProgress&)> on_progress;
  LadderOptions ladder;
};

struct TranscodeResult {
  // [{"name": "720p", "width": 1280, "height": 720, "bandwidth": 3327000,
  //   "average_bandwidth": 2910000, "codecs": "avc1.64001f,mp4a.40.2",
  //   "playlist": "720p/index.m3u8", "segments": 31}, ...], highest first.
  nlohmann::json renditions;
  std::string master_playlist;  // these paths are relative to out_dir
  std::string poster;
  std::string sprite;
  std::string thumbnails_vtt;
  std::int64_t duration_us = 0;  // of the output (the top rung's segments)
  std::string encoder;           // the FFmpeg encoder used, e.g. "libx264"
  LadderPlan plan;
};

// Transcodes source (probe = probe_media(source)) into out_dir, which is created if
// missing and should be empty. Blocks for the whole run. Errors:
//   cancelled         "cancelled" (options.stop was signalled)
//   transcode_failed  "transcode failed: <why>": no working encoder, FFmpeg could not be
//                     started, exited non-zero (with the tail of its stderr), timed out,
//                     or its output did not verify (verify_ingest_output's reason).
Expected<TranscodeResult, IngestError> transcode_video(const std::filesystem::path& source,
                                                       const ProbeResult& probe,
                                                       const std::filesystem::path& out_dir,
                                                       const TranscodeOptions& options = {});

}  // namespace streamsync::server
