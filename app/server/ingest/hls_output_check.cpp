#include "ingest/hls_output_check.hpp"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>

#include "ingest/ingest_command.hpp"
#include "media/hls_playlist.hpp"

namespace streamsync::server {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kSegmentSlackUs = 500'000;
constexpr std::int64_t kDurationSlackUs = 500'000;

Unexpected<std::string> fail(std::string message) {
  return Unexpected(std::move(message));
}

bool non_empty_file(const fs::path& file) {
  std::error_code error;
  return fs::is_regular_file(file, error) && fs::file_size(file, error) > 0 && !error;
}

// A URI from a playlist that names a file inside dir: relative, no "..".
bool safe_relative(const std::string& uri) {
  const fs::path path(uri);
  if (uri.empty() || path.is_absolute() || uri.find("://") != std::string::npos) return false;
  for (const auto& part : path) {
    if (part == "..") return false;
  }
  return true;
}

Expected<std::string, std::string> read_text(const fs::path& file, const std::string& name) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail("missing " + name);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Expected<VerifiedRendition, std::string> check_rendition(const fs::path& out_dir,
                                                         const LadderPlan& plan,
                                                         const LadderRung& rung,
                                                         const VariantStream& variant) {
  VerifiedRendition rendition;
  rendition.name = rung.name;
  rendition.playlist = rung_playlist_path(rung);
  const std::string where = std::string(kMasterPlaylistFile) + " (" + rendition.playlist + ")";
  if (variant.uri != rendition.playlist) return fail(where + ": lists " + variant.uri);
  if (!variant.average_bandwidth || *variant.average_bandwidth <= 0 ||
      variant.bandwidth < *variant.average_bandwidth) {
    return fail(where + ": BANDWIDTH/AVERAGE-BANDWIDTH missing or inconsistent");
  }
  if (!variant.resolution || variant.resolution->width != rung.width ||
      variant.resolution->height != rung.height) {
    return fail(where + ": RESOLUTION is not " + std::to_string(rung.width) + "x" +
                std::to_string(rung.height));
  }
  if (!variant.frame_rate || std::abs(*variant.frame_rate - plan.frame_rate.value()) > 0.001) {
    return fail(where + ": FRAME-RATE missing or not the planned rate");
  }
  if (variant.codecs.find("avc1.") == std::string::npos ||
      variant.codecs.find("mp4a.40.2") == std::string::npos) {
    return fail(where + ": CODECS \"" + variant.codecs + "\" is not H.264 + AAC-LC");
  }
  rendition.width = rung.width;
  rendition.height = rung.height;
  rendition.bandwidth = variant.bandwidth;
  rendition.average_bandwidth = *variant.average_bandwidth;
  rendition.codecs = variant.codecs;

  auto text = read_text(out_dir / rendition.playlist, rendition.playlist);
  if (!text) return fail(text.error());
  auto playlist = parse_media_playlist(*text);
  if (!playlist) {
    return fail(rendition.playlist + " line " + std::to_string(playlist.error().line) + ": " +
                playlist.error().message);
  }
  if (!playlist->end_list) return fail(rendition.playlist + ": no EXT-X-ENDLIST");
  const fs::path dir = (out_dir / rendition.playlist).parent_path();
  if (plan.segment_format == SegmentFormat::fmp4 &&
      (!playlist->map_uri || !safe_relative(*playlist->map_uri) ||
       !non_empty_file(dir / *playlist->map_uri))) {
    return fail(rendition.playlist + ": init segment missing");
  }
  const std::int64_t longest_us =
      static_cast<std::int64_t>(plan.segment_seconds) * 1'000'000 + kSegmentSlackUs;
  for (const MediaSegment& segment : playlist->segments) {
    if (!safe_relative(segment.uri) || !non_empty_file(dir / segment.uri)) {
      return fail(rendition.playlist + ": segment " + segment.uri + " missing or empty");
    }
    if (segment.duration_us > longest_us) {
      return fail(rendition.playlist + ": segment " + segment.uri + " lasts " +
                  std::to_string(segment.duration_us / 1000) + " ms");
    }
  }
  rendition.segment_count = static_cast<int>(playlist->segments.size());
  rendition.duration_us = playlist->duration_us();
  if (std::llabs(rendition.duration_us - plan.duration_us) > kDurationSlackUs) {
    return fail(rendition.playlist + ": lasts " + std::to_string(rendition.duration_us / 1000) +
                " ms, the source " + std::to_string(plan.duration_us / 1000) + " ms");
  }
  return rendition;
}

}  // namespace

Expected<std::vector<VerifiedRendition>, std::string> verify_ingest_output(const fs::path& out_dir,
                                                                           const LadderPlan& plan) {
  auto text = read_text(out_dir / kMasterPlaylistFile, kMasterPlaylistFile);
  if (!text) return fail(text.error());
  if (text->find("#EXT-X-INDEPENDENT-SEGMENTS") == std::string::npos) {
    return fail(std::string(kMasterPlaylistFile) + ": no EXT-X-INDEPENDENT-SEGMENTS");
  }
  auto master = parse_master_playlist(*text);
  if (!master) {
    return fail(std::string(kMasterPlaylistFile) + " line " + std::to_string(master.error().line) +
                ": " + master.error().message);
  }
  if (master->variants.size() != plan.rungs.size()) {
    return fail(std::string(kMasterPlaylistFile) + ": " + std::to_string(master->variants.size()) +
                " variants, planned " + std::to_string(plan.rungs.size()));
  }

  std::vector<VerifiedRendition> renditions;
  for (std::size_t i = 0; i < plan.rungs.size(); ++i) {
    auto rendition = check_rendition(out_dir, plan, plan.rungs[i], master->variants[i]);
    if (!rendition) return fail(rendition.error());
    if (!renditions.empty() && rendition->segment_count != renditions.front().segment_count) {
      return fail(rendition->playlist + ": " + std::to_string(rendition->segment_count) +
                  " segments, " + renditions.front().playlist + " has " +
                  std::to_string(renditions.front().segment_count));
    }
    renditions.push_back(std::move(rendition).value());
  }
  for (const char* file : {kPosterFile, kSpriteFile, kThumbnailsVttFile}) {
    if (!non_empty_file(out_dir / file)) return fail(std::string("missing or empty ") + file);
  }
  return renditions;
}

}  // namespace streamsync::server
