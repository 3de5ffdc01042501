#include "clock/poll_policy.hpp"

#include <algorithm>

namespace streamsync {

PollPolicy::PollPolicy(PollPolicyConfig config)
    : config_(config), burst_remaining_(config.burst_count) {}

void PollPolicy::on_sent(std::int64_t now_mono_us, std::int64_t error_bound_us) {
  if (burst_remaining_ > 0) --burst_remaining_;
  std::int64_t interval_us = config_.steady_interval_us;
  if (burst_remaining_ > 0) {
    interval_us = config_.burst_interval_us;
  } else if (error_bound_us > config_.target_error_bound_us) {
    interval_us = config_.fast_interval_us;
  }
  next_poll_at_us_ = now_mono_us + interval_us;
}

void PollPolicy::request_burst(std::int64_t now_mono_us, int count) {
  burst_remaining_ = std::max(burst_remaining_, count);
  next_poll_at_us_ = std::min(next_poll_at_us_, now_mono_us);
}

}  // namespace streamsync
