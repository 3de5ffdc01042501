#pragma once

// DriftMeter: how fast the sync error creeps while nothing is being corrected, i.e. how
// far the player's clock (usually the audio device's crystal) runs from the server's.
// An ordinary least-squares line of error over time.

#include <cstddef>
#include <cstdint>

namespace streamsync {

class DriftMeter {
 public:
  void reset();
  void add(std::int64_t mono_us, std::int64_t error_us);

  std::size_t count() const { return count_; }
  std::int64_t span_us() const { return count_ == 0 ? 0 : last_mono_us_ - first_mono_us_; }
  // Error growth in ppm (µs of error per second = ppm); 0 with fewer than two samples.
  double slope_ppm() const;
  // The fitted error at the newest sample: less noisy than the newest sample itself.
  double error_at_end_us() const;

 private:
  std::size_t count_ = 0;
  std::int64_t first_mono_us_ = 0;
  std::int64_t last_mono_us_ = 0;
  double sum_x_ = 0, sum_y_ = 0, sum_xx_ = 0, sum_xy_ = 0;  // x in s since first, y in µs
};

}  // namespace streamsync
