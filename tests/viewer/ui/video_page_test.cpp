#include "ui/video_page.hpp"

#include <gtest/gtest.h>

#include <QLabel>
#include <QPointer>
#include <QProgressBar>
#include <QSignalSpy>
#include <QSlider>
#include <QTest>
#include <QToolButton>

#include "ui/stats_overlay.hpp"

namespace streamsync::viewer {
namespace {

class VideoPageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    page_.resize(800, 500);
    page_.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&page_));
  }

  template <class Widget>
  Widget* child(const char* name) const {
    auto* widget = page_.findChild<Widget*>(QString::fromLatin1(name));
    EXPECT_NE(widget, nullptr) << name;
    return widget;
  }

  VideoPage page_;
};

TEST_F(VideoPageTest, SeekKeysDoNothing) {
  page_.show_channel(QStringLiteral("Demo"));
  page_.show_item(QStringLiteral("Pattern A"), 0, 30'000'000);
  SyncTick tick;
  tick.state = ViewerState::in_sync;
  tick.target_s = 12.0;
  page_.show_tick(tick);
  auto* progress = child<QProgressBar>("progress");
  const int before = progress->value();
  ASSERT_EQ(before, 400);

  QSignalSpy volume(&page_, &VideoPage::volume_changed);
  QSignalSpy mute(&page_, &VideoPage::mute_toggled);
  QSignalSpy full_screen(&page_, &VideoPage::full_screen_requested);
  QSignalSpy stats(&page_, &VideoPage::stats_visibility_changed);
  const Qt::Key seek_keys[] = {Qt::Key_Left,   Qt::Key_Right,  Qt::Key_Up,
                               Qt::Key_Down,   Qt::Key_PageUp, Qt::Key_PageDown,
                               Qt::Key_Home,   Qt::Key_End,    Qt::Key_Space,
                               Qt::Key_Period, Qt::Key_Comma,  Qt::Key_MediaTogglePlayPause};
  for (const Qt::Key key : seek_keys) {
    for (const Qt::KeyboardModifier modifier :
         {Qt::NoModifier, Qt::ShiftModifier, Qt::ControlModifier}) {
      QKeyEvent press(QEvent::KeyPress, key, modifier);
      QCoreApplication::sendEvent(&page_, &press);
      EXPECT_TRUE(press.isAccepted()) << "key " << key << " should be consumed";
    }
  }
  EXPECT_EQ(volume.count(), 0);
  EXPECT_EQ(mute.count(), 0);
  EXPECT_EQ(full_screen.count(), 0);
  EXPECT_EQ(stats.count(), 0);
  EXPECT_EQ(progress->value(), before);
  EXPECT_EQ(child<QSlider>("volume")->value(), 100);
}

TEST_F(VideoPageTest, TheProgressBarIsNotInteractive) {
  auto* progress = child<QProgressBar>("progress");
  EXPECT_EQ(progress->focusPolicy(), Qt::NoFocus);
  EXPECT_TRUE(progress->testAttribute(Qt::WA_TransparentForMouseEvents));
  // Nothing on the page is a slider except volume: there is no seek bar.
  const auto sliders = page_.findChildren<QSlider*>();
  ASSERT_EQ(sliders.size(), 1);
  EXPECT_EQ(sliders.front()->objectName(), QStringLiteral("volume"));

  page_.show_item(QStringLiteral("Pattern A"), 0, 30'000'000);
  const int before = progress->value();
  QTest::mouseClick(progress, Qt::LeftButton, {},
                    QPoint(progress->width() - 2, progress->height() / 2));
  EXPECT_EQ(progress->value(), before);
}

TEST_F(VideoPageTest, ProgressSpansTheItemInItsMedia) {
  // The item plays media 100 s..160 s of its video.
  page_.show_item(QStringLiteral("Talk"), 100'000'000, 60'000'000);
  SyncTick tick;
  tick.state = ViewerState::correcting;
  tick.target_s = 145.0;
  page_.show_tick(tick);
  EXPECT_EQ(child<QProgressBar>("progress")->value(), 750);
  EXPECT_EQ(child<QLabel>("time")->text(), QStringLiteral("0:45 / 1:00"));
}

TEST_F(VideoPageTest, CountdownAndEndedOverlays) {
  auto* overlay = child<QLabel>("stateOverlay");
  SyncTick tick;
  tick.state = ViewerState::countdown;
  tick.starts_in_us = 83'000'000;
  page_.show_tick(tick);
  EXPECT_TRUE(overlay->isVisible());
  EXPECT_EQ(overlay->text(), QStringLiteral("Starts in 1:23"));
  tick.state = ViewerState::ended;
  page_.show_tick(tick);
  EXPECT_EQ(overlay->text(), QStringLiteral("Ended"));
  tick.state = ViewerState::in_sync;
  page_.show_tick(tick);
  EXPECT_FALSE(overlay->isVisible());
}

