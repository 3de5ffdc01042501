#include "ui/stats_overlay.hpp"

#include <gtest/gtest.h>

#include <QFontDatabase>

namespace streamsync::viewer {
namespace {

SyncTick busy_tick() {
  SyncTick tick;
  tick.mono_ns = 1'000'000'000;
  tick.state = ViewerState::correcting;
  tick.error_ms = 12.346;
  tick.rate = 1.0125;
  tick.clock_offset_us = 2'000'123;
  tick.clock_error_bound_us = 412;
  tick.rtt_us = 512;
  tick.drift_ppm = -12.34;
  tick.buffer_s = 12.44;
  tick.variant = "720p";
  tick.bitrate_bps = 2'500'000;
  tick.dropped_frames = 3;
  tick.decoder = "hw (vaapi)";
  tick.seeks = 1;
  tick.rate_changes = 14;
  tick.stalls = 2;
  tick.quality_switches = 5;
  return tick;
}

TEST(StatsOverlay, ShowsEveryNumber) {
  StatsOverlay overlay;
  EXPECT_EQ(overlay.objectName(), QStringLiteral("statsOverlay"));
  overlay.show_tick(busy_tick());
  const QString text = overlay.text();
  const char* expected[] = {
      "clock offset   +2000.123 ms",
      "clock error    ±0.412 ms (NTP)",
      "rtt            0.512 ms",
      "drift          -12.3 ppm",
      "sync error     +12.35 ms",
      "rate           1.0125",
      "buffer         12.4 s",
      "variant        720p @ 2.50 Mb/s",
      "dropped frames 3",
      "decoder        hw (vaapi)",
      "seeks          1",
      "rate changes   14",
      "stalls         2",
      "quality sw.    5",
  };
  for (const char* line : expected) {
    EXPECT_TRUE(text.contains(QString::fromUtf8(line))) << line << "\nin:\n" << text.toStdString();
  }
}

TEST(StatsOverlay, UnknownValuesShowADash) {
  SyncTick tick;
  tick.clock_over_http = true;
  const QString text = stats_text(tick);
  EXPECT_TRUE(text.contains(QStringLiteral("sync error     –")));
  EXPECT_TRUE(text.contains(QStringLiteral("variant        –")));
  EXPECT_TRUE(text.contains(QStringLiteral("decoder        –")));
  EXPECT_TRUE(text.contains(QStringLiteral("(HTTP)")));
}

TEST(StatsOverlay, RedrawsAtMostFourTimesASecond) {
  StatsOverlay overlay;
  SyncTick tick = busy_tick();
  overlay.show_tick(tick);
  tick.mono_ns += 100'000'000;  // 100 ms later
  tick.dropped_frames = 99;
  overlay.show_tick(tick);
  EXPECT_FALSE(overlay.text().contains(QStringLiteral("dropped frames 99")));
  tick.mono_ns += 200'000'000;
  overlay.show_tick(tick);
  EXPECT_TRUE(overlay.text().contains(QStringLiteral("dropped frames 99")));
}

TEST(StatsOverlay, IsMonospaceAndLetsTheMouseThrough) {
  StatsOverlay overlay;
  // The system's fixed-pitch font (what a machine without one substitutes is its business).
  EXPECT_EQ(overlay.font().family(), QFontDatabase::systemFont(QFontDatabase::FixedFont).family());
  EXPECT_TRUE(overlay.testAttribute(Qt::WA_TransparentForMouseEvents));
  EXPECT_LT(overlay.palette().color(QPalette::Window).alpha(), 255);
}

}  // namespace
}  // namespace streamsync::viewer
