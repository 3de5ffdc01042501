#pragma once

// FfmpegProgressParser: FFmpeg's "-progress pipe:1" output, read line by line. FFmpeg
// writes blocks of key=value lines, each ended by "progress=continue" (about twice a
// second) or "progress=end" (once, at the end):
//   frame=120  fps=59.8  out_time_us=4000000  out_time_ms=4000000  out_time=00:00:04.000000
//   speed=1.99x  progress=continue
// (out_time_ms is in microseconds too, despite its name: an FFmpeg quirk kept for
// compatibility; it is read only when out_time_us is absent.)

#include <cstdint>
#include <optional>
#include <string_view>

namespace streamsync::server {

struct FfmpegProgress {
  std::int64_t out_time_us = 0;  // media time written so far (0 until FFmpeg knows it)
  double fraction = 0.0;         // out_time_us / duration, in [0, 1]; 1 at the end
  double speed = 0.0;            // media seconds per wall second; 0 when not known yet
  // Wall-clock seconds left at the current speed; nullopt while the speed is unknown.
  std::optional<double> eta_s;
  bool finished = false;  // "progress=end" was seen
};

class FfmpegProgressParser {
 public:
  // duration_us: the media duration being written (the probe's); <= 0 leaves fraction 0
  // until the end.
  explicit FfmpegProgressParser(std::int64_t duration_us) : duration_us_(duration_us) {}

  // Reads one line (without its line end). Returns the block's progress when the line
  // ends a block ("progress=..."), else nullopt. Unknown keys, "N/A" values and malformed
  // lines are ignored; the last known values carry over between blocks.
  std::optional<FfmpegProgress> feed(std::string_view line);

  const FfmpegProgress& last() const { return progress_; }

 private:
  std::int64_t duration_us_;
  FfmpegProgress progress_;
  bool saw_out_time_us_ = false;  // in this block: then out_time_ms is ignored
};

}  // namespace streamsync::server
