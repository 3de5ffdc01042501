#include "media/hls_playlist.hpp"

#include <charconv>
#include <limits>
#include <numeric>
#include <utility>

namespace streamsync::server {
namespace {

struct Attribute {
  std::string_view name;
  std::string_view value;  // without the quotes when quoted
  bool quoted = false;
};

Unexpected<PlaylistError> fail(std::size_t line, std::string message) {
  return Unexpected{PlaylistError{line, std::move(message)}};
}

// Hands out the lines of a playlist with their 1-based numbers, line ends stripped.
class LineReader {
 public:
  explicit LineReader(std::string_view text) : rest_(text) {
    if (rest_.substr(0, 3) == "\xEF\xBB\xBF") rest_.remove_prefix(3);  // UTF-8 BOM
  }
  bool next(std::string_view& line) {
    if (rest_.empty()) return false;
    const std::size_t end = rest_.find('\n');
    line = rest_.substr(0, end);
    rest_ = end == std::string_view::npos ? std::string_view{} : rest_.substr(end + 1);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.remove_suffix(1);
    }
    ++number_;
    return true;
  }
  std::size_t number() const { return number_; }

 private:
  std::string_view rest_;
  std::size_t number_ = 0;
};

// "NAME=value,NAME2=\"quoted, with commas\"" (RFC 8216 §4.2).
std::optional<std::vector<Attribute>> parse_attributes(std::string_view text) {
  std::vector<Attribute> attributes;
  while (!text.empty()) {
    const std::size_t equals = text.find('=');
    if (equals == 0 || equals == std::string_view::npos) return std::nullopt;
    Attribute attribute{text.substr(0, equals), {}, false};
    text.remove_prefix(equals + 1);
    if (!text.empty() && text.front() == '"') {
      const std::size_t close = text.find('"', 1);
      if (close == std::string_view::npos) return std::nullopt;
      attribute.value = text.substr(1, close - 1);
      attribute.quoted = true;
      text.remove_prefix(close + 1);
      if (!text.empty() && text.front() != ',') return std::nullopt;
    } else {
      const std::size_t comma = text.find(',');
      attribute.value = text.substr(0, comma);
      if (attribute.value.empty()) return std::nullopt;
      text.remove_prefix(comma == std::string_view::npos ? text.size() : comma);
    }
    if (!text.empty()) text.remove_prefix(1);  // the comma
    attributes.push_back(attribute);
  }
  return attributes;
}

const Attribute* find(const std::vector<Attribute>& attributes, std::string_view name) {
  for (const Attribute& attribute : attributes) {
    if (attribute.name == name) return &attribute;
  }
  return nullptr;
}

// A decimal-integer (RFC 8216 §4.2): digits only, no sign.
std::optional<std::int64_t> parse_integer(std::string_view text) {
  if (text.empty() || text.front() == '-') return std::nullopt;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

// A decimal number of seconds as exact microseconds: digits beyond the sixth decimal
// round half up. Float parsing would turn "0.1" into 99999 µs after truncation.
std::optional<std::int64_t> parse_seconds_us(std::string_view text) {
  const std::size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  std::string_view fraction =
      dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  if (whole.empty() && fraction.empty()) return std::nullopt;
  std::int64_t seconds = 0;
  if (!whole.empty()) {
    const auto parsed = parse_integer(whole);
    if (!parsed || *parsed > std::numeric_limits<std::int64_t>::max() / 1'000'000 - 1) {
      return std::nullopt;
    }
    seconds = *parsed;
  }
  std::int64_t micros = 0;
  for (std::size_t i = 0; i < fraction.size(); ++i) {
    const char c = fraction[i];
    if (c < '0' || c > '9') return std::nullopt;
    if (i < 6) micros = micros * 10 + (c - '0');
    if (i == 6 && c >= '5') ++micros;
  }
  for (std::size_t i = fraction.size(); i < 6; ++i) micros *= 10;
  return seconds * 1'000'000 + micros;
}

std::optional<VideoSize> parse_resolution(std::string_view text) {
  const std::size_t x = text.find('x');
  if (x == std::string_view::npos) return std::nullopt;
  const auto width = parse_integer(text.substr(0, x));
  const auto height = parse_integer(text.substr(x + 1));
  if (!width || !height) return std::nullopt;
  return VideoSize{*width, *height};
}

std::optional<double> parse_decimal(std::string_view text) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || !(value > 0)) return std::nullopt;
  return value;
}

// Splits "#TAG:value" into tag and value.
std::pair<std::string_view, std::string_view> split_tag(std::string_view line) {
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return {line, {}};
  return {line.substr(0, colon), line.substr(colon + 1)};
}

bool starts_with_header(LineReader& reader) {
  std::string_view first;
  return reader.next(first) && first == "#EXTM3U";
}

