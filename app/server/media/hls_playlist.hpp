#pragma once

// HLS playlists as ingest writes them (RFC 8216): a VOD media playlist per rendition and
// a master playlist listing the renditions. Parsed once per video, they feed the live
// playlist builder. Only what the builder needs is kept; other tags are skipped.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/expected.hpp"

namespace streamsync::server {

struct MediaSegment {
  std::int64_t duration_us = 0;  // EXTINF, exact to the microsecond
  std::string uri;               // as written: usually relative to the playlist
};

struct MediaPlaylist {
  std::int64_t target_duration_s = 0;  // EXT-X-TARGETDURATION
  std::optional<std::string> map_uri;  // EXT-X-MAP URI (fMP4 init segment), as written
  std::vector<MediaSegment> segments;  // in order, at least one
  bool end_list = false;               // EXT-X-ENDLIST seen

  // Sum of the segment durations.
  std::int64_t duration_us() const;
};

struct VideoSize {
  std::int64_t width = 0;
  std::int64_t height = 0;
};

// One EXT-X-STREAM-INF entry of a master playlist.
struct VariantStream {
  std::int64_t bandwidth = 0;                     // BANDWIDTH, bits/s (required)
  std::optional<std::int64_t> average_bandwidth;  // AVERAGE-BANDWIDTH, bits/s
  std::optional<VideoSize> resolution;            // RESOLUTION=<w>x<h>
  std::optional<double> frame_rate;               // FRAME-RATE
  std::string codecs;                             // CODECS, unquoted ("" when absent)
  std::string uri;                                // the line after the tag, as written
};

struct MasterPlaylist {
  std::vector<VariantStream> variants;  // in order, at least one
};

// Why a playlist was refused: the 1-based line (0 when the fault is the whole text, e.g.
// a missing tag) and what is wrong there.
struct PlaylistError {
  std::size_t line = 0;
  std::string message;

  friend bool operator==(const PlaylistError&, const PlaylistError&) = default;
};

// A media playlist: "#EXTM3U" first (a UTF-8 BOM and CRLF line ends are accepted);
// EXT-X-TARGETDURATION required (a positive integer); EXTINF "<decimal>[,title]" with
// duration >= 0 followed by its URI line; at most one EXT-X-MAP with a quoted URI and no
// BYTERANGE; at least one segment. Refused as unsupported, with the line: EXT-X-BYTERANGE
// and a second, different EXT-X-MAP (the live builder could not reproduce them).
Expected<MediaPlaylist, PlaylistError> parse_media_playlist(std::string_view text);

// A master playlist: "#EXTM3U" first; each EXT-X-STREAM-INF has a BANDWIDTH and is
// followed by its URI line (blank lines and comments may come between). Attribute values:
// decimal integers, <w>x<h> resolutions, decimal frame rates and quoted strings (which
// may hold commas, as CODECS does). Unknown attributes and tags are skipped.
Expected<MasterPlaylist, PlaylistError> parse_master_playlist(std::string_view text);

}  // namespace streamsync::server
