#include "demo/hls_check.hpp"

#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <string_view>
#include <system_error>

#include "media/hls_playlist.hpp"

namespace streamsync::server {
namespace {

namespace fs = std::filesystem;

// The whole file, or nullopt when it cannot be opened.
std::optional<std::string> read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// "<file>:<line>: <message>", or "<file>: <message>" when the fault is the whole text.
std::string describe(const fs::path& file, const PlaylistError& error) {
  return file.string() + (error.line == 0 ? "" : ":" + std::to_string(error.line)) + ": " +
         error.message;
}

// URIs we accept: relative, no "..", no scheme. Ours are all like "720p/index.m3u8".
bool is_inside(std::string_view uri) {
  if (uri.empty() || uri.front() == '/' || uri.find("://") != std::string_view::npos) return false;
  for (const auto& part : fs::path(uri)) {
    if (part == "..") return false;
  }
  return true;
}

bool is_non_empty_file(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(path, error) && fs::file_size(path, error) > 0 && !error;
}

// What is wrong with the file a URI of playlist names, if anything.
std::optional<std::string> check_file(const fs::path& playlist, const std::string& uri) {
  if (!is_inside(uri)) return playlist.string() + ": URI leaves the video: " + uri;
  if (!is_non_empty_file(playlist.parent_path() / uri)) {
    return playlist.string() + ": " + uri + " is missing or empty";
  }
  return std::nullopt;
}

// Checks one variant playlist; returns its segment count or what is wrong. The parser
// already insists on EXT-X-TARGETDURATION and at least one segment.
Expected<int, std::string> check_variant(const fs::path& playlist) {
  const auto text = read_text(playlist);
  if (!text) return Unexpected{playlist.string() + ": cannot be read"};
  const auto parsed = parse_media_playlist(*text);
  if (!parsed) return Unexpected{describe(playlist, parsed.error())};
  if (parsed->map_uri) {
    if (auto error = check_file(playlist, *parsed->map_uri)) return Unexpected{std::move(*error)};
  }
  for (const MediaSegment& segment : parsed->segments) {
    if (auto error = check_file(playlist, segment.uri)) return Unexpected{std::move(*error)};
  }
  if (!parsed->end_list) return Unexpected{playlist.string() + ": no #EXT-X-ENDLIST (unfinished)"};
  return static_cast<int>(parsed->segments.size());
}

// An EXT-X-STREAM-INF as a variant (segment_count still 0), or what it lacks.
Expected<HlsVariant, std::string> to_variant(const VariantStream& stream) {
  if (stream.bandwidth <= 0) return Unexpected{std::string("a variant without a valid BANDWIDTH")};
  constexpr std::int64_t kIntMax = std::numeric_limits<int>::max();
  if (!stream.resolution || stream.resolution->width > kIntMax ||
      stream.resolution->height > kIntMax) {
    return Unexpected{std::string("a variant without a valid RESOLUTION")};
  }
  if (stream.codecs.empty()) return Unexpected{std::string("a variant without CODECS")};
  return HlsVariant{stream.uri,
                    stream.bandwidth,
                    static_cast<int>(stream.resolution->width),
                    static_cast<int>(stream.resolution->height),
                    stream.codecs,
                    0};
}

}  // namespace

Expected<std::vector<HlsVariant>, std::string> check_hls_vod(const fs::path& master_path) {
  const auto text = read_text(master_path);
  if (!text) return Unexpected{master_path.string() + ": cannot be read"};
  const auto master = parse_master_playlist(*text);
  if (!master) return Unexpected{describe(master_path, master.error())};
  std::vector<HlsVariant> variants;
  for (const VariantStream& stream : master->variants) {
    auto variant = to_variant(stream);
    if (!variant) return Unexpected{master_path.string() + ": " + variant.error()};
    variants.push_back(std::move(variant).value());
  }
  for (auto& variant : variants) {
    if (!is_inside(variant.playlist)) {
      return Unexpected{master_path.string() + ": URI leaves the video: " + variant.playlist};
    }
    auto segments = check_variant(master_path.parent_path() / variant.playlist);
    if (!segments) return Unexpected{segments.error()};
    variant.segment_count = *segments;
  }
  return variants;
}

}  // namespace streamsync::server
