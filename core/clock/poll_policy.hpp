#pragma once

// PollPolicy: when to send the next time request. A quick burst at start and whenever the
// estimator needs fresh evidence (a suspect sample, a step). After that, a steady pace
// while the estimate is as good as it needs to be, and a faster one while it is not: on
// a jittery path the error shrinks only as 1/sqrt(samples), so more samples are the one
// way to a better clock. A request is 90 bytes each way; four a second is nothing to a
// client and ~4000 packets/s for a thousand such viewers is little to the server.

#include <cstdint>

namespace streamsync {

struct PollPolicyConfig {
  int burst_count = 8;
  std::int64_t burst_interval_us = 100'000;
  std::int64_t steady_interval_us = 1'000'000;
  std::int64_t fast_interval_us = 250'000;
  // Poll at the fast pace while the estimator's error bound is above this.
  std::int64_t target_error_bound_us = 500;
};

class PollPolicy {
 public:
  explicit PollPolicy(PollPolicyConfig config = {});

  // The next request should leave at or after this client monotonic time.
  std::int64_t next_poll_at_us() const { return next_poll_at_us_; }

  // Call when a request was sent at now_mono_us, with the clock estimate's current error
  // bound (ClockEstimator::error_bound_us).
  void on_sent(std::int64_t now_mono_us, std::int64_t error_bound_us);

  // Starts a burst of `count` quick requests, the first one right away.
  void request_burst(std::int64_t now_mono_us, int count);
  void request_burst(std::int64_t now_mono_us) { request_burst(now_mono_us, config_.burst_count); }

  const PollPolicyConfig& config() const { return config_; }

 private:
  PollPolicyConfig config_;
  int burst_remaining_ = 0;
  std::int64_t next_poll_at_us_ = 0;
};

}  // namespace streamsync
