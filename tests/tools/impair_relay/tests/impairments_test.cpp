#include "impair_relay/impairments.hpp"

#include <gtest/gtest.h>

namespace streamsync::impair {
namespace {

TEST(Impairments, PlainSettingsApplyToBothDirections) {
  Impairments impairments;
  ASSERT_FALSE(apply_settings(impairments, {{"delay-ms", "50"}, {"jitter-ms", "10"}, {"loss", "0.01"},
                                            {"bandwidth-kbps", "2000"}}));
  for (const Direction direction : {Direction::up, Direction::down}) {
    EXPECT_DOUBLE_EQ(impairments[direction].delay_ms, 50);
    EXPECT_DOUBLE_EQ(impairments[direction].jitter_ms, 10);
    EXPECT_DOUBLE_EQ(impairments[direction].loss, 0.01);
    EXPECT_DOUBLE_EQ(impairments[direction].bandwidth_kbps, 2000);
  }
}

TEST(Impairments, DirectionOverridesWinWhateverTheOrder) {
  Impairments impairments;
  ASSERT_FALSE(apply_settings(impairments, {{"up-delay-ms", "40"}, {"delay-ms", "10"}, {"down-loss", "0.5"}}));
  EXPECT_DOUBLE_EQ(impairments.up.delay_ms, 40);
  EXPECT_DOUBLE_EQ(impairments.down.delay_ms, 10);
  EXPECT_DOUBLE_EQ(impairments.up.loss, 0);
  EXPECT_DOUBLE_EQ(impairments.down.loss, 0.5);
}

TEST(Impairments, RejectsOutOfRangeAndLeavesSettingsUnchanged) {
  Impairments impairments;
  impairments.up.delay_ms = 7;
  const auto error = apply_settings(impairments, {{"delay-ms", "50"}, {"loss", "1.5"}});
  ASSERT_TRUE(error);
  EXPECT_EQ(*error, "loss: '1.5' is not a probability from 0 to 1");
  EXPECT_DOUBLE_EQ(impairments.up.delay_ms, 7);
  EXPECT_TRUE(apply_settings(impairments, {{"jitter-ms", "-1"}}));
  EXPECT_TRUE(apply_settings(impairments, {{"delay-ms", "abc"}}));
  EXPECT_TRUE(apply_settings(impairments, {{"delay-ms", "nan"}}));
  EXPECT_TRUE(apply_settings(impairments, {{"delay-ms", ""}}));
  EXPECT_EQ(apply_settings(impairments, {{"sideways-delay-ms", "1"}}).value_or(""),
            "unknown setting 'sideways-delay-ms'");
}

TEST(Impairments, KnowsItsNames) {
  EXPECT_TRUE(is_setting_name("down-bandwidth-kbps"));
  EXPECT_TRUE(is_setting_name("jitter-ms"));
  EXPECT_FALSE(is_setting_name("seed"));
  EXPECT_FALSE(is_setting_name("up-"));
}

TEST(Impairments, DescribesALink) {
  LinkImpairment link{50, 10, 0.01, 0};
  EXPECT_EQ(describe(link), "delay_ms=50 jitter_ms=10 loss=0.01 bandwidth_kbps=0");
}

}  // namespace
}  // namespace streamsync::impair
