#include "ui/main_window.hpp"

#include <gtest/gtest.h>

#include <QAction>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTest>

#include "channel_fixtures.hpp"
#include "ui/channel_list_model.hpp"
#include "ui/channel_list_view.hpp"
#include "ui/error_banner.hpp"
#include "ui/stats_overlay.hpp"
#include "ui/sync_status_indicator.hpp"
#include "ui/video_page.hpp"

namespace streamsync::viewer {
namespace {

using fixtures::kNowUs;

class MainWindowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    window_.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window_));
  }

  QAction* action(const char* name) const {
    auto* found = window_.findChild<QAction*>(QString::fromLatin1(name));
    EXPECT_NE(found, nullptr) << name;
    return found;
  }

  MainWindow window_;
};

TEST_F(MainWindowTest, StatusIndicatorIsInTheStatusBar) {
  auto* indicator =
      window_.statusBar()->findChild<SyncStatusIndicator*>(QStringLiteral("syncStatus"));
  ASSERT_NE(indicator, nullptr);
  EXPECT_TRUE(indicator->isVisible());
  window_.statusBar()->showMessage(QStringLiteral("a temporary message"));
  EXPECT_TRUE(indicator->isVisible());
}

TEST_F(MainWindowTest, ChannelsPresenceAndJoin) {
  window_.show_channels({fixtures::playing("demo", "Pattern A", kNowUs, 30'000'000)}, kNowUs);
  ChannelListModel* model = window_.channel_model();
  ASSERT_EQ(model->rowCount(), 1);
  // The first channel is current, so Enter joins it straight away.
  QSignalSpy joins(&window_, &MainWindow::join_requested);
  window_.channel_list()->setFocus();
  QTest::keyClick(window_.channel_list(), Qt::Key_Return);
  ASSERT_EQ(joins.count(), 1);
  EXPECT_EQ(joins.at(0).at(0).toString(), QStringLiteral("demo"));

  window_.show_presence(QStringLiteral("demo"), 9);
  EXPECT_EQ(model->data(model->index(0), ChannelListModel::ViewersRole).toLongLong(), 9);
}

TEST_F(MainWindowTest, TicksReachStatusPageAndList) {
  window_.show_channels({fixtures::playing("demo", "Pattern A", kNowUs, 30'000'000)}, kNowUs);
  window_.show_joining(QStringLiteral("Demo"));
  EXPECT_EQ(window_.status_indicator()->text(), QStringLiteral("Joining…"));

  SyncTick tick;
  tick.state = ViewerState::in_sync;
  tick.error_ms = 1.2;
  tick.server_us = kNowUs + 15'000'000;
  window_.show_tick(tick);
  EXPECT_EQ(window_.status_indicator()->text(), QStringLiteral("In sync ±1 ms"));
  ChannelListModel* model = window_.channel_model();
  EXPECT_DOUBLE_EQ(model->data(model->index(0), ChannelListModel::ProgressRole).toDouble(), 0.5);
}

TEST_F(MainWindowTest, ErrorsAreABannerNotADialog) {
  window_.show_error(QStringLiteral("The server does not answer <b>at all</b>"));
  EXPECT_TRUE(window_.error_banner()->isVisible());
  EXPECT_EQ(window_.error_banner()->message(),
            QStringLiteral("The server does not answer <b>at all</b>"));
  EXPECT_EQ(QApplication::activeModalWidget(), nullptr);
}

TEST_F(MainWindowTest, SettingsAction) {
  QSignalSpy requested(&window_, &MainWindow::settings_requested);
  QAction* settings = action("settingsAction");
  EXPECT_EQ(settings->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Comma));
  settings->trigger();
  EXPECT_EQ(requested.count(), 1);
}

TEST_F(MainWindowTest, FullScreenAndBack) {
  EXPECT_EQ(action("fullScreenAction")->shortcut(), QKeySequence(Qt::Key_F));
  window_.video_page()->setFocus();
  emit window_.video_page()->full_screen_requested(true);
  EXPECT_TRUE(window_.windowState().testFlag(Qt::WindowFullScreen));
  EXPECT_TRUE(window_.video_page()->full_screen());
  EXPECT_FALSE(window_.channel_list()->isVisible());
  EXPECT_TRUE(window_.status_indicator()->isVisible());  // the status stays in sight
  EXPECT_TRUE(action("fullScreenAction")->isChecked());

  QTest::keyClick(&window_, Qt::Key_Escape);
  EXPECT_FALSE(window_.windowState().testFlag(Qt::WindowFullScreen));
  EXPECT_FALSE(window_.video_page()->full_screen());
  EXPECT_TRUE(window_.channel_list()->isVisible());
  EXPECT_FALSE(action("fullScreenAction")->isChecked());
}

TEST_F(MainWindowTest, StatsActionAndKeyStayInStep) {
  QAction* stats = action("statsAction");
  EXPECT_EQ(stats->shortcut(), QKeySequence(Qt::Key_I));
  stats->trigger();
  EXPECT_TRUE(window_.video_page()->stats_visible());
  window_.video_page()->set_stats_visible(false);
  EXPECT_FALSE(stats->isChecked());
}

TEST_F(MainWindowTest, VolumeAndMuteAreForwarded) {
  QSignalSpy volume(&window_, &MainWindow::volume_changed);
  QSignalSpy mute(&window_, &MainWindow::mute_toggled);
  emit window_.video_page()->volume_changed(20);
  emit window_.video_page()->mute_toggled(true);
  EXPECT_EQ(volume.count(), 1);
  EXPECT_EQ(mute.count(), 1);
}

}  // namespace
}  // namespace streamsync::viewer