TEST_F(VideoPageTest, FullScreenWithFDoubleClickAndEsc) {
  QSignalSpy requests(&page_, &VideoPage::full_screen_requested);
  QTest::keyClick(&page_, Qt::Key_F);
  ASSERT_EQ(requests.count(), 1);
  EXPECT_TRUE(requests.at(0).at(0).toBool());

  // Esc only means something in full screen.
  QTest::keyClick(&page_, Qt::Key_Escape);
  EXPECT_EQ(requests.count(), 1);
  page_.set_full_screen(true);
  QTest::keyClick(&page_, Qt::Key_Escape);
  ASSERT_EQ(requests.count(), 2);
  EXPECT_FALSE(requests.at(1).at(0).toBool());
  QTest::keyClick(&page_, Qt::Key_F);
  EXPECT_FALSE(requests.at(2).at(0).toBool());  // F toggles: out again

  page_.set_full_screen(false);
  auto* area = child<QWidget>("videoArea");
  QTest::mouseDClick(area, Qt::LeftButton, {}, area->rect().center());
  ASSERT_EQ(requests.count(), 4);
  EXPECT_TRUE(requests.at(3).at(0).toBool());
}

TEST_F(VideoPageTest, DoubleClickOnTheVideoSurfaceToo) {
  auto* surface = new QWidget;
  page_.set_video_surface(surface);
  QSignalSpy requests(&page_, &VideoPage::full_screen_requested);
  QTest::mouseDClick(surface, Qt::LeftButton, {}, surface->rect().center());
  EXPECT_EQ(requests.count(), 1);
}

TEST_F(VideoPageTest, StatsToggleWithI) {
  auto* stats = child<StatsOverlay>("statsOverlay");
  EXPECT_FALSE(page_.stats_visible());
  QSignalSpy toggled(&page_, &VideoPage::stats_visibility_changed);
  QTest::keyClick(&page_, Qt::Key_I);
  EXPECT_TRUE(page_.stats_visible());
  EXPECT_TRUE(stats->isVisible());
  QTest::keyClick(&page_, Qt::Key_I);
  EXPECT_FALSE(stats->isVisible());
  EXPECT_EQ(toggled.count(), 2);
}

TEST_F(VideoPageTest, VolumeAndMuteSignalUserChangesOnly) {
  QSignalSpy volume(&page_, &VideoPage::volume_changed);
  QSignalSpy mute(&page_, &VideoPage::mute_toggled);
  page_.set_volume(30);
  page_.set_muted(true);
  EXPECT_EQ(volume.count(), 0);
  EXPECT_EQ(mute.count(), 0);
  EXPECT_EQ(child<QSlider>("volume")->value(), 30);

  child<QSlider>("volume")->setValue(55);  // as a drag would
  ASSERT_EQ(volume.count(), 1);
  EXPECT_EQ(volume.at(0).at(0).toInt(), 55);
  child<QToolButton>("mute")->click();
  ASSERT_EQ(mute.count(), 1);
  EXPECT_FALSE(mute.at(0).at(0).toBool());
}

TEST_F(VideoPageTest, TheSurfaceSitsUnderTheOverlaysAndIsReplaced) {
  QPointer<QWidget> first = new QWidget;
  page_.set_video_surface(first);
  EXPECT_EQ(page_.video_surface(), first.data());
  EXPECT_EQ(first->focusPolicy(), Qt::NoFocus);
  page_.set_stats_visible(true);
  // The stats panel is painted after (over) the surface.
  const QObjectList siblings = child<QWidget>("videoArea")->children();
  EXPECT_GT(siblings.indexOf(child<StatsOverlay>("statsOverlay")), siblings.indexOf(first.data()));

  page_.set_video_surface(new QWidget);
  EXPECT_TRUE(first.isNull());  // the old one was deleted
}

TEST_F(VideoPageTest, TitleShowsChannelAndItem) {
  page_.show_channel(QStringLiteral("Demo"));
  EXPECT_EQ(child<QLabel>("title")->text(), QStringLiteral("Demo"));
  page_.show_item(QStringLiteral("Pattern B"), 0, 1'000'000);
  EXPECT_EQ(child<QLabel>("title")->text(), QStringLiteral("Demo — Pattern B"));
}

}  // namespace
}  // namespace streamsync::viewer
