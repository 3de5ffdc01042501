#include "impair_relay/control_command.hpp"

#include <gtest/gtest.h>

namespace streamsync::impair {
namespace {

TEST(ControlCommand, CutAndRestore) {
  ImpairedPath path(Impairments{}, 1);
  EXPECT_TRUE(run_control_command("cut", path).starts_with("ok cut=yes"));
  EXPECT_TRUE(path.is_cut());
  EXPECT_TRUE(run_control_command("restore", path).starts_with("ok cut=no"));
  EXPECT_FALSE(path.is_cut());
}

TEST(ControlCommand, SetChangesSettings) {
  ImpairedPath path(Impairments{}, 1);
  const auto reply = run_control_command("set delay-ms=80  up-loss=0.05", path);
  EXPECT_TRUE(reply.starts_with("ok ")) << reply;
  EXPECT_DOUBLE_EQ(path.settings().up.delay_ms, 80);
  EXPECT_DOUBLE_EQ(path.settings().down.delay_ms, 80);
  EXPECT_DOUBLE_EQ(path.settings().up.loss, 0.05);
  EXPECT_DOUBLE_EQ(path.settings().down.loss, 0);
  EXPECT_NE(reply.find("up: delay_ms=80 jitter_ms=0 loss=0.05"), std::string::npos) << reply;
}

TEST(ControlCommand, ABadSetChangesNothing) {
  ImpairedPath path(Impairments{}, 1);
  EXPECT_EQ(run_control_command("set delay-ms=80 loss=2", path),
            "error: loss: '2' is not a probability from 0 to 1");
  EXPECT_DOUBLE_EQ(path.settings().up.delay_ms, 0);
  EXPECT_EQ(run_control_command("set delay-ms", path), "error: 'delay-ms' is not NAME=VALUE");
  EXPECT_EQ(run_control_command("set", path), "error: set needs NAME=VALUE (e.g. set delay-ms=50)");
}

TEST(ControlCommand, RejectsUnknownCommands) {
  ImpairedPath path(Impairments{}, 1);
  EXPECT_TRUE(run_control_command("explode", path).starts_with("error: unknown command 'explode'"));
  EXPECT_TRUE(run_control_command("", path).starts_with("error: empty command"));
  EXPECT_EQ(run_control_command("cut now", path), "error: cut takes no arguments");
  EXPECT_FALSE(path.is_cut());
}

TEST(ControlCommand, StatusShowsCounters) {
  ImpairedPath path(Impairments{}, 1);
  (void)path.datagram_release_us(Direction::up, 0, 48);
  const auto reply = run_control_command("status", path);
  EXPECT_NE(reply.find("up_datagrams=1 up_dropped=0"), std::string::npos) << reply;
  EXPECT_NE(reply.find("down_datagrams=0"), std::string::npos) << reply;
}

}  // namespace
}  // namespace streamsync::impair
