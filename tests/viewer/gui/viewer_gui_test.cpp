// The real viewer window (ViewerApp, as main() runs it) against the real server with
// --demo, on a real X display (ctest runs it under xvfb-run; Mesa's llvmpipe gives
// OpenGL): it lists the Demo channel, joins it, renders video frames through libmpv's
// render API, gets in sync, ignores seeking keys, shows numbers in the stats overlay and
// keeps its settings, and holds the screen awake while it plays. With
// STREAMSYNC_SCREENSHOT=<file.png> it also saves the window.

#include <gtest/gtest.h>

#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QRegularExpression>
#include <QTest>
#include <algorithm>
#include <functional>
#include <iostream>
#include <vector>

#include "fake_screen_saver.hpp"
#include "private_session_bus.hpp"
#include "settings/app_settings.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"
#include "ui/channel_list_model.hpp"
#include "ui/stats_overlay.hpp"
#include "ui/sync_status_indicator.hpp"
#include "ui/video_page.hpp"
#include "viewer_app.hpp"

namespace streamsync::test {
namespace {

using viewer::SyncTick;
using viewer::ViewerState;

// Runs the event loop until `done` holds or timeout_ms passes; true if it held.
bool wait_until(const std::function<bool()>& done, int timeout_ms) {
  QElapsedTimer waited;
  waited.start();
  while (!done()) {
    if (waited.elapsed() > timeout_ms) return false;
    QTest::qWait(20);
  }
  return true;
}

// Share of pixels brighter than video black (luma 16 of 255).
double lit_fraction(const QImage& image) {
  const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
  std::int64_t lit = 0;
  for (int y = 0; y < rgb.height(); ++y) {
    for (int x = 0; x < rgb.width(); ++x) {
      if (qGray(rgb.pixel(x, y)) > 16) ++lit;
    }
  }
  return static_cast<double>(lit) / (static_cast<double>(rgb.width()) * rgb.height());
}

class ViewerWindow : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    server_ = ServerProcess::start(dir_->path() / "data", {"--demo"}, std::chrono::seconds(300))
                  .release();
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }

  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    ini_path_ = QString::fromStdString((dir_->path() / "settings.ini").string());
    settings_ = std::make_unique<viewer::AppSettings>(ini_path_);
    server_url_ = QStringLiteral("http://127.0.0.1:%1").arg(server_->http_port());
    settings_->set_server_url(server_url_);
    settings_->set_display_name(QStringLiteral("GUI test"));
  }

  // Starts the app on the demo channel and records its ticks. A pinned quality keeps
  // adaptive quality from seeking into another rendition while a test counts seeks.
  void start_app(const QString& quality = {}) {
    viewer::LaunchOptions options;
    options.server = QUrl(server_url_);
    options.channel_id = QStringLiteral("demo");
    options.quality = quality;
    app_ = std::make_unique<viewer::ViewerApp>(*settings_, options);
    QObject::connect(app_.get(), &viewer::ViewerApp::ticked,
                     [this](const SyncTick& tick) { last_tick_ = tick; });
    ASSERT_TRUE(app_->start());
    app_->window().resize(1280, 720);
  }

  static inline testing::TempDir* dir_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  QString ini_path_;
  QString server_url_;
  std::unique_ptr<viewer::AppSettings> settings_;
  std::unique_ptr<viewer::ViewerApp> app_;
  std::optional<SyncTick> last_tick_;
};

