#include "api/request_target.hpp"

#include <gtest/gtest.h>

namespace streamsync::server {
namespace {

TEST(RequestTarget, SplitsPathAndQuery) {
  const RequestTarget target = parse_target("/api/v1/channels/demo?x=1&channel=lobby");
  ASSERT_EQ(target.segments.size(), 4u);
  EXPECT_EQ(target.segments[3], "demo");
  EXPECT_TRUE(target.is({"api", "v1", "channels", "demo"}));
  EXPECT_FALSE(target.is({"api", "v1", "channels"}));
  EXPECT_EQ(target.param("channel"), "lobby");
  EXPECT_EQ(target.param("x"), "1");
  EXPECT_FALSE(target.param("y"));
}

TEST(RequestTarget, IgnoresEmptySegments) {
  EXPECT_TRUE(parse_target("//healthz/").is({"healthz"}));
  EXPECT_TRUE(parse_target("/").segments.empty());
  EXPECT_TRUE(parse_target("").segments.empty());
}

TEST(RequestTarget, ParamWithoutValueIsEmpty) {
  const RequestTarget target = parse_target("/x?flag&k=");
  EXPECT_EQ(target.param("flag"), "");
  EXPECT_EQ(target.param("k"), "");
}

}  // namespace
}  // namespace streamsync::server
