#pragma once

// The relay's one clock: steady-clock microseconds, the unit ImpairedPath works in, and the
// way back to a time point for Asio timers.

#include <chrono>
#include <cstdint>

namespace streamsync::impair {

inline std::int64_t steady_now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

inline std::chrono::steady_clock::time_point steady_time_point(std::int64_t time_us) {
  return std::chrono::steady_clock::time_point(std::chrono::microseconds(time_us));
}

}  // namespace streamsync::impair
