#include "demo/hls_check.hpp"

#include <charconv>
#include <fstream>
#include <map>
#include <optional>
#include <string_view>
#include <system_error>

namespace streamsync::server {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kStreamInf = "#EXT-X-STREAM-INF:";
constexpr std::string_view kMap = "#EXT-X-MAP:";
constexpr std::string_view kEndList = "#EXT-X-ENDLIST";

std::optional<std::vector<std::string>> read_lines(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

// An attribute list (RFC 8216 §4.2): NAME=value pairs separated by commas, where a
// quoted-string value may itself contain commas. Values are returned without quotes.
std::map<std::string, std::string, std::less<>> parse_attributes(std::string_view text) {
  std::map<std::string, std::string, std::less<>> attributes;
  while (!text.empty()) {
    const std::size_t equals = text.find('=');
    if (equals == std::string_view::npos) break;
    std::string name(text.substr(0, equals));
    text.remove_prefix(equals + 1);
    std::string value;
    if (!text.empty() && text.front() == '"') {
      const std::size_t close = text.find('"', 1);
      value = std::string(
          text.substr(1, close == std::string_view::npos ? text.size() - 1 : close - 1));
      text.remove_prefix(close == std::string_view::npos ? text.size() : close + 1);
    } else {
      const std::size_t comma = text.find(',');
      value = std::string(text.substr(0, comma));
      text.remove_prefix(comma == std::string_view::npos ? text.size() : comma);
    }
    if (!text.empty() && text.front() == ',') text.remove_prefix(1);
    attributes.emplace(std::move(name), std::move(value));
  }
  return attributes;
}

template <class Int>
bool parse_int(std::string_view text, Int& value) {
  const auto* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  return error == std::errc() && stop == end;
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

// Checks one variant playlist; returns its segment count or what is wrong.
Expected<int, std::string> check_variant(const fs::path& playlist) {
  const auto lines = read_lines(playlist);
  if (!lines) return Unexpected{playlist.string() + ": cannot be read"};
  const fs::path dir = playlist.parent_path();
  bool ended = false;
  int segments = 0;
  for (const auto& line : *lines) {
    std::string uri;  // a copy: the attribute map below dies with its block
    if (line.rfind(kMap, 0) == 0) {
      const auto attributes = parse_attributes(std::string_view(line).substr(kMap.size()));
      const auto found = attributes.find("URI");
      if (found == attributes.end()) {
        return Unexpected{playlist.string() + ": EXT-X-MAP without URI"};
      }
      uri = found->second;
    } else if (line == kEndList) {
      ended = true;
      continue;
    } else if (line.empty() || line.front() == '#') {
      continue;
    } else {
      uri = line;
      ++segments;
    }
    if (!is_inside(uri)) return Unexpected{playlist.string() + ": URI leaves the video: " + uri};
    if (!is_non_empty_file(dir / uri)) {
      return Unexpected{playlist.string() + ": " + uri + " is missing or empty"};
    }
  }
  if (!ended) return Unexpected{playlist.string() + ": no #EXT-X-ENDLIST (unfinished)"};
  if (segments == 0) return Unexpected{playlist.string() + ": no segments"};
  return segments;
}

// Fills variant from an EXT-X-STREAM-INF attribute list; returns what is missing.
std::optional<std::string> read_stream_inf(std::string_view attribute_text, HlsVariant& variant) {
  const auto attributes = parse_attributes(attribute_text);
  const auto bandwidth = attributes.find("BANDWIDTH");
  if (bandwidth == attributes.end() || !parse_int(bandwidth->second, variant.bandwidth) ||
      variant.bandwidth <= 0) {
    return std::string("a variant without a valid BANDWIDTH");
  }
  const auto resolution = attributes.find("RESOLUTION");
  const std::size_t x =
      resolution == attributes.end() ? std::string::npos : resolution->second.find('x');
  if (x == std::string::npos ||
      !parse_int(std::string_view(resolution->second).substr(0, x), variant.width) ||
      !parse_int(std::string_view(resolution->second).substr(x + 1), variant.height)) {
    return std::string("a variant without a valid RESOLUTION");
  }
  const auto codecs = attributes.find("CODECS");
  if (codecs == attributes.end() || codecs->second.empty()) {
    return std::string("a variant without CODECS");
  }
  variant.codecs = codecs->second;
  return std::nullopt;
}

}  // namespace

Expected<std::vector<HlsVariant>, std::string> check_hls_vod(const fs::path& master_path) {
  const auto lines = read_lines(master_path);
  if (!lines) return Unexpected{master_path.string() + ": cannot be read"};
  std::vector<HlsVariant> variants;
  std::optional<HlsVariant> pending;  // a STREAM-INF waiting for its URI line
  for (const auto& line : *lines) {
    if (line.rfind(kStreamInf, 0) == 0) {
      pending.emplace();
      if (auto error =
              read_stream_inf(std::string_view(line).substr(kStreamInf.size()), *pending)) {
        return Unexpected{master_path.string() + ": " + *error};
      }
    } else if (!line.empty() && line.front() != '#' && pending) {
      pending->playlist = line;
      variants.push_back(std::move(*pending));
      pending.reset();
    }
  }
  if (pending) return Unexpected{master_path.string() + ": EXT-X-STREAM-INF without a URI"};
  if (variants.empty()) return Unexpected{master_path.string() + ": no variants"};
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
