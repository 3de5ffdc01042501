// KeepAwake's D-Bus backend against a stand-in for the desktop's screen saver, served on a
// real (private) session bus: what it asks for, when, and that no hold outlives its wish.

#include "platform/keep_awake.hpp"

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <functional>
#include <memory>

#include "fake_screen_saver.hpp"
#include "private_session_bus.hpp"

namespace streamsync::viewer::test {
namespace {

// Runs the event loop (both bus connections answer from it) until `done` or 5 s.
bool settle_until(const std::function<bool()>& done) {
  QElapsedTimer waited;
  waited.start();
  while (!done()) {
    if (waited.elapsed() > 5000) return false;
    QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
  }
  return true;
}

// A short stretch of event loop, to show that nothing more arrives.
void settle_for(int ms) {
  QElapsedTimer waited;
  waited.start();
  while (waited.elapsed() < ms) QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
}

class KeepAwakeOnDBus : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    QString error;
    bus_ = PrivateSessionBus::start(error).release();
    ASSERT_NE(bus_, nullptr) << error.toStdString();
    static int argc = 1;
    static char name[] = "viewer_platform_tests";
    static char* argv[] = {name, nullptr};
    if (QCoreApplication::instance() == nullptr) new QCoreApplication(argc, argv);
  }

  void SetUp() override {
    ASSERT_NE(bus_, nullptr);
    QString error;
    ASSERT_TRUE(screen_saver_.serve(error)) << error.toStdString();
  }

  static inline PrivateSessionBus* bus_ = nullptr;
  FakeScreenSaver screen_saver_;
};

TEST_F(KeepAwakeOnDBus, HoldsOnceWithTheAppsNameAndReason) {
  KeepAwake keep_awake(QStringLiteral("StreamSync"), QStringLiteral("Playing a channel"));
  keep_awake.set_active(true);
  keep_awake.set_active(true);  // every tick repeats the wish
  ASSERT_TRUE(settle_until([&] { return !screen_saver_.holding().empty(); }));
  settle_for(200);
  ASSERT_EQ(screen_saver_.inhibitions().size(), 1u);
  EXPECT_EQ(screen_saver_.inhibitions()[0].app_name, QStringLiteral("StreamSync"));
  EXPECT_EQ(screen_saver_.inhibitions()[0].reason, QStringLiteral("Playing a channel"));
  EXPECT_TRUE(keep_awake.problem().isEmpty()) << keep_awake.problem().toStdString();
}

TEST_F(KeepAwakeOnDBus, ReleaseGivesBackTheCookieItGot) {
  KeepAwake keep_awake(QStringLiteral("StreamSync"), QStringLiteral("Playing a channel"));
  keep_awake.set_active(true);
  ASSERT_TRUE(settle_until([&] { return !screen_saver_.holding().empty(); }));
  settle_for(100);  // the answer reaches the viewer's side
  keep_awake.set_active(false);
  ASSERT_TRUE(settle_until([&] { return screen_saver_.holding().empty(); }));
  ASSERT_EQ(screen_saver_.uninhibited().size(), 1u);
  EXPECT_EQ(screen_saver_.uninhibited()[0], screen_saver_.inhibitions()[0].cookie);

  keep_awake.set_active(true);  // and holds again when playback comes back
  ASSERT_TRUE(settle_until([&] { return screen_saver_.inhibitions().size() == 2; }));
  EXPECT_EQ(screen_saver_.holding().size(), 1u);
}

TEST_F(KeepAwakeOnDBus, AReleaseBeforeTheAnswerStillEndsTheHold) {
  screen_saver_.set_hold_back_answers(true);
  KeepAwake keep_awake(QStringLiteral("StreamSync"), QStringLiteral("Playing a channel"));
  keep_awake.set_active(true);
  ASSERT_TRUE(settle_until([&] { return screen_saver_.inhibitions().size() == 1; }));
  keep_awake.set_active(false);  // left the channel while the desktop was thinking
  settle_for(100);
  EXPECT_EQ(screen_saver_.holding().size(), 1u);
  screen_saver_.answer_held_back();
  ASSERT_TRUE(settle_until([&] { return screen_saver_.holding().empty(); }));
  EXPECT_EQ(screen_saver_.uninhibited(), std::vector<uint>{screen_saver_.inhibitions()[0].cookie});
}

TEST_F(KeepAwakeOnDBus, DestructionReleases) {
  {
    KeepAwake keep_awake(QStringLiteral("StreamSync"), QStringLiteral("Playing a channel"));
    keep_awake.set_active(true);
    ASSERT_TRUE(settle_until([&] { return !screen_saver_.holding().empty(); }));
    settle_for(100);
  }
  EXPECT_TRUE(settle_until([&] { return screen_saver_.holding().empty(); }));
}

TEST_F(KeepAwakeOnDBus, WithoutAScreenSaverItSaysWhyAndGoesOn) {
  screen_saver_.stop_serving();
  KeepAwake keep_awake(QStringLiteral("StreamSync"), QStringLiteral("Playing a channel"));
  keep_awake.set_active(true);
  ASSERT_TRUE(settle_until([&] { return !keep_awake.problem().isEmpty(); }));
  EXPECT_TRUE(keep_awake.problem().contains(QStringLiteral("org.freedesktop.ScreenSaver")))
      << keep_awake.problem().toStdString();
  EXPECT_TRUE(keep_awake.active());
  keep_awake.set_active(false);  // nothing to give back, nothing breaks
  EXPECT_TRUE(screen_saver_.inhibitions().empty());
}

}  // namespace
}  // namespace streamsync::viewer::test
