#include "time/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace streamsync::server {
namespace {

using boost::asio::ip::address;
using boost::asio::ip::make_address;

constexpr std::int64_t kSecondUs = 1'000'000;

// Calls allow() `count` times at `now_us` and counts the answers.
int answered(SourceRateLimiter& limiter, const address& source, int count, std::int64_t now_us) {
  int answers = 0;
  for (int i = 0; i < count; ++i) {
    if (limiter.allow(source, now_us) == RateDecision::answer) ++answers;
  }
  return answers;
}

TEST(SourceRateLimiter, NewSourceGetsAFullBurst) {
  SourceRateLimiter limiter({.requests_per_s = 8, .burst = 16});
  const address source = make_address("192.0.2.1");
  EXPECT_EQ(answered(limiter, source, 16, 0), 16);
  EXPECT_NE(limiter.allow(source, 0), RateDecision::answer);
}

TEST(SourceRateLimiter, RefillsAtTheConfiguredRate) {
  SourceRateLimiter limiter({.requests_per_s = 8, .burst = 16});
  const address source = make_address("192.0.2.1");
  ASSERT_EQ(answered(limiter, source, 16, 0), 16);

  // 8/s: one token every 125 ms, not before.
  EXPECT_NE(limiter.allow(source, 124'999), RateDecision::answer);
  EXPECT_EQ(limiter.allow(source, 125'000), RateDecision::answer);
  EXPECT_NE(limiter.allow(source, 125'000), RateDecision::answer);

  // One second later: eight more.
  EXPECT_EQ(answered(limiter, source, 20, 125'000 + kSecondUs), 8);
}

TEST(SourceRateLimiter, FractionsOfATokenAccumulate) {
  SourceRateLimiter limiter({.requests_per_s = 8, .burst = 1});
  const address source = make_address("192.0.2.1");
  ASSERT_EQ(limiter.allow(source, 0), RateDecision::answer);
  // Asking every 50 ms must not throw away the partial token each refusal has earned.
  EXPECT_NE(limiter.allow(source, 50'000), RateDecision::answer);
  EXPECT_NE(limiter.allow(source, 100'000), RateDecision::answer);
  EXPECT_EQ(limiter.allow(source, 150'000), RateDecision::answer);
}

TEST(SourceRateLimiter, BucketNeverHoldsMoreThanTheBurst) {
  SourceRateLimiter limiter({.requests_per_s = 8, .burst = 4});
  const address source = make_address("192.0.2.1");
  ASSERT_EQ(answered(limiter, source, 1, 0), 1);
  // An hour of silence refills to the burst, no further.
  EXPECT_EQ(answered(limiter, source, 10, 3600 * kSecondUs), 4);
}

TEST(SourceRateLimiter, SourcesAreIndependent) {
  SourceRateLimiter limiter({.requests_per_s = 1, .burst = 2});
  const address first = make_address("192.0.2.1");
  const address second = make_address("192.0.2.2");
  const address third = make_address("2001:db8::1");
  ASSERT_EQ(answered(limiter, first, 5, 0), 2);
  EXPECT_EQ(answered(limiter, second, 5, 0), 2);
  EXPECT_EQ(answered(limiter, third, 5, 0), 2);
  EXPECT_EQ(limiter.source_count(), 3U);
}

TEST(SourceRateLimiter, Ipv4AndItsMappedIpv6FormAreOneSource) {
  SourceRateLimiter limiter({.requests_per_s = 1, .burst = 2});
  ASSERT_EQ(answered(limiter, make_address("192.0.2.1"), 2, 0), 2);
  EXPECT_NE(limiter.allow(make_address("::ffff:192.0.2.1"), 0), RateDecision::answer);
  EXPECT_EQ(limiter.source_count(), 1U);
}

TEST(SourceRateLimiter, RemembersAtMostMaxSourcesAndForgetsTheLeastRecentlySeen) {
  SourceRateLimiter limiter({.requests_per_s = 1, .burst = 1, .max_sources = 3});
  const address a = make_address("192.0.2.1");
  const address b = make_address("192.0.2.2");
  const address c = make_address("192.0.2.3");
  const address d = make_address("192.0.2.4");
  for (const address& source : {a, b, c}) ASSERT_EQ(limiter.allow(source, 0), RateDecision::answer);
  // Seeing `a` again makes `b` the least recently seen; `d` pushes it out.
  EXPECT_NE(limiter.allow(a, 0), RateDecision::answer);
  EXPECT_EQ(limiter.allow(d, 0), RateDecision::answer);
  EXPECT_EQ(limiter.source_count(), 3U);

  // `a`, `c` and `d` are still remembered (empty buckets); `b` was forgotten and starts afresh.
  EXPECT_NE(limiter.allow(a, 0), RateDecision::answer);
  EXPECT_NE(limiter.allow(d, 0), RateDecision::answer);
  EXPECT_EQ(limiter.allow(b, 0), RateDecision::answer);  // evicts `c`
  EXPECT_EQ(limiter.source_count(), 3U);
}

TEST(SourceRateLimiter, ManySourcesStayWithinTheBound) {
  SourceRateLimiter limiter({.max_sources = 100});
  for (std::uint32_t i = 0; i < 10'000; ++i) {
    limiter.allow(boost::asio::ip::address_v4(0x0a000000U + i), std::int64_t{i});
  }
  EXPECT_EQ(limiter.source_count(), 100U);
}

TEST(SourceRateLimiter, SendsOneKissOfDeathPerIntervalThenSilence) {
  SourceRateLimiter limiter({.requests_per_s = 1, .burst = 1, .kod_interval_us = 5 * kSecondUs});
  const address source = make_address("192.0.2.1");
  ASSERT_EQ(limiter.allow(source, 0), RateDecision::answer);
  EXPECT_EQ(limiter.allow(source, 0), RateDecision::kiss_of_death);
  EXPECT_EQ(limiter.allow(source, 1), RateDecision::drop_silently);
  EXPECT_EQ(limiter.allow(source, 2), RateDecision::drop_silently);

  // Keep it over the limit: requests every 0.1 s against a refill of 1/s.
  int kods = 0;
  int answers = 0;
  for (std::int64_t t = kSecondUs / 10; t < 5 * kSecondUs; t += kSecondUs / 10) {
    const RateDecision decision = limiter.allow(source, t);
    if (decision == RateDecision::kiss_of_death) ++kods;
    if (decision == RateDecision::answer) ++answers;
  }
  EXPECT_EQ(kods, 0) << "a second kiss-o'-death within the interval";
  EXPECT_GE(answers, 3);  // the bucket still refills
  // Once the interval has passed, the next refusal carries a kiss-o'-death again.
  RateDecision decision = RateDecision::answer;
  while (decision == RateDecision::answer) decision = limiter.allow(source, 5 * kSecondUs);
  EXPECT_EQ(decision, RateDecision::kiss_of_death);
  EXPECT_EQ(limiter.allow(source, 5 * kSecondUs), RateDecision::drop_silently);
}

TEST(SourceRateLimiter, KissOfDeathPacingIsPerSource) {
  SourceRateLimiter limiter({.requests_per_s = 1, .burst = 1});
  const address first = make_address("192.0.2.1");
  const address second = make_address("192.0.2.2");
  ASSERT_EQ(limiter.allow(first, 0), RateDecision::answer);
  ASSERT_EQ(limiter.allow(second, 0), RateDecision::answer);
  EXPECT_EQ(limiter.allow(first, 0), RateDecision::kiss_of_death);
  EXPECT_EQ(limiter.allow(second, 0), RateDecision::kiss_of_death);
}

TEST(SourceRateLimiter, KissOfDeathAgainAfterTheInterval) {
  SourceRateLimiter limiter({.requests_per_s = 0.001, .burst = 1, .kod_interval_us = kSecondUs});
  const address source = make_address("192.0.2.1");
  ASSERT_EQ(limiter.allow(source, 0), RateDecision::answer);
  ASSERT_EQ(limiter.allow(source, 0), RateDecision::kiss_of_death);
  EXPECT_EQ(limiter.allow(source, kSecondUs - 1), RateDecision::drop_silently);
  EXPECT_EQ(limiter.allow(source, kSecondUs), RateDecision::kiss_of_death);
}

TEST(SourceRateLimiter, ClockGoingBackwardsNeitherRefillsNorAddsKissOfDeath) {
  SourceRateLimiter limiter({.requests_per_s = 1, .burst = 1, .kod_interval_us = kSecondUs});
  const address source = make_address("192.0.2.1");
  const std::int64_t start = 100 * kSecondUs;
  ASSERT_EQ(limiter.allow(source, start), RateDecision::answer);
  ASSERT_EQ(limiter.allow(source, start), RateDecision::kiss_of_death);
  EXPECT_EQ(limiter.allow(source, start - 50 * kSecondUs), RateDecision::drop_silently);
  // Time runs on from the new reading: half a second is half a token, a second is one.
  EXPECT_EQ(limiter.allow(source, start - 49 * kSecondUs - kSecondUs / 2),
            RateDecision::drop_silently);
  EXPECT_EQ(limiter.allow(source, start - 49 * kSecondUs), RateDecision::answer);
}

TEST(SourceRateLimiter, RefusesConfigurationsOutOfBounds) {
  EXPECT_THROW(SourceRateLimiter({.requests_per_s = 0}), std::invalid_argument);
  EXPECT_THROW(SourceRateLimiter({.requests_per_s = -1}), std::invalid_argument);
  EXPECT_THROW(SourceRateLimiter({.burst = 0.5}), std::invalid_argument);
  EXPECT_THROW(SourceRateLimiter({.max_sources = 0}), std::invalid_argument);
  EXPECT_THROW(SourceRateLimiter({.kod_interval_us = -1}), std::invalid_argument);
  EXPECT_NO_THROW(SourceRateLimiter{});
}

}  // namespace
}  // namespace streamsync::server
