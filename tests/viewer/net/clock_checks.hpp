#pragma once

// How far a TimeClient's estimate is from the truth, for tests whose time server runs on
// this machine's clock (the real server, or FakeNtpServer without an offset).

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <vector>

#include "engine/local_clock.hpp"
#include "net/time_client.hpp"
#include "qt_test_support.hpp"

namespace streamsync::viewer::test {

inline std::int64_t system_now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Median |estimated server time − system clock| over `count` readings spaced 20 ms apart
// (the event loop runs in between, so the client keeps polling).
inline double median_error_ms(const TimeClient& time, const LocalClock& clock, int count = 21) {
  using namespace std::chrono_literals;
  std::vector<double> errors_ms;
  for (int i = 0; i < count; ++i) {
    const std::int64_t local_us = clock.now_us();
    const std::int64_t wall_us = system_now_us();
    errors_ms.push_back(
        std::abs(static_cast<double>(time.estimator().server_now_us(local_us) - wall_us)) / 1000.0);
    wait_for([] { return false; }, 20ms);
  }
  std::nth_element(errors_ms.begin(), errors_ms.begin() + count / 2, errors_ms.end());
  return errors_ms[static_cast<std::size_t>(count / 2)];
}

}  // namespace streamsync::viewer::test
