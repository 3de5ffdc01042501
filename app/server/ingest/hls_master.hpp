#pragma once

// The master playlist of an ingest, written by us rather than by FFmpeg: FFmpeg 5.1's
// hls muxer writes neither AVERAGE-BANDWIDTH nor FRAME-RATE nor EXT-X-INDEPENDENT-SEGMENTS
// in its master, and derives BANDWIDTH from the encoder's maxrate instead of the segments.
// We keep its CODECS (read from the encoded streams) and measure the rest.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "ingest/ladder.hpp"
#include "util/expected.hpp"

namespace streamsync::server {

// A rung as the master announces it.
struct MasterEntry {
  std::string uri;  // "<rung>/index.m3u8"
  int width = 0;
  int height = 0;
  FrameRate frame_rate;
  std::string codecs;                  // "avc1.64001f,mp4a.40.2"
  std::int64_t bandwidth = 0;          // peak segment bit rate, bits/s (Apple: BANDWIDTH)
  std::int64_t average_bandwidth = 0;  // all segments' bits / duration (AVERAGE-BANDWIDTH)
};

// Measures each rung of plan in out_dir: its playlist rung_playlist_path(), its segments'
// sizes and durations (the peak ignores segments under half the target duration, such as
// a last one-frame segment, whose rate says nothing about the stream), and takes CODECS
// from FFmpeg's master (ffmpeg_master, relative to out_dir). Errors name the file.
Expected<std::vector<MasterEntry>, std::string> measure_master_entries(
    const std::filesystem::path& out_dir, const LadderPlan& plan, const std::string& ffmpeg_master);

// The playlist text: version 7, EXT-X-INDEPENDENT-SEGMENTS, one EXT-X-STREAM-INF per entry
// (BANDWIDTH, AVERAGE-BANDWIDTH, RESOLUTION, FRAME-RATE with 3 decimals, CODECS) in order.
std::string master_playlist_text(const std::vector<MasterEntry>& entries);

}  // namespace streamsync::server
