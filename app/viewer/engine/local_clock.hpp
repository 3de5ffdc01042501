#pragma once

// LocalClock: the viewer's monotonic clock, the one the clock estimator maps to server
// time and the sync loop schedules against. Benchmarks put clients on deliberately wrong
// clocks (--clock-skew-ms, --clock-drift-ppm): this client then sees
//   local_us = (real_us + skew_us) + (real_us − started_us) × drift_ppm / 1e6,
// a clock that is off by skew and runs fast or slow by drift. real_mono_ns() is never
// shifted, so reports from several processes on one machine line up on it.

#include <chrono>
#include <cstdint>

namespace streamsync::viewer {

class LocalClock {
 public:
  LocalClock(std::int64_t skew_us = 0, double drift_ppm = 0)
      : skew_us_(skew_us), drift_ppm_(drift_ppm), started_real_us_(real_mono_ns() / 1000) {}

  static std::int64_t real_mono_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }

  // This client's monotonic time, in µs.
  std::int64_t now_us() const { return from_real_us(real_mono_ns() / 1000); }

  // The local time at a real monotonic instant (µs), and back.
  std::int64_t from_real_us(std::int64_t real_us) const {
    const double elapsed_us = static_cast<double>(real_us - started_real_us_);
    return real_us + skew_us_ + static_cast<std::int64_t>(elapsed_us * drift_ppm_ * 1e-6);
  }
  std::int64_t to_real_us(std::int64_t local_us) const {
    const double elapsed_us = static_cast<double>(local_us - skew_us_ - started_real_us_);
    return local_us - skew_us_ -
           static_cast<std::int64_t>(elapsed_us * drift_ppm_ * 1e-6 / (1 + drift_ppm_ * 1e-6));
  }

  std::int64_t skew_us() const { return skew_us_; }
  double drift_ppm() const { return drift_ppm_; }

 private:
  std::int64_t skew_us_;
  double drift_ppm_;
  std::int64_t started_real_us_;
};

}  // namespace streamsync::viewer
