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

TEST(RequestTarget, DecodedParamUndoesPercentEncoding) {
  const RequestTarget target = parse_target("/v?title=Town+hall%20%C3%A9t%C3%A9&bad=%zz&cut=%4");
  EXPECT_EQ(target.decoded_param("title"), "Town hall \xC3\xA9t\xC3\xA9");
  EXPECT_FALSE(target.decoded_param("bad"));
  EXPECT_FALSE(target.decoded_param("cut"));
  EXPECT_FALSE(target.decoded_param("missing"));
}

}  // namespace
}  // namespace streamsync::server
