#include "quality/variant_selector.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <random>
#include <vector>

namespace streamsync::viewer {
namespace {

constexpr std::int64_t kSecondUs = 1'000'000;

std::vector<QualityRung> ladder() {
  return {{"240p", 400'000}, {"480p", 1'200'000}, {"720p", 2'500'000}, {"1080p", 5'000'000}};
}

// A selector on ladder(); with a throughput already measured (say, on the playlist
// download) a second before t = 0 when one is given.
VariantSelector make(std::optional<std::int64_t> measured_bps = {}) {
  VariantSelector selector;
  if (measured_bps) {
    selector.observe({.now_us = -kSecondUs, .throughput_bps = measured_bps, .buffer_s = 0});
  }
  const auto decision = selector.set_ladder(ladder());
  EXPECT_TRUE(decision.has_value());
  return selector;
}

const std::string& current_name(const VariantSelector& selector) {
  return selector.ladder()[selector.current()].name;
}

QualityObservation healthy(std::int64_t now_us, std::int64_t throughput_bps) {
  return {.now_us = now_us, .throughput_bps = throughput_bps, .buffer_s = 20, .stalled = false};
}

TEST(VariantSelector, RejectsABadLadderNamingTheProblem) {
  VariantSelector selector;
  const auto empty = selector.set_ladder({});
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error(), "ladder: no renditions");

  const auto zero = selector.set_ladder({{"a", 1000}, {"b", 0}});
  ASSERT_FALSE(zero.has_value());
  EXPECT_EQ(zero.error(), "ladder[1].bandwidth_bps must be > 0");

  const auto unordered = selector.set_ladder({{"high", 5000}, {"low", 1000}});
  ASSERT_FALSE(unordered.has_value());
  EXPECT_EQ(unordered.error().rfind("ladder[1].bandwidth_bps is below", 0), 0u);
  EXPECT_TRUE(selector.ladder().empty());  // nothing was taken
}

TEST(VariantSelector, WithoutALadderItOnlyLearns) {
  VariantSelector selector;
  const QualityDecision d = selector.observe(healthy(0, 3'000'000));
  EXPECT_EQ(d.index, 0u);
  EXPECT_FALSE(d.switched);
  EXPECT_EQ(selector.throughput_estimate_bps(), 3'000'000);
}

TEST(VariantSelector, StartsOnTheLowestRungWhenThroughputIsUnknown) {
  const VariantSelector selector = make();
  EXPECT_EQ(current_name(selector), "240p");
  EXPECT_EQ(selector.throughput_estimate_bps(), std::nullopt);
}

TEST(VariantSelector, StartsOnTheHighestRungWithinSeventyPercentOfAKnownThroughput) {
  // 0.7 × 4 Mb/s = 2.8 Mb/s: 720p (2.5) fits, 1080p (5) does not.
  EXPECT_EQ(current_name(make(4'000'000)), "720p");
  // 0.7 × 3.5 Mb/s = 2.45 Mb/s: just below 720p.
  EXPECT_EQ(current_name(make(3'500'000)), "480p");
  // Less than the lowest rung needs: the lowest all the same.
  EXPECT_EQ(current_name(make(100'000)), "240p");
}

TEST(VariantSelector, MovesToTheStartRungAtTheFirstThroughputObserved) {
  VariantSelector selector = make();
  // No measurement yet (nothing downloaded): stay, even with an empty buffer.
  QualityDecision d = selector.observe({.now_us = 0, .throughput_bps = {}, .buffer_s = 0});
  EXPECT_EQ(d.reason, QualityReason::hold);
  EXPECT_FALSE(d.switched);

  d = selector.observe({.now_us = kSecondUs, .throughput_bps = 8'000'000, .buffer_s = 2});
  EXPECT_EQ(d.reason, QualityReason::start);
  EXPECT_TRUE(d.switched);
  EXPECT_EQ(current_name(selector), "1080p");  // 0.7 × 8 = 5.6 Mb/s
  // The start rule runs once; afterwards only the step rules move.
  d = selector.observe(healthy(2 * kSecondUs, 8'000'000));
  EXPECT_EQ(d.reason, QualityReason::hold);
}

TEST(VariantSelector, StepsDownAtOnceOnAStallTheThroughputExplains) {
  VariantSelector selector = make(8'000'000);
  ASSERT_EQ(current_name(selector), "1080p");
  // The network collapses to 1.5 Mb/s: the fast average notices within seconds.
  std::int64_t now_us = 0;
  for (int i = 0; i < 5; ++i) {
    now_us += kSecondUs;
    selector.observe({.now_us = now_us, .throughput_bps = 1'500'000, .buffer_s = 9});
  }
  ASSERT_EQ(current_name(selector), "1080p");  // buffer still fine: nothing urgent yet
  now_us += kSecondUs;
  const QualityDecision d = selector.observe(
      {.now_us = now_us, .throughput_bps = 1'500'000, .buffer_s = 0, .stalled = true});
  EXPECT_EQ(d.reason, QualityReason::stall);
  EXPECT_TRUE(d.switched);
  // Straight to a rung the estimate carries with 30 % to spare, skipping 720p.
  EXPECT_LE(static_cast<double>(selector.ladder()[d.index].bandwidth_bps),
            0.7 * *selector.throughput_estimate_bps());
  EXPECT_LT(d.index, 2u);
}

TEST(VariantSelector, StepsDownOnLowBufferEvenRightAfterASwitch) {
  VariantSelector selector = make();
  selector.observe({.now_us = 0, .throughput_bps = 8'000'000, .buffer_s = 1});  // start: 1080p
  ASSERT_EQ(current_name(selector), "1080p");
  // One second after that switch the throughput falls and the buffer is low: an
  // emergency is not held back by the one-switch-per-10-s rule.
  std::int64_t now_us = 0;
  QualityDecision d;
  for (int i = 0; i < 20 && !d.switched; ++i) {
    now_us += kSecondUs / 2;
    d = selector.observe({.now_us = now_us, .throughput_bps = 1'000'000, .buffer_s = 3});
  }
  EXPECT_TRUE(d.switched);
  EXPECT_EQ(d.reason, QualityReason::low_buffer);
  EXPECT_LT(now_us, 10 * kSecondUs);
  EXPECT_LT(selector.current(), 3u);
}

TEST(VariantSelector, IgnoresAStallTheThroughputDoesNotExplain) {
  VariantSelector selector = make(4'000'000);
  ASSERT_EQ(current_name(selector), "720p");
  // Plenty of throughput (4 Mb/s > 2.5 / 0.9): a stall from a seek or a server hiccup.
  const QualityDecision d = selector.observe(
      {.now_us = kSecondUs, .throughput_bps = 4'000'000, .buffer_s = 0, .stalled = true});
  EXPECT_EQ(d.reason, QualityReason::hold);
  EXPECT_EQ(current_name(selector), "720p");
}

TEST(VariantSelector, StallWithoutAnyMeasurementStepsDownOneRung) {
  VariantSelector selector = make();
  selector.pin("720p", 0);
  selector.pin("", 0);  // nothing measured: stays on 720p under automatic choice
  ASSERT_EQ(current_name(selector), "720p");
  const QualityDecision d =
      selector.observe({.now_us = kSecondUs, .throughput_bps = {}, .buffer_s = 0, .stalled = true});
  EXPECT_EQ(d.reason, QualityReason::stall);
  EXPECT_EQ(current_name(selector), "480p");
}

TEST(VariantSelector, StepsUpOneRungOnlyAfterFifteenStableSeconds) {
  VariantSelector selector = make(2'000'000);  // 0.7 × 2 = 1.4 Mb/s: 480p
  ASSERT_EQ(current_name(selector), "480p");
  // Throughput now 4 Mb/s ≥ 1.4 × 2.5 Mb/s (720p), buffer healthy from t = 0.
  std::int64_t now_us = 0;
  QualityDecision d;
  std::int64_t switched_at_us = -1;
  for (; now_us <= 20 * kSecondUs; now_us += kSecondUs) {
    d = selector.observe(healthy(now_us, 4'000'000));
    if (d.switched) {
      switched_at_us = now_us;
      break;
    }
  }
  EXPECT_EQ(d.reason, QualityReason::step_up);
  EXPECT_EQ(current_name(selector), "720p");  // one rung, not straight to 1080p
  EXPECT_GE(switched_at_us, 15 * kSecondUs);
}

TEST(VariantSelector, StepUpWaitsForEnoughBuffer) {
  VariantSelector selector = make(2'000'000);
  for (std::int64_t now_us = 0; now_us <= 60 * kSecondUs; now_us += kSecondUs) {
    const QualityDecision d =
        selector.observe({.now_us = now_us, .throughput_bps = 10'000'000, .buffer_s = 7.5});
    ASSERT_FALSE(d.switched) << "at " << now_us;
  }
}

TEST(VariantSelector, StepUpWaitsForThroughputHeadroom) {
  VariantSelector selector = make(2'000'000);  // 480p
  // 3.4 Mb/s < 1.4 × 2.5 Mb/s: 720p would run with too little room.
  for (std::int64_t now_us = 0; now_us <= 60 * kSecondUs; now_us += kSecondUs) {
    ASSERT_FALSE(selector.observe(healthy(now_us, 3'400'000)).switched) << "at " << now_us;
  }
}

TEST(VariantSelector, AStallRestartsTheStableStretch) {
  VariantSelector selector = make(4'000'000);  // 720p; throughput far above what it needs
  std::int64_t now_us = 0;
  for (; now_us < 10 * kSecondUs; now_us += kSecondUs) selector.observe(healthy(now_us, 8'000'000));
  selector.observe({.now_us = now_us, .throughput_bps = 8'000'000, .buffer_s = 0, .stalled = true});
  now_us += kSecondUs;
  const std::int64_t recovered_us = now_us;
  for (; now_us < recovered_us + 14 * kSecondUs; now_us += kSecondUs) {
    ASSERT_FALSE(selector.observe(healthy(now_us, 8'000'000)).switched) << "at " << now_us;
  }
  for (; now_us <= recovered_us + 16 * kSecondUs; now_us += kSecondUs)
    selector.observe(healthy(now_us, 8'000'000));
  EXPECT_EQ(current_name(selector), "1080p");
}

TEST(VariantSelector, PinnedRenditionHoldsWhateverTheNetworkDoes) {
  VariantSelector selector = make(8'000'000);
  const QualityDecision pinned = selector.pin("480p", 0);
  EXPECT_TRUE(pinned.switched);
  EXPECT_EQ(pinned.reason, QualityReason::pinned);
  EXPECT_EQ(current_name(selector), "480p");
  EXPECT_TRUE(selector.pinned());

  // Stalls on a crawling network, then a fast stable one: still 480p.
  std::int64_t now_us = 0;
  for (; now_us < 20 * kSecondUs; now_us += kSecondUs) {
    const QualityDecision d = selector.observe(
        {.now_us = now_us, .throughput_bps = 200'000, .buffer_s = 0, .stalled = true});
    ASSERT_EQ(current_name(selector), "480p");
    ASSERT_EQ(d.reason, QualityReason::pinned);
  }
  for (; now_us < 80 * kSecondUs; now_us += kSecondUs) {
    selector.observe(healthy(now_us, 20'000'000));
    ASSERT_EQ(current_name(selector), "480p");
  }

  // The estimate kept learning while pinned: unpinning picks from it straight away.
  const QualityDecision unpinned = selector.pin("", now_us);
  EXPECT_EQ(unpinned.reason, QualityReason::unpinned);
  EXPECT_FALSE(selector.pinned());
  EXPECT_EQ(current_name(selector), "1080p");
}

TEST(VariantSelector, APinTheLadderLacksMeansAutomaticChoice) {
  VariantSelector selector = make(4'000'000);
  EXPECT_EQ(selector.pin("4k", 0).reason, QualityReason::unpinned);
  EXPECT_FALSE(selector.pinned());
  EXPECT_EQ(current_name(selector), "720p");
}

TEST(VariantSelector, APinOutlivesLadders) {
  VariantSelector selector = make(8'000'000);
  selector.pin("480p", 0);
  // The next video has no 480p: automatic (the estimate says 1080p)...
  auto d = selector.set_ladder({{"360p", 800'000}, {"1080p", 5'000'000}});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->reason, QualityReason::start);
  EXPECT_EQ(current_name(selector), "1080p");
  EXPECT_FALSE(selector.pinned());
  // ...and the one after has it again.
  d = selector.set_ladder(ladder());
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->reason, QualityReason::pinned);
  EXPECT_EQ(current_name(selector), "480p");
}

TEST(VariantSelector, ANewLadderKeepsTheEstimateAndTheSameOneChangesNothing) {
  VariantSelector selector = make();
  std::int64_t now_us = 0;
  for (int i = 0; i < 10; ++i) selector.observe(healthy(now_us += kSecondUs, 3'000'000));
  ASSERT_EQ(current_name(selector), "480p");  // 0.7 × 3 = 2.1 Mb/s

  // Same ladder (the next item is the same video): nothing restarts.
  auto d = selector.set_ladder(ladder());
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->reason, QualityReason::hold);

  // Another video: its start rung comes from what was learnt, not from the bottom.
  d = selector.set_ladder({{"a", 500'000}, {"b", 1'500'000}, {"c", 2'000'000}, {"d", 6'000'000}});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->reason, QualityReason::start);
  EXPECT_FALSE(d->switched);
  EXPECT_EQ(current_name(selector), "c");
}

TEST(VariantSelector, EstimateIsTheSmallerOfFastAndSlowAverages) {
  VariantSelector selector = make(4'000'000);
  std::int64_t now_us = 0;
  // A short burst: the slow average holds the estimate down.
  for (int i = 0; i < 3; ++i) selector.observe(healthy(now_us += kSecondUs, 40'000'000));
  EXPECT_LT(*selector.throughput_estimate_bps(), 20'000'000);
  // A drop: the fast average brings the estimate down within six seconds.
  for (int i = 0; i < 60; ++i) selector.observe(healthy(now_us += kSecondUs, 4'000'000));
  for (int i = 0; i < 6; ++i) selector.observe(healthy(now_us += kSecondUs, 1'000'000));
  EXPECT_LT(*selector.throughput_estimate_bps(), 2'000'000);
}

TEST(VariantSelector, ALongIdleGapDoesNotLetOneSampleWipeTheEstimate) {
  VariantSelector selector = make(4'000'000);
  std::int64_t now_us = 0;
  for (int i = 0; i < 30; ++i) selector.observe(healthy(now_us += kSecondUs, 4'000'000));
  // A minute without downloads (buffer full), then one slow sample.
  now_us += 60 * kSecondUs;
  selector.observe(healthy(now_us, 500'000));
  EXPECT_GT(*selector.throughput_estimate_bps(), 2'000'000);
}

// A player in a loop with the selector: each second the network delivers throughput_bps
// (when the buffer has room) and playback consumes one second of media.
class SimulatedPlayer {
 public:
  static constexpr double kMaxBufferS = 30;

  explicit SimulatedPlayer(VariantSelector& selector, double buffer_s = 0)
      : selector_(selector), buffer_s_(buffer_s), started_(buffer_s > 0) {}

  void run_for(std::int64_t duration_us,
               const std::function<std::int64_t(std::int64_t)>& throughput_at) {
    const std::int64_t until_us = now_us_ + duration_us;
    for (; now_us_ < until_us; now_us_ += kSecondUs) step(throughput_at(now_us_));
  }

  std::int64_t now_us() const { return now_us_; }
  int stalls = 0;
  std::vector<std::pair<std::int64_t, QualityDecision>> switches;

 private:
  void step(std::int64_t throughput_bps) {
    const auto bandwidth_bps =
        static_cast<double>(selector_.ladder()[selector_.current()].bandwidth_bps);
    std::optional<std::int64_t> measured_bps;
    if (buffer_s_ < kMaxBufferS) {
      buffer_s_ =
          std::min(kMaxBufferS, buffer_s_ + static_cast<double>(throughput_bps) / bandwidth_bps);
      measured_bps = throughput_bps;
    }
    bool stalled = false;
    if (buffer_s_ >= 1.0) {
      buffer_s_ -= 1.0;
    } else if (started_) {  // running dry after playback began
      stalled = true;
      ++stalls;
    }
    if (buffer_s_ >= 2.0) started_ = true;
    const QualityDecision d = selector_.observe({.now_us = now_us_,
                                                 .throughput_bps = measured_bps,
                                                 .buffer_s = buffer_s_,
                                                 .stalled = stalled});
    if (d.switched) switches.emplace_back(now_us_, d);
  }

  VariantSelector& selector_;
  std::int64_t now_us_ = 0;
  double buffer_s_;
  bool started_;
};

TEST(VariantSelector, SimulatedBandwidthDropAndRecovery) {
  VariantSelector selector = make();
  SimulatedPlayer player(selector);
  // 10 Mb/s for two minutes, 2 Mb/s for two minutes, then 10 Mb/s again.
  const auto network = [](std::int64_t now_us) -> std::int64_t {
    if (now_us < 120 * kSecondUs) return 10'000'000;
    if (now_us < 240 * kSecondUs) return 2'000'000;
    return 10'000'000;
  };
  player.run_for(120 * kSecondUs, network);
  EXPECT_EQ(current_name(selector), "1080p");
  const int stalls_before_drop = player.stalls;

  player.run_for(120 * kSecondUs, network);
  // Down to a rung 2 Mb/s carries, before the 30 s buffer ran out: no stall.
  EXPECT_LE(selector.ladder()[selector.current()].bandwidth_bps, 1'400'000);
  EXPECT_EQ(player.stalls, stalls_before_drop);

  player.run_for(120 * kSecondUs, network);
  EXPECT_EQ(current_name(selector), "1080p");
  EXPECT_EQ(player.stalls, stalls_before_drop);

  // Every switch was at least 10 s after the previous one unless it was a down-step.
  for (std::size_t i = 1; i < player.switches.size(); ++i) {
    const auto& [at_us, decision] = player.switches[i];
    if (decision.reason == QualityReason::step_up) {
      EXPECT_GE(at_us - player.switches[i - 1].first, 10 * kSecondUs);
    }
  }
  // Start, one emergency down-step, and one step up per rung on the way back.
  EXPECT_LE(player.switches.size(), 5u);
}

TEST(VariantSelector, NoOscillationWithThroughputBetweenTwoRungs) {
  // 3 Mb/s: 720p (2.5) plays with 20 % to spare but 1080p (5) would not; nor is 3 Mb/s
  // enough to step from 720p to 1080p (needs 7) or low enough to leave 720p (below 2.78).
  VariantSelector selector = make(4'000'000);         // starts on 720p
  SimulatedPlayer player(selector, /*buffer_s=*/20);  // in the middle of playback
  std::mt19937 random(7);
  std::uniform_real_distribution<double> noise(0.7, 1.3);  // ±30 % per second
  player.run_for(600 * kSecondUs, [&](std::int64_t) {
    return static_cast<std::int64_t>(3'000'000 * noise(random));
  });
  EXPECT_EQ(current_name(selector), "720p");
  EXPECT_TRUE(player.switches.empty());
}

TEST(VariantSelector, NoOscillationFromAColdStartWithNoisyThroughput) {
  // The same network from an empty buffer: the buffer builds slowly on 720p, so a dip of
  // the estimate may step down once; 3 Mb/s never carries the way back up (needs 3.5).
  VariantSelector selector = make(4'000'000);
  SimulatedPlayer player(selector);
  std::mt19937 random(11);
  std::uniform_real_distribution<double> noise(0.7, 1.3);
  player.run_for(600 * kSecondUs, [&](std::int64_t) {
    return static_cast<std::int64_t>(3'000'000 * noise(random));
  });
  EXPECT_LE(player.switches.size(), 1u);
}

TEST(VariantSelector, NoOscillationRightBetweenTheThresholdsOfTwoRungs) {
  // Between 1.4 × 1.2 = 1.68 Mb/s (step up to 480p) and 480p's own down threshold
  // 1.2 / 0.9 = 1.33 Mb/s: once on 480p it stays, once on 240p it steps up once.
  VariantSelector selector = make(1'000'000);  // 0.7 × 1 = 0.7 Mb/s: 240p
  SimulatedPlayer player(selector);
  player.run_for(600 * kSecondUs, [](std::int64_t) { return std::int64_t{1'700'000}; });
  EXPECT_EQ(current_name(selector), "480p");
  EXPECT_EQ(player.switches.size(), 1u);
  EXPECT_EQ(player.stalls, 0);
}

TEST(VariantSelector, ReasonNamesAreSnakeCase) {
  EXPECT_STREQ(to_string(QualityReason::low_buffer), "low_buffer");
  EXPECT_STREQ(to_string(QualityReason::step_up), "step_up");
}

}  // namespace
}  // namespace streamsync::viewer
