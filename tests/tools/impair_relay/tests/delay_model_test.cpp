#include "impair_relay/delay_model.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace streamsync::impair {
namespace {

struct Moments {
  double mean_us = 0;
  double stddev_us = 0;
};

Moments moments_of(const std::vector<std::int64_t>& samples_us) {
  double sum = 0;
  for (const auto sample : samples_us) sum += static_cast<double>(sample);
  const double mean = sum / static_cast<double>(samples_us.size());
  double squares = 0;
  for (const auto sample : samples_us) squares += std::pow(static_cast<double>(sample) - mean, 2);
  return {mean, std::sqrt(squares / static_cast<double>(samples_us.size() - 1))};
}

TEST(DelayModel, SamplesTheConfiguredNormalDistribution) {
  DelayModel model(LinkImpairment{50, 10, 0, 0});
  std::mt19937_64 random(42);
  std::vector<std::int64_t> samples_us;
  for (int i = 0; i < 10'000; ++i) samples_us.push_back(model.sample_delay_us(random));
  const Moments moments = moments_of(samples_us);
  // Standard errors over 10k samples: of the mean σ/√n = 100 µs, of σ about σ/√(2n) = 71 µs.
  // Five of them: a correct model fails about once in a few million seeds.
  EXPECT_NEAR(moments.mean_us, 50'000, 5 * 100);
  EXPECT_NEAR(moments.stddev_us, 10'000, 5 * 71);
}

TEST(DelayModel, WithoutJitterEveryDelayIsTheDelay) {
  DelayModel model(LinkImpairment{50, 0, 0, 0});
  std::mt19937_64 random(1);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(model.sample_delay_us(random), 50'000);
}

TEST(DelayModel, ClampsAtZero) {
  // Mean 0: half of the normal draws are negative and must become 0, never a negative delay.
  DelayModel model(LinkImpairment{0, 10, 0, 0});
  std::mt19937_64 random(7);
  int zeros = 0;
  const int n = 10'000;
  for (int i = 0; i < n; ++i) {
    const auto delay_us = model.sample_delay_us(random);
    ASSERT_GE(delay_us, 0);
    if (delay_us == 0) ++zeros;
  }
  // Binomial(n, 1/2): σ = 50; five of them.
  EXPECT_NEAR(zeros, n / 2, 5 * 50);
}

TEST(DelayModel, LossFractionIsTheConfiguredProbability) {
  DelayModel model(LinkImpairment{0, 0, 0.01, 0});
  std::mt19937_64 random(3);
  const int n = 100'000;
  int lost = 0;
  for (int i = 0; i < n; ++i) lost += model.sample_lost(random) ? 1 : 0;
  const double sigma = std::sqrt(n * 0.01 * 0.99);  // binomial: 31.5
  EXPECT_NEAR(lost, n * 0.01, 5 * sigma);
}

TEST(DelayModel, NoLossAndCertainLoss) {
  std::mt19937_64 random(3);
  DelayModel never(LinkImpairment{0, 0, 0, 0});
  DelayModel always(LinkImpairment{0, 0, 1, 0});
  for (int i = 0; i < 1000; ++i) {
    EXPECT_FALSE(never.sample_lost(random));
    EXPECT_TRUE(always.sample_lost(random));
  }
}

TEST(DelayModel, ASeedReplaysTheSameDelays) {
  DelayModel first(LinkImpairment{50, 10, 0.1, 0});
  DelayModel second(LinkImpairment{50, 10, 0.1, 0});
  std::mt19937_64 random_a(99);
  std::mt19937_64 random_b(99);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(first.sample_delay_us(random_a), second.sample_delay_us(random_b));
    EXPECT_EQ(first.sample_lost(random_a), second.sample_lost(random_b));
  }
}

TEST(InOrderRelease, AChunkNeverLeavesBeforeThePreviousOne) {
  InOrderRelease order;
  EXPECT_EQ(order.next(1'000), 1'000);
  EXPECT_EQ(order.next(3'000), 3'000);
  EXPECT_EQ(order.next(2'000), 3'000);  // would overtake: held behind the previous chunk
  EXPECT_EQ(order.next(2'500), 3'000);
  EXPECT_EQ(order.next(4'000), 4'000);  // later than all before: its own time
}

TEST(InOrderRelease, ReleaseIsMaxOfPreviousAndArrivalPlusDelay) {
  // Chunks every millisecond with jittered delays: the releases never decrease, each is at
  // least its own arrival + delay, and each equals one of the two candidates.
  DelayModel model(LinkImpairment{50, 10, 0, 0});
  std::mt19937_64 random(5);
  InOrderRelease order;
  std::int64_t previous_us = 0;
  int held_back = 0;
  for (std::int64_t arrival_us = 0; arrival_us < 1'000'000; arrival_us += 1'000) {
    const std::int64_t own_us = arrival_us + model.sample_delay_us(random);
    const std::int64_t release_us = order.next(own_us);
    EXPECT_EQ(release_us, std::max(previous_us, own_us));
    if (release_us > own_us) ++held_back;
    previous_us = release_us;
  }
  // With σ = 10 ms and 1 ms spacing, head-of-line blocking is the rule, not the exception.
  EXPECT_GT(held_back, 500);
}

}  // namespace
}  // namespace streamsync::impair