// EXT-X-STREAM-INF's attributes as a variant (without its URI), or why not.
Expected<VariantStream, std::string> variant_from(std::string_view value) {
  const auto attributes = parse_attributes(value);
  if (!attributes) return Unexpected{std::string("malformed attribute list")};
  VariantStream variant;
  const Attribute* bandwidth = find(*attributes, "BANDWIDTH");
  if (!bandwidth) return Unexpected{std::string("EXT-X-STREAM-INF without BANDWIDTH")};
  const auto bits = parse_integer(bandwidth->value);
  if (!bits) return Unexpected{std::string("BANDWIDTH is not a decimal integer")};
  variant.bandwidth = *bits;
  if (const Attribute* average = find(*attributes, "AVERAGE-BANDWIDTH")) {
    variant.average_bandwidth = parse_integer(average->value);
    if (!variant.average_bandwidth) return Unexpected{std::string("bad AVERAGE-BANDWIDTH")};
  }
  if (const Attribute* resolution = find(*attributes, "RESOLUTION")) {
    variant.resolution = parse_resolution(resolution->value);
    if (!variant.resolution) return Unexpected{std::string("RESOLUTION is not <width>x<height>")};
  }
  if (const Attribute* frame_rate = find(*attributes, "FRAME-RATE")) {
    variant.frame_rate = parse_decimal(frame_rate->value);
    if (!variant.frame_rate) return Unexpected{std::string("FRAME-RATE is not a positive decimal")};
  }
  if (const Attribute* codecs = find(*attributes, "CODECS")) {
    if (!codecs->quoted) return Unexpected{std::string("CODECS must be a quoted string")};
    variant.codecs = std::string(codecs->value);
  }
  return variant;
}

}  // namespace

std::int64_t MediaPlaylist::duration_us() const {
  return std::accumulate(
      segments.begin(), segments.end(), std::int64_t{0},
      [](std::int64_t sum, const MediaSegment& s) { return sum + s.duration_us; });
}

Expected<MediaPlaylist, PlaylistError> parse_media_playlist(std::string_view text) {
  LineReader reader(text);
  if (!starts_with_header(reader)) return fail(1, "a playlist starts with #EXTM3U");
  MediaPlaylist playlist;
  // The duration of an #EXTINF still waiting for its URI line; kNone when there is none.
  // (A sentinel rather than std::optional: GCC 12 at -O3 warns falsely on the latter.)
  constexpr std::int64_t kNone = -1;
  std::int64_t pending_duration_us = kNone;
  std::size_t pending_line = 0;
  std::string_view line;
  while (reader.next(line)) {
    const std::size_t n = reader.number();
    if (line.empty()) continue;
    if (line.front() != '#') {
      if (pending_duration_us == kNone) return fail(n, "segment URI without a preceding #EXTINF");
      playlist.segments.push_back({pending_duration_us, std::string(line)});
      pending_duration_us = kNone;
      continue;
    }
    const auto [tag, value] = split_tag(line);
    if (tag == "#EXT-X-TARGETDURATION") {
      const auto seconds = parse_integer(value);
      if (!seconds || *seconds == 0)
        return fail(n, "EXT-X-TARGETDURATION is not a positive integer");
      playlist.target_duration_s = *seconds;
    } else if (tag == "#EXTINF") {
      if (pending_duration_us != kNone) return fail(n, "#EXTINF follows an #EXTINF without a URI");
      const auto duration_us = parse_seconds_us(value.substr(0, value.find(',')));
      if (!duration_us) return fail(n, "EXTINF duration is not a non-negative decimal");
      pending_duration_us = *duration_us;
      pending_line = n;
    } else if (tag == "#EXT-X-MAP") {
      const auto attributes = parse_attributes(value);
      const Attribute* uri = attributes ? find(*attributes, "URI") : nullptr;
      if (!uri || !uri->quoted) return fail(n, "EXT-X-MAP needs a quoted URI");
      if (find(*attributes, "BYTERANGE")) return fail(n, "EXT-X-MAP BYTERANGE is not supported");
      if (playlist.map_uri && *playlist.map_uri != uri->value) {
        return fail(n, "a second, different EXT-X-MAP is not supported");
      }
      playlist.map_uri = std::string(uri->value);
    } else if (tag == "#EXT-X-BYTERANGE") {
      return fail(n, "EXT-X-BYTERANGE is not supported");
    } else if (tag == "#EXT-X-ENDLIST") {
      playlist.end_list = true;
    }
  }
  if (pending_duration_us != kNone) return fail(pending_line, "#EXTINF without a segment URI");
  if (playlist.target_duration_s == 0) return fail(0, "missing EXT-X-TARGETDURATION");
  if (playlist.segments.empty()) return fail(0, "a media playlist needs at least one segment");
  return playlist;
}

Expected<MasterPlaylist, PlaylistError> parse_master_playlist(std::string_view text) {
  LineReader reader(text);
  if (!starts_with_header(reader)) return fail(1, "a playlist starts with #EXTM3U");
  MasterPlaylist master;
  std::optional<VariantStream> pending;
  std::size_t pending_line = 0;
  std::string_view line;
  while (reader.next(line)) {
    const std::size_t n = reader.number();
    if (line.empty()) continue;
    if (line.front() != '#') {
      if (!pending) return fail(n, "URI line without a preceding #EXT-X-STREAM-INF");
      pending->uri = std::string(line);
      master.variants.push_back(std::move(*pending));
      pending.reset();
      continue;
    }
    const auto [tag, value] = split_tag(line);
    if (tag == "#EXTINF")
      return fail(n, "#EXTINF in a master playlist (is this a media playlist?)");
    if (tag != "#EXT-X-STREAM-INF") continue;
    if (pending) return fail(n, "#EXT-X-STREAM-INF follows one without a URI");
    auto variant = variant_from(value);
    if (!variant) return fail(n, variant.error());
    pending = std::move(variant).value();
    pending_line = n;
  }
  if (pending) return fail(pending_line, "#EXT-X-STREAM-INF without a URI");
  if (master.variants.empty()) return fail(0, "a master playlist needs an #EXT-X-STREAM-INF");
  return master;
}

}  // namespace streamsync::server
