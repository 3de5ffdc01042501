#include "ingest/hls_master.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <system_error>

#include "ingest/ingest_command.hpp"
#include "media/hls_playlist.hpp"

namespace streamsync::server {
namespace {

namespace fs = std::filesystem;

Expected<std::string, std::string> read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Unexpected("cannot read " + file.filename().string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::int64_t bits_per_second(std::uintmax_t bytes, std::int64_t duration_us) {
  return static_cast<std::int64_t>(
      std::ceil(static_cast<double>(bytes) * 8.0 * 1e6 / static_cast<double>(duration_us)));
}

}  // namespace

Expected<std::vector<MasterEntry>, std::string> measure_master_entries(
    const fs::path& out_dir, const LadderPlan& plan, const std::string& ffmpeg_master) {
  auto master_text = read_text(out_dir / ffmpeg_master);
  if (!master_text) return Unexpected(master_text.error());
  auto master = parse_master_playlist(*master_text);
  if (!master) {
    return Unexpected(ffmpeg_master + " line " + std::to_string(master.error().line) + ": " +
                      master.error().message);
  }

  std::vector<MasterEntry> entries;
  for (const LadderRung& rung : plan.rungs) {
    MasterEntry entry;
    entry.uri = rung_playlist_path(rung);
    entry.width = rung.width;
    entry.height = rung.height;
    entry.frame_rate = plan.frame_rate;
    const auto variant = std::find_if(master->variants.begin(), master->variants.end(),
                                      [&](const VariantStream& v) { return v.uri == entry.uri; });
    if (variant == master->variants.end() || variant->codecs.empty()) {
      return Unexpected(ffmpeg_master + " has no CODECS for " + entry.uri);
    }
    entry.codecs = variant->codecs;

    auto text = read_text(out_dir / entry.uri);
    if (!text) return Unexpected(text.error());
    auto playlist = parse_media_playlist(*text);
    if (!playlist) {
      return Unexpected(entry.uri + " line " + std::to_string(playlist.error().line) + ": " +
                        playlist.error().message);
    }
    const fs::path rung_dir = (out_dir / entry.uri).parent_path();
    const std::int64_t short_us = static_cast<std::int64_t>(plan.segment_seconds) * 500'000;
    std::uintmax_t total_bytes = 0;
    std::int64_t total_us = 0;
    std::int64_t peak = 0;
    std::int64_t peak_any = 0;  // including short segments, for a video of only those
    for (const MediaSegment& segment : playlist->segments) {
      std::error_code error;
      const std::uintmax_t bytes = fs::file_size(rung_dir / segment.uri, error);
      if (error) return Unexpected("missing segment " + rung.name + "/" + segment.uri);
      total_bytes += bytes;
      total_us += segment.duration_us;
      if (segment.duration_us <= 0) continue;
      const std::int64_t rate = bits_per_second(bytes, segment.duration_us);
      peak_any = std::max(peak_any, rate);
      if (segment.duration_us >= short_us) peak = std::max(peak, rate);
    }
    if (total_us <= 0) return Unexpected(entry.uri + " has no duration");
    entry.average_bandwidth = bits_per_second(total_bytes, total_us);
    entry.bandwidth = std::max(peak > 0 ? peak : peak_any, entry.average_bandwidth);
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::string master_playlist_text(const std::vector<MasterEntry>& entries) {
  std::string text = "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n";
  for (const MasterEntry& entry : entries) {
    char frame_rate[32];
    std::snprintf(frame_rate, sizeof frame_rate, "%.3f", entry.frame_rate.value());
    text += "#EXT-X-STREAM-INF:BANDWIDTH=" + std::to_string(entry.bandwidth) +
            ",AVERAGE-BANDWIDTH=" + std::to_string(entry.average_bandwidth) +
            ",RESOLUTION=" + std::to_string(entry.width) + "x" + std::to_string(entry.height) +
            ",FRAME-RATE=" + frame_rate + ",CODECS=\"" + entry.codecs + "\"\n" + entry.uri + "\n";
  }
  return text;
}

}  // namespace streamsync::server
