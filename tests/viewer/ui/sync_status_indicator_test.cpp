#include "ui/sync_status_indicator.hpp"

#include <gtest/gtest.h>

namespace streamsync::viewer {
namespace {

SyncTick tick_in(ViewerState state) {
  SyncTick tick;
  tick.state = state;
  return tick;
}

struct Expectation {
  SyncTick tick;
  const char* text;
  StatusTone tone;
};

TEST(SyncStatusIndicator, TextAndToneForEveryState) {
  SyncTick in_sync = tick_in(ViewerState::in_sync);
  in_sync.error_ms = -2.7;
  SyncTick correcting = tick_in(ViewerState::correcting);
  correcting.error_ms = 42.2;
  correcting.rate = 1.02;
  SyncTick behind = tick_in(ViewerState::correcting);
  behind.error_ms = -130.0;
  behind.rate = 0.995;
  SyncTick countdown = tick_in(ViewerState::countdown);
  countdown.starts_in_us = 11'200'000;

  const Expectation cases[] = {
      {in_sync, "In sync ±3 ms", StatusTone::good},
      {correcting, "Correcting +42 ms (rate 1.02)", StatusTone::working},
      {behind, "Correcting -130 ms (rate 0.995)", StatusTone::working},
      {tick_in(ViewerState::seeking), "Seeking…", StatusTone::working},
      {tick_in(ViewerState::buffering), "Buffering…", StatusTone::working},
      {tick_in(ViewerState::connecting), "Joining…", StatusTone::working},
      {tick_in(ViewerState::reconnecting), "Reconnecting…", StatusTone::working},
      {tick_in(ViewerState::offline), "Offline", StatusTone::bad},
      {countdown, "Starts in 0:12", StatusTone::plain},
      {tick_in(ViewerState::ended), "Ended", StatusTone::plain},
  };
  SyncStatusIndicator indicator;
  const QColor plain_colour = indicator.palette().color(QPalette::WindowText);
  for (const Expectation& e : cases) {
    indicator.show_tick(e.tick);
    EXPECT_EQ(indicator.text(), QString::fromUtf8(e.text));
    EXPECT_EQ(indicator.tone(), e.tone) << e.text;
    const QColor shown = indicator.palette().color(QPalette::WindowText);
    if (e.tone == StatusTone::plain) {
      EXPECT_EQ(shown, plain_colour) << e.text;
    } else {
      EXPECT_EQ(shown, status_colour(e.tone)) << e.text;
    }
  }
}

TEST(SyncStatusIndicator, ColoursTellGoodWorkingAndBadApart) {
  const QColor good = status_colour(StatusTone::good);
  const QColor working = status_colour(StatusTone::working);
  const QColor bad = status_colour(StatusTone::bad);
  EXPECT_GT(good.green(), good.red());       // green
  EXPECT_GT(working.red(), working.blue());  // amber
  EXPECT_GT(working.green(), working.blue());
  EXPECT_GT(bad.red(), bad.green());  // red
  EXPECT_FALSE(status_colour(StatusTone::plain).isValid());
}

TEST(SyncStatusIndicator, UnknownErrorIsLeftOut) {
  EXPECT_EQ(status_text(tick_in(ViewerState::in_sync)), QStringLiteral("In sync"));
  SyncTick correcting = tick_in(ViewerState::correcting);
  correcting.rate = 1.05;
  EXPECT_EQ(status_text(correcting), QStringLiteral("Correcting (rate 1.05)"));
}

TEST(SyncStatusIndicator, JoiningAndIdle) {
  SyncStatusIndicator indicator;
  EXPECT_EQ(indicator.objectName(), QStringLiteral("syncStatus"));
  EXPECT_EQ(indicator.text(), QStringLiteral("Not watching"));
  indicator.show_joining();
  EXPECT_EQ(indicator.text(), QStringLiteral("Joining…"));
  EXPECT_EQ(indicator.tone(), StatusTone::working);
  indicator.show_idle();
  EXPECT_EQ(indicator.tone(), StatusTone::plain);
}

}  // namespace
}  // namespace streamsync::viewer
