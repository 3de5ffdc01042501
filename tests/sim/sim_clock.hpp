#pragma once

// Simulated clocks. "True" time is the simulator's own; the server's clock is true time
// plus an optional step; a client's monotonic clock starts anywhere and runs fast or slow
// by its drift.

#include <cmath>
#include <cstdint>

namespace streamsync::sim {

struct ServerClock {
  std::int64_t step_at_true_us = INT64_MAX;
  std::int64_t step_us = 0;

  std::int64_t now_us(std::int64_t true_us) const {
    return true_us >= step_at_true_us ? true_us + step_us : true_us;
  }
};

struct ClientClock {
  std::int64_t origin_true_us = 0;  // true time at which the monotonic clock read origin_mono_us
  std::int64_t origin_mono_us = 0;
  double drift_ppm = 0.0;

  std::int64_t mono_us(std::int64_t true_us) const {
    const std::int64_t elapsed_us = true_us - origin_true_us;
    return origin_mono_us + elapsed_us +
           std::llround(static_cast<double>(elapsed_us) * drift_ppm * 1e-6);
  }
};

}  // namespace streamsync::sim
