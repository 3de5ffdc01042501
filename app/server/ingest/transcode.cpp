#include "ingest/transcode.hpp"

#include <fstream>
#include <optional>
#include <system_error>

#include "ingest/hls_master.hpp"
#include "ingest/hls_output_check.hpp"
#include "ingest/ingest_command.hpp"
#include "ingest/thumbnails_vtt.hpp"
#include "ingest/video_encoder.hpp"
#include "process/child_process.hpp"

namespace streamsync::server {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kStderrLinesInError = 4;

Unexpected<IngestError> failed(const std::string& why) {
  return Unexpected(IngestError{IngestErrorCode::transcode_failed, "transcode failed: " + why});
}

// The last few non-empty lines of FFmpeg's stderr, joined with "; ".
std::string stderr_summary(const std::string& tail) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < tail.size()) {
    std::size_t end = tail.find('\n', start);
    if (end == std::string::npos) end = tail.size();
    std::string line = tail.substr(start, end - start);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!line.empty()) lines.push_back(std::move(line));
    start = end + 1;
  }
  std::string summary;
  const std::size_t first =
      lines.size() > kStderrLinesInError ? lines.size() - kStderrLinesInError : 0;
  for (std::size_t i = first; i < lines.size(); ++i) {
    summary += (summary.empty() ? "" : "; ") + lines[i];
  }
  return summary;
}

bool write_file(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  return static_cast<bool>(out);
}

std::optional<IngestError> run_ffmpeg(const std::vector<std::string>& argv, const fs::path& out_dir,
                                      const ProbeResult& probe, const TranscodeOptions& options) {
  FfmpegProgressParser progress(probe.duration_us);
  ChildProcessOptions child;
  child.argv = argv;
  child.working_directory = out_dir;
  child.timeout = options.timeout;
  child.stop = options.stop;
  child.on_stdout_line = [&](std::string_view line) {
    if (auto update = progress.feed(line); update && options.on_progress)
      options.on_progress(*update);
  };
  const auto result = run_child_process(child);
  if (!result)
    return IngestError{IngestErrorCode::transcode_failed, "transcode failed: " + result.error()};
  if (result->stopped) return IngestError{IngestErrorCode::cancelled, "cancelled"};
  if (result->timed_out) {
    return IngestError{IngestErrorCode::transcode_failed,
                       "transcode failed: ffmpeg " + result->describe()};
  }
  if (!result->succeeded()) {
    const std::string details = stderr_summary(result->stderr_tail);
    return IngestError{
        IngestErrorCode::transcode_failed,
        "transcode failed: ffmpeg " + result->describe() + (details.empty() ? "" : ": " + details)};
  }
  return std::nullopt;
}

}  // namespace

Expected<TranscodeResult, IngestError> transcode_video(const fs::path& source,
                                                       const ProbeResult& probe,
                                                       const fs::path& out_dir,
                                                       const TranscodeOptions& options) {
  EncoderTestOptions test;
  test.ffmpeg = options.ffmpeg;
  const auto encoder = select_encoder(options.encoder, test);
  if (!encoder) return failed(encoder.error());

  TranscodeResult result;
  result.plan = plan_ladder(probe, options.ladder);
  result.encoder = encoder->encoder.name;
  std::error_code error;
  fs::create_directories(out_dir, error);
  if (error) return failed("cannot create " + out_dir.string() + ": " + error.message());

  const auto argv =
      ingest_ffmpeg_args(source, probe, result.plan, encoder->encoder, options.ffmpeg);
  if (auto failure = run_ffmpeg(argv, out_dir, probe, options))
    return Unexpected(std::move(*failure));

  // Our master replaces FFmpeg's (see hls_master.hpp); the thumbnails track is ours too.
  const auto entries = measure_master_entries(out_dir, result.plan, kFfmpegMasterPlaylistFile);
  if (!entries) return failed("output check: " + entries.error());
  if (!write_file(out_dir / kMasterPlaylistFile, master_playlist_text(*entries)) ||
      !write_file(out_dir / kThumbnailsVttFile,
                  thumbnails_vtt(result.plan.sprite, probe.duration_us, kSpriteFile))) {
    return failed("cannot write into " + out_dir.string());
  }
  fs::remove(out_dir / kFfmpegMasterPlaylistFile, error);

  const auto verified = verify_ingest_output(out_dir, result.plan);
  if (!verified) return failed("output check: " + verified.error());

  result.renditions = nlohmann::json::array();
  for (const VerifiedRendition& rendition : *verified) {
    result.renditions.push_back({{"name", rendition.name},
                                 {"width", rendition.width},
                                 {"height", rendition.height},
                                 {"bandwidth", rendition.bandwidth},
                                 {"average_bandwidth", rendition.average_bandwidth},
                                 {"codecs", rendition.codecs},
                                 {"playlist", rendition.playlist},
                                 {"segments", rendition.segment_count}});
  }
  result.master_playlist = kMasterPlaylistFile;
  result.poster = kPosterFile;
  result.sprite = kSpriteFile;
  result.thumbnails_vtt = kThumbnailsVttFile;
  result.duration_us = verified->front().duration_us;
  return result;
}

}  // namespace streamsync::server
