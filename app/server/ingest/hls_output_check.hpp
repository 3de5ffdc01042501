#pragma once

// verify_ingest_output(): is a finished ingest directory complete and what the plan asked
// for? Run after FFmpeg and before the directory is published, so that a video is never
// marked ready with a missing rung, segment or attribute. Reads the playlists with the
// project's HLS parser (media/hls_playlist.hpp), the same one the live playlists use.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "ingest/ladder.hpp"
#include "util/expected.hpp"

namespace streamsync::server {

struct VerifiedRendition {
  std::string name;
  std::string playlist;  // relative to the output directory, "720p/index.m3u8"
  int width = 0;
  int height = 0;
  std::int64_t bandwidth = 0;
  std::int64_t average_bandwidth = 0;
  std::string codecs;
  int segment_count = 0;
  std::int64_t duration_us = 0;  // sum of its segments
};

// Checks out_dir against plan: master.m3u8 lists every rung, in plan order, with
// BANDWIDTH >= AVERAGE-BANDWIDTH > 0, RESOLUTION and FRAME-RATE as planned and CODECS of
// H.264 and AAC-LC; every rung's playlist ends with EXT-X-ENDLIST, has an EXT-X-MAP init
// file (fMP4) and the same number of segments as the others, no segment longer than the segment
// length + 0.5 s, lasts the source duration within 0.5 s; every init file and segment
// exists and is not empty; and the poster, sprite and thumbnails.vtt exist and are not
// empty. The error names the file and what is wrong with it.
Expected<std::vector<VerifiedRendition>, std::string> verify_ingest_output(
    const std::filesystem::path& out_dir, const LadderPlan& plan);

}  // namespace streamsync::server
