#pragma once

// make_demo_video(): a synthetic test video (pattern, burnt-in timecode and frame-number
// strip, sine tone) as a finished HLS ladder under media_root/videos/<id>/, made with one
// FFmpeg run on first use and reused afterwards. The caller puts the returned metadata in
// the catalog; this code never touches it.
//
// Crash safety: FFmpeg writes into media_root/videos/.tmp-<id>-<8 hex>/; the output is
// checked (check_hls_vod), video.json is written last, and the directory is renamed into
// place in one step. So videos/<id>/ is either absent or complete, and a .tmp-<id>-*
// directory left by a crash is removed by the next call for that id.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "demo/demo_video_spec.hpp"
#include "util/expected.hpp"

namespace streamsync::server {

class StopSignal;

// A finished demo video, as recorded in its video.json. Paths are relative to the media
// root, with '/' separators (they are also URL paths under /media/).
struct DemoVideo {
  std::string id;
  std::string title;
  std::int64_t duration_us = 0;
  int fps = 0;
  // Master order: [{"name", "width", "height", "bandwidth" (bit/s, as in the master),
  // "codecs", "playlist" ("videos/<id>/720p/index.m3u8")}, ...]
  nlohmann::json renditions = nlohmann::json::array();
  std::string poster;  // "videos/<id>/poster.jpg"
  std::string master;  // "videos/<id>/master.m3u8"

  friend bool operator==(const DemoVideo&, const DemoVideo&) = default;
};

nlohmann::json to_json(const DemoVideo& video);
// The DemoVideo in json (the output of to_json), or what is missing or of the wrong type.
Expected<DemoVideo, std::string> demo_video_from_json(const nlohmann::json& json);

struct DemoVideoOptions {
  std::string ffmpeg = "ffmpeg";  // program name (looked up in PATH) or path
  // The burnt-in text's font (Debian: fonts-dejavu-core). If the file is missing,
  // drawtext's fontconfig default is used instead.
  std::filesystem::path font_file = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
  std::chrono::milliseconds timeout = std::chrono::minutes(10);  // for the FFmpeg run
  const StopSignal* stop = nullptr;  // stops FFmpeg (and fails the call) when signalled
  // Called on the calling thread with the fraction done, 0..1, as FFmpeg reports it.
  std::function<void(double fraction)> on_progress;
};

// The video described by spec under media_root/videos/<spec.id>/: reused without running
// FFmpeg when a complete one made from an equal spec is there (video.json present and
// equal spec, playlists check out); otherwise made with one FFmpeg run (replacing an
// incomplete or different one). Blocks for the FFmpeg run: seconds per second of
// 720p video on one core. Errors are sentences for the operator: an invalid spec, FFmpeg
// missing ("cannot run 'ffmpeg': No such file or directory"), FFmpeg failing (its exit
// and the last ~4 KB of its stderr), a failed output check, or a file system error.
// Concurrent calls for the same id in one media root are not supported (one server per
// data directory).
Expected<DemoVideo, std::string> make_demo_video(const DemoVideoSpec& spec,
                                                 const std::filesystem::path& media_root,
                                                 const DemoVideoOptions& options = {});

}  // namespace streamsync::server