TEST_F(ViewerWindow, ListsJoinsRendersAndGetsInSync) {
  // 360p: with automatic quality the join starts on the top rung (the probe measures
  // loopback), and decoding and drawing 720p at 1280×720 on llvmpipe made joins take up to
  // ~5 s here. What adaptive quality chooses is the headless tests' business.
  start_app(QStringLiteral("360p"));
  viewer::ChannelListModel* channels = app_->window().channel_model();
  ASSERT_TRUE(wait_until([&] { return channels->rowCount() > 0; }, 30'000));
  EXPECT_EQ(channels->index(0).data(viewer::ChannelListModel::NameRole).toString(),
            QStringLiteral("Demo"));

  // From the first tick of the joined channel to "in sync".
  ASSERT_TRUE(wait_until([&] { return last_tick_.has_value(); }, 30'000));
  QElapsedTimer since_join;
  since_join.start();
  ASSERT_TRUE(wait_until([&] { return last_tick_->state == ViewerState::in_sync; }, 30'000))
      << "last state " << viewer::to_string(last_tick_->state);
  EXPECT_LE(since_join.elapsed(), 5000) << "in sync only after " << since_join.elapsed() << " ms";
  EXPECT_TRUE(app_->window().status_indicator()->text().contains(QStringLiteral("In sync")))
      << app_->window().status_indicator()->text().toStdString();

  // The surface shows the test pattern at the widget's size, not a black frame.
  QTest::qWait(500);
  player::MpvVideoWidget& video = app_->video();
  const QImage frame = video.grabFramebuffer();
  const qreal scale = video.devicePixelRatioF();
  EXPECT_EQ(frame.width(), static_cast<int>(video.width() * scale));
  EXPECT_EQ(frame.height(), static_cast<int>(video.height() * scale));
  EXPECT_GT(lit_fraction(frame), 0.5);

  if (const QByteArray path = qgetenv("STREAMSYNC_SCREENSHOT"); !path.isEmpty()) {
    app_->window().grab().save(QString::fromLocal8Bit(path));
  }
}

// The largest position jump between two consecutive ticks of one item that is not explained
// by the time between them at the rate the player was told, in seconds. Playing, stalling
// and rate nudges keep it near zero (a stall only falls behind); a seek jumps by whatever it
// seeks, and mpv's smallest seek binding moves 1 s. The controller's own seeks are counted
// in the ticks and left to the caller.
double largest_position_jump_s(const std::vector<SyncTick>& ticks) {
  double largest_s = 0;
  for (std::size_t i = 1; i < ticks.size(); ++i) {
    const SyncTick& before = ticks[i - 1];
    const SyncTick& after = ticks[i];
    if (after.item != before.item) continue;    // positions restart at an item boundary
    if (after.seeks != before.seeks) continue;  // the controller's seek, counted apart
    const double elapsed_s = static_cast<double>(after.mono_ns - before.mono_ns) / 1e9;
    const double advanced_s = after.raw_pos_s - before.raw_pos_s;
    largest_s = std::max({largest_s, advanced_s - elapsed_s * before.rate, -advanced_s});
  }
  return largest_s;
}

TEST_F(ViewerWindow, SeekKeysDoNothingAndStatsShowNumbers) {
  start_app(QStringLiteral("360p"));
  ASSERT_TRUE(
      wait_until([&] { return last_tick_ && last_tick_->state == ViewerState::in_sync; }, 60'000));
  const SyncTick before = *last_tick_;
  std::vector<SyncTick> ticks{before};
  const QMetaObject::Connection recording =
      QObject::connect(app_.get(), &viewer::ViewerApp::ticked,
                       [&ticks](const SyncTick& tick) { ticks.push_back(tick); });
  // One key at a time, with ticks between: keys pressed together could seek forth and
  // back between two ticks and look like no seek at all.
  for (const auto key : {Qt::Key_Right, Qt::Key_Left, Qt::Key_Up, Qt::Key_Down, Qt::Key_PageUp,
                         Qt::Key_PageDown, Qt::Key_Home, Qt::Key_End}) {
    QTest::keyClick(app_->window().video_page(), key);
    QTest::keyClick(&app_->video(), key);
    QTest::qWait(250);
  }
  ASSERT_GE(ticks.size(), 8u);
  // Measured on positions, not on wall time: a software renderer on a busy machine may
  // stall for a moment, which is no seek. A stall may end in the controller's own seek.
  EXPECT_LT(largest_position_jump_s(ticks), 0.5) << "a key moved the position";
  if (ticks.back().stalls == before.stalls) {
    EXPECT_EQ(ticks.back().seeks, before.seeks) << "the player seeked without a stall";
  }
  QObject::disconnect(recording);

  // Window shortcuts only fire in the active window, and Xvfb has no window manager to
  // activate one: check the action carries the I key and trigger it as the key would.
  auto* stats_action = app_->window().findChild<QAction*>(QStringLiteral("statsAction"));
  ASSERT_NE(stats_action, nullptr);
  EXPECT_EQ(stats_action->shortcut(), QKeySequence(Qt::Key_I));
  stats_action->trigger();
  ASSERT_TRUE(app_->window().video_page()->stats_visible());
  auto* stats = app_->window().findChild<viewer::StatsOverlay*>(QStringLiteral("statsOverlay"));
  ASSERT_NE(stats, nullptr);
  ASSERT_TRUE(wait_until([&] { return stats->text().contains(QStringLiteral("ms")); }, 2000));
  const QString text = stats->text();
  EXPECT_TRUE(text.contains(QRegularExpression(QStringLiteral("[0-9]+(\\.[0-9]+)? ms"))))
      << text.toStdString();
  EXPECT_TRUE(text.contains(QStringLiteral("p")))  // the variant, e.g. 360p
      << text.toStdString();
}

TEST_F(ViewerWindow, KeepsTheScreenAwakeWhilePlayingAndNoLonger) {
  viewer::test::FakeScreenSaver screen_saver;
  QString error;
  ASSERT_TRUE(screen_saver.serve(error)) << error.toStdString();
  start_app(QStringLiteral("360p"));
  ASSERT_TRUE(
      wait_until([&] { return last_tick_ && last_tick_->state == ViewerState::in_sync; }, 60'000));
  ASSERT_TRUE(wait_until([&] { return screen_saver.holding().size() == 1; }, 5000));
  EXPECT_EQ(screen_saver.inhibitions().back().app_name, QStringLiteral("StreamSync"));
  app_.reset();  // quitting gives the screen back
  EXPECT_TRUE(wait_until([&] { return screen_saver.holding().empty(); }, 5000));
}

TEST_F(ViewerWindow, SettingsPersistAcrossRuns) {
  start_app();
  const QString viewer_id = settings_->viewer_id();
  emit app_->window().volume_changed(37);
  emit app_->window().mute_toggled(true);
  app_.reset();
  settings_.reset();
  const viewer::AppSettings reopened(ini_path_);
  EXPECT_EQ(reopened.viewer_id(), viewer_id);
  EXPECT_EQ(reopened.volume(), 37);
  EXPECT_TRUE(reopened.muted());
  EXPECT_EQ(reopened.server_url(), server_url_);
  EXPECT_FALSE(reopened.first_run());
}

}  // namespace
}  // namespace streamsync::test

int main(int argc, char** argv) {
  // The test's own session bus, before QApplication: Qt may open the bus as it starts.
  QString bus_error;
  const auto bus = streamsync::viewer::test::PrivateSessionBus::start(bus_error);
  if (!bus) {
    std::cerr << bus_error.toStdString() << '\n';
    return 1;
  }
  QApplication app(argc, argv);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
