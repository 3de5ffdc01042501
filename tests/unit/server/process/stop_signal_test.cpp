#include "process/stop_signal.hpp"

#include <gtest/gtest.h>
#include <poll.h>

namespace streamsync::server {
namespace {

bool readable(int fd) {
  pollfd entry{fd, POLLIN, 0};
  return ::poll(&entry, 1, 0) == 1 && (entry.revents & POLLIN) != 0;
}

TEST(StopSignal, StartsUnrequested) {
  const StopSignal stop;
  EXPECT_FALSE(stop.stop_requested());
  EXPECT_FALSE(readable(stop.wait_fd()));
}

TEST(StopSignal, RequestStaysVisibleToEveryWatcher) {
  StopSignal stop;
  stop.request_stop();
  stop.request_stop();  // idempotent
  EXPECT_TRUE(stop.stop_requested());
  // Level-triggered: every poll, now and later, sees it.
  EXPECT_TRUE(readable(stop.wait_fd()));
  EXPECT_TRUE(readable(stop.wait_fd()));
}

}  // namespace
}  // namespace streamsync::server
