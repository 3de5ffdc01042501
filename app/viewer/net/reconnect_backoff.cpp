#include "net/reconnect_backoff.hpp"

#include <algorithm>
#include <cmath>

namespace streamsync::viewer {

std::int64_t ReconnectBackoff::next_delay_us(double random_unit) {
  std::int64_t delay_us = config_.first_delay_us;
  for (int i = 0; i < failures_ && delay_us < config_.max_delay_us; ++i) delay_us *= 2;
  delay_us = std::min(delay_us, config_.max_delay_us);
  ++failures_;
  const double extra = std::clamp(random_unit, 0.0, 1.0) * config_.jitter;
  return delay_us + std::llround(static_cast<double>(delay_us) * extra);
}

}  // namespace streamsync::viewer
