#pragma once

// check_hls_vod(): is this finished HLS VOD output complete? Run on a freshly written
// directory before it is renamed into place (and on a reused one), so that a video is
// never marked ready with a missing variant, playlist end or segment.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "util/expected.hpp"

namespace streamsync::server {

// One variant as the master playlist announces it.
struct HlsVariant {
  std::string playlist;        // URI as written in the master, relative to its directory
  std::int64_t bandwidth = 0;  // BANDWIDTH, bits per second
  int width = 0;               // RESOLUTION
  int height = 0;
  std::string codecs;     // CODECS, e.g. "avc1.64001f,mp4a.40.2"
  int segment_count = 0;  // media segments in its playlist

  friend bool operator==(const HlsVariant&, const HlsVariant&) = default;
};

// Checks master_path and every playlist it lists, parsed as the live playlist builder
// parses them (media/hls_playlist.hpp, so whatever passes here can be served live): the
// master has at least one #EXT-X-STREAM-INF, each with BANDWIDTH, RESOLUTION and CODECS
// and followed by a URI; every variant playlist exists, parses as a media playlist (which
// needs EXT-X-TARGETDURATION and at least one segment), has #EXT-X-ENDLIST, and every
// segment and #EXT-X-MAP init file it names exists and is not empty. URIs must be
// relative and stay inside the master's directory. The variants in master order, or
// what is wrong (naming the file, and the line where the parser refused it).
Expected<std::vector<HlsVariant>, std::string> check_hls_vod(
    const std::filesystem::path& master_path);

}  // namespace streamsync::server
