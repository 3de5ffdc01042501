#include "clock/clock_sample.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>

namespace streamsync {
namespace {

// 2023-11-14T22:13:20Z in Unix µs: a server stamp ~2^50 against a client monotonic clock
// that started a few seconds ago.
constexpr std::int64_t kServerEpochUs = 1'700'000'000'000'000;

NtpExchange exchange(std::int64_t t1, std::int64_t t2, std::int64_t t3, std::int64_t t4) {
  NtpExchange x;
  x.client_sent_mono_us = t1;
  x.server_received_us = t2;
  x.server_sent_us = t3;
  x.client_received_mono_us = t4;
  return x;
}

TEST(ClockSample, OffsetAndDelayMatchRfc5905ForSymmetricPath) {
  // Server is 1000 µs ahead; 40 µs each way; the server holds the request 20 µs.
  const auto sample = make_clock_sample(exchange(100, 1'140, 1'160, 200));
  ASSERT_TRUE(sample.has_value());
  EXPECT_EQ(sample->offset_us, 1'000);  // ((1140 − 100) + (1160 − 200)) / 2
  EXPECT_EQ(sample->delay_us, 80);      // (200 − 100) − (1160 − 1140)
  EXPECT_EQ(sample->mono_us, 150);      // (100 + 200) / 2
}

TEST(ClockSample, AsymmetricPathShiftsOffsetByHalfTheDifference) {
  // True offset 500; outbound 300 µs, inbound 100 µs: θ is off by (300 − 100) / 2 = 100.
  const std::int64_t t1 = 10'000;
  const std::int64_t t2 = t1 + 300 + 500;
  const std::int64_t t3 = t2 + 50;
  const std::int64_t t4 = t3 - 500 + 100;
  const auto sample = make_clock_sample(exchange(t1, t2, t3, t4));
  ASSERT_TRUE(sample.has_value());
  EXPECT_EQ(sample->offset_us, 600);
  EXPECT_EQ(sample->delay_us, 400);
  // The true offset lies within θ ± δ/2.
  EXPECT_LE(std::abs(sample->offset_us - 500), sample->delay_us / 2);
}

TEST(ClockSample, NegativeOffsetWhenServerIsBehind) {
  const auto sample = make_clock_sample(exchange(50'000, 20'030, 20'040, 50'070));
  ASSERT_TRUE(sample.has_value());
  EXPECT_EQ(sample->offset_us, -30'000);  // ((20030 − 50000) + (20040 − 50070)) / 2
  EXPECT_EQ(sample->delay_us, 60);
  EXPECT_EQ(sample->mono_us, 50'035);
}

TEST(ClockSample, UnixServerStampsAgainstSmallMonotonicStampsStayExact) {
  const std::int64_t t1 = 3'000'123;                     // 3 s after client boot
  const std::int64_t t2 = kServerEpochUs + 4'567'890;    // server Unix time
  const std::int64_t t3 = t2 + 1'234;                    // held 1.234 ms
  const std::int64_t t4 = t1 + 25'000 + 1'234 + 17'000;  // 25 ms out, 17 ms back
  const auto sample = make_clock_sample(exchange(t1, t2, t3, t4));
  ASSERT_TRUE(sample.has_value());
  // True offset kServerEpochUs + 1'542'767, plus (25'000 − 17'000) / 2 of asymmetry.
  // θ = ((t2 − t1) + (t3 − t4)) / 2, hand-computed:
  //   t2 − t1 = kServerEpochUs + 1'567'767, t3 − t4 = kServerEpochUs + 1'525'767
  EXPECT_EQ(sample->offset_us, kServerEpochUs + 1'546'767);
  EXPECT_EQ(sample->delay_us, 42'000);
  EXPECT_EQ(sample->mono_us, t1 + (25'000 + 1'234 + 17'000) / 2);
}

TEST(ClockSample, OddSumsRoundToWithinHalfAMicrosecond) {
  // (t2 − t1) + (t3 − t4) odd: θ is a half; any answer within 0.5 µs is the exact one
  // rounded. δ = out − in ≥ 0, so the outbound leg is never below the inbound one. Cover
  // every parity mix of the two legs, both signs, and huge Unix stamps.
  struct Case {
    std::int64_t out_us, in_us, hold_us;  // t2 − t1, t3 − t4, t3 − t2
  };
  const Case cases[] = {
      {3, 3, 0},                                    // θ = 3
      {4, 3, 7},                                    // 3.5
      {3, 2, 1},                                    // 2.5
      {3, -4, 0},                                   // −0.5
      {4, -3, 5},                                   // 0.5
      {-3, -4, 2},                                  // −3.5
      {-4, -7, 0},                                  // −5.5
      {kServerEpochUs + 3, kServerEpochUs + 2, 9},  // Unix time, odd + even
      {kServerEpochUs + 5, kServerEpochUs + 1, 0},  // Unix time, odd + odd
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(testing::Message()
                 << "out=" << c.out_us << " in=" << c.in_us << " hold=" << c.hold_us);
    const std::int64_t t1 = 1'000;
    const std::int64_t t2 = t1 + c.out_us;
    const std::int64_t t3 = t2 + c.hold_us;
    const std::int64_t t4 = t3 - c.in_us;
    const auto sample = make_clock_sample(exchange(t1, t2, t3, t4));
    ASSERT_TRUE(sample.has_value());
    const std::int64_t twice_theta = c.out_us + c.in_us;  // no overflow: < 2^52
    EXPECT_LE(std::abs(2 * sample->offset_us - twice_theta), 1) << "θ = " << sample->offset_us;
    EXPECT_EQ(sample->delay_us, c.out_us - c.in_us);
  }
}

TEST(ClockSample, PositiveOddOffsetIsNotRoundedAway) {
  // θ = 1'000'000.5 with both legs positive: 1'000'000 or 1'000'001, never further.
  const auto sample = make_clock_sample(exchange(0, 1'000'001, 1'000'001, 1));
  ASSERT_TRUE(sample.has_value());
  EXPECT_GE(sample->offset_us, 1'000'000);
  EXPECT_LE(sample->offset_us, 1'000'001);
}

TEST(ClockSample, MonoIsMidpointOfClientStamps) {
  const auto even = make_clock_sample(exchange(1'000, kServerEpochUs, kServerEpochUs, 1'400));
  ASSERT_TRUE(even.has_value());
  EXPECT_EQ(even->mono_us, 1'200);
  // (1000 + 1401) / 2 = 1200.5: either neighbour.
  const auto odd = make_clock_sample(exchange(1'000, kServerEpochUs, kServerEpochUs, 1'401));
  ASSERT_TRUE(odd.has_value());
  EXPECT_GE(odd->mono_us, 1'200);
  EXPECT_LE(odd->mono_us, 1'201);
  // Large monotonic stamps (a client up for a year) do not lose precision.
  const std::int64_t year_us = 31'556'952'000'000;
  const auto late =
      make_clock_sample(exchange(year_us, kServerEpochUs, kServerEpochUs + 10, year_us + 5'010));
  ASSERT_TRUE(late.has_value());
  EXPECT_EQ(late->mono_us, year_us + 2'505);
  EXPECT_EQ(late->delay_us, 5'000);
}

TEST(ClockSample, ZeroDelayIsAccepted) {
  const auto sample = make_clock_sample(exchange(100, 600, 700, 200));
  ASSERT_TRUE(sample.has_value());
  EXPECT_EQ(sample->delay_us, 0);
  EXPECT_EQ(sample->offset_us, 500);
}

TEST(ClockSample, ReplyBeforeRequestIsRejected) {
  const auto sample = make_clock_sample(exchange(1'000, kServerEpochUs, kServerEpochUs, 999));
  ASSERT_FALSE(sample.has_value());
  EXPECT_EQ(sample.error(), ClockSampleError::reply_before_request);
}

TEST(ClockSample, ServerTimeReversedIsRejected) {
  const auto sample =
      make_clock_sample(exchange(1'000, kServerEpochUs + 10, kServerEpochUs + 9, 2'000));
  ASSERT_FALSE(sample.has_value());
  EXPECT_EQ(sample.error(), ClockSampleError::server_time_reversed);
}

TEST(ClockSample, ServerHoldLongerThanRoundTripIsNegativeDelay) {
  // Round trip 100 µs, but the server claims it held the request 101 µs.
  const auto sample =
      make_clock_sample(exchange(1'000, kServerEpochUs, kServerEpochUs + 101, 1'100));
  ASSERT_FALSE(sample.has_value());
  EXPECT_EQ(sample.error(), ClockSampleError::negative_delay);
}

TEST(ClockSample, DelayAboveLimitIsRejectedAndTheLimitItselfIsNot) {
  const auto at_limit =
      make_clock_sample(exchange(0, kServerEpochUs, kServerEpochUs + 5, 2'005), 2'000);
  ASSERT_TRUE(at_limit.has_value());
  EXPECT_EQ(at_limit->delay_us, 2'000);

  const auto over =
      make_clock_sample(exchange(0, kServerEpochUs, kServerEpochUs + 5, 2'006), 2'000);
  ASSERT_FALSE(over.has_value());
  EXPECT_EQ(over.error(), ClockSampleError::delay_too_large);
}

TEST(ClockSample, DefaultDelayLimitIsTenSeconds) {
  const auto at_limit =
      make_clock_sample(exchange(0, kServerEpochUs, kServerEpochUs, kMaxSampleDelayUs));
  EXPECT_TRUE(at_limit.has_value());
  const auto over =
      make_clock_sample(exchange(0, kServerEpochUs, kServerEpochUs, kMaxSampleDelayUs + 1));
  ASSERT_FALSE(over.has_value());
  EXPECT_EQ(over.error(), ClockSampleError::delay_too_large);
}

TEST(ClockSample, EveryErrorHasItsOwnDescription) {
  const ClockSampleError errors[] = {
      ClockSampleError::reply_before_request, ClockSampleError::server_time_reversed,
      ClockSampleError::negative_delay, ClockSampleError::delay_too_large};
  std::set<std::string> seen;
  for (const auto error : errors) {
    const std::string text(to_string(error));
    EXPECT_FALSE(text.empty());
    EXPECT_EQ(text.find("unknown"), std::string::npos) << text;
    seen.insert(text);
  }
  EXPECT_EQ(seen.size(), std::size(errors));
}

}  // namespace
}  // namespace streamsync
