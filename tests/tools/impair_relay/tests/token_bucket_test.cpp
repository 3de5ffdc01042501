#include "impair_relay/token_bucket.hpp"

#include <gtest/gtest.h>

namespace streamsync::impair {
namespace {

TEST(TokenBucket, WithoutACapEverythingLeavesAtOnce) {
  TokenBucket bucket(0, 0);
  EXPECT_FALSE(bucket.limited());
  EXPECT_EQ(bucket.reserve(1'000, 1'000'000), 1'000);
  EXPECT_EQ(bucket.backlog_us(1'000), 0);
}

TEST(TokenBucket, ABurstPassesThenTheRateHolds) {
  TokenBucket bucket(1'000'000, 10'000);  // 1 MB/s = 1 byte/µs, 10 kB burst
  EXPECT_EQ(bucket.reserve(0, 10'000), 0);       // the burst
  EXPECT_EQ(bucket.reserve(0, 1'000), 1'000);    // then 1 µs per byte
  EXPECT_EQ(bucket.reserve(0, 1'000), 2'000);    // queued behind the first
  EXPECT_EQ(bucket.backlog_us(0), 2'000);
  EXPECT_EQ(bucket.backlog_us(1'500), 500);
  EXPECT_EQ(bucket.backlog_us(5'000), 0);
}

TEST(TokenBucket, TokensRefillOnlyUpToTheBurst) {
  TokenBucket bucket(1'000'000, 10'000);
  EXPECT_EQ(bucket.reserve(0, 10'000), 0);
  // A second of idling refills 10 kB, not 1 MB.
  EXPECT_EQ(bucket.reserve(1'000'000, 10'000), 1'000'000);
  EXPECT_EQ(bucket.reserve(1'000'000, 10'000), 1'010'000);
}

TEST(TokenBucket, LongRunRateIsTheCap) {
  TokenBucket bucket(250'000, 3'000);  // 2 Mbit/s
  std::int64_t sent_us = 0;
  // 1 MB offered as fast as it comes, in 16 kB chunks.
  for (int i = 0; i < 64; ++i) sent_us = bucket.reserve(0, 16'384);
  const double rate_bytes_per_s = 64.0 * 16'384 / (static_cast<double>(sent_us) / 1e6);
  EXPECT_NEAR(rate_bytes_per_s, 250'000, 250'000 * 0.01);
}

}  // namespace
}  // namespace streamsync::impair
