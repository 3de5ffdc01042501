#include "clock/poll_policy.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace streamsync {
namespace {

constexpr std::int64_t kStartUs = 7'000'000;

// Sends `count` requests, each at the moment the policy asks for it, with the given error
// bound; returns the gaps between consecutive polls (the last one included).
std::vector<std::int64_t> send(PollPolicy& policy, int count, std::int64_t error_bound_us) {
  std::vector<std::int64_t> gaps_us;
  for (int i = 0; i < count; ++i) {
    const std::int64_t now_us = policy.next_poll_at_us();
    policy.on_sent(now_us, error_bound_us);
    gaps_us.push_back(policy.next_poll_at_us() - now_us);
  }
  return gaps_us;
}

TEST(PollPolicy, FirstPollIsDueImmediately) {
  PollPolicy policy;
  EXPECT_LE(policy.next_poll_at_us(), 0);
}

TEST(PollPolicy, StartsWithBurstOfEightThenSteadyWhenBoundIsGood) {
  PollPolicy policy;
  policy.on_sent(kStartUs, 10'000);  // the first request: nothing is known yet
  EXPECT_EQ(policy.next_poll_at_us(), kStartUs + 100'000);
  const auto gaps_us = send(policy, 9, 100);
  // Requests 2..7 of the burst are followed by 100 ms gaps; the 8th ends the burst.
  const std::vector<std::int64_t> expected = {100'000, 100'000,   100'000,   100'000,  100'000,
                                              100'000, 1'000'000, 1'000'000, 1'000'000};
  EXPECT_EQ(gaps_us, expected);
}

TEST(PollPolicy, BurstStaysQuickEvenWithBadBound) {
  PollPolicy policy;
  const auto gaps_us = send(policy, 7, 50'000);
  EXPECT_EQ(gaps_us, std::vector<std::int64_t>(7, 100'000));
}

TEST(PollPolicy, PollsFastWhileBoundIsAboveTarget) {
  PollPolicy policy;
  send(policy, 8, 100);
  EXPECT_EQ(send(policy, 3, 501), std::vector<std::int64_t>(3, 250'000));
  // At the target exactly the estimate is good enough.
  EXPECT_EQ(send(policy, 1, 500), std::vector<std::int64_t>{1'000'000});
  // And back to fast once it degrades again.
  EXPECT_EQ(send(policy, 1, 2'000), std::vector<std::int64_t>{250'000});
}

TEST(PollPolicy, FollowsConfiguredIntervals) {
  PollPolicyConfig config;
  config.burst_count = 2;
  config.burst_interval_us = 40'000;
  config.steady_interval_us = 4'000'000;
  config.fast_interval_us = 400'000;
  config.target_error_bound_us = 2'000;
  PollPolicy policy(config);
  const std::vector<std::int64_t> expected = {40'000, 4'000'000, 400'000};
  std::vector<std::int64_t> gaps_us = send(policy, 2, 1'000);
  const auto fast = send(policy, 1, 3'000);
  gaps_us.insert(gaps_us.end(), fast.begin(), fast.end());
  EXPECT_EQ(gaps_us, expected);
}

TEST(PollPolicy, RequestBurstPullsNextPollToNowAndBursts) {
  PollPolicy policy;
  send(policy, 10, 100);
  const std::int64_t scheduled_us = policy.next_poll_at_us();
  const std::int64_t now_us = scheduled_us - 700'000;  // a suspect sample arrived mid-wait
  policy.request_burst(now_us);
  EXPECT_EQ(policy.next_poll_at_us(), now_us);
  const auto gaps_us = send(policy, 9, 100);
  const std::vector<std::int64_t> expected = {100'000, 100'000, 100'000,   100'000,  100'000,
                                              100'000, 100'000, 1'000'000, 1'000'000};
  EXPECT_EQ(gaps_us, expected);
}

TEST(PollPolicy, RequestBurstWithCountSendsThatManyQuickRequests) {
  PollPolicy policy;
  send(policy, 10, 100);
  const std::int64_t now_us = policy.next_poll_at_us() - 300'000;
  policy.request_burst(now_us, 3);
  EXPECT_EQ(policy.next_poll_at_us(), now_us);
  const std::vector<std::int64_t> expected = {100'000, 100'000, 1'000'000};
  EXPECT_EQ(send(policy, 3, 100), expected);
}

TEST(PollPolicy, RequestBurstNeverPostponesAnOverduePoll) {
  PollPolicy policy;
  send(policy, 10, 100);
  const std::int64_t due_us = policy.next_poll_at_us();
  policy.request_burst(due_us + 5'000'000, 2);
  EXPECT_EQ(policy.next_poll_at_us(), due_us);
}

}  // namespace
}  // namespace streamsync
