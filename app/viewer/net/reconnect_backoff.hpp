#pragma once

// ReconnectBackoff: how long to wait before the next connection attempt. Doubling from
// 0.5 s up to 10 s keeps a viewer responsive after a short outage without hammering a
// server that is down; the random extra (up to a quarter of the delay) spreads the
// reconnects of many viewers that lost the same server at the same instant.

#include <cstdint>

namespace streamsync::viewer {

struct ReconnectBackoffConfig {
  std::int64_t first_delay_us = 500'000;
  std::int64_t max_delay_us = 10'000'000;
  double jitter = 0.25;  // the delay grows by up to this fraction, at random
};

class ReconnectBackoff {
 public:
  explicit ReconnectBackoff(ReconnectBackoffConfig config = {}) : config_(config) {}

  // The wait before the next attempt, after one more failure. random_unit is a uniform
  // draw in [0, 1).
  std::int64_t next_delay_us(double random_unit);

  // A connection succeeded: the next failure waits first_delay_us again.
  void reset() { failures_ = 0; }

 private:
  ReconnectBackoffConfig config_;
  int failures_ = 0;
};

}  // namespace streamsync::viewer
