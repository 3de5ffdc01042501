#include "util/expected.hpp"

#include <gtest/gtest.h>

#include <string>

namespace streamsync {
namespace {

Expected<int, std::string> parse_positive(int x) {
  if (x <= 0) return Unexpected{std::string("not positive")};
  return x;
}

TEST(Expected, HoldsValue) {
  auto result = parse_positive(3);
  ASSERT_TRUE(result);
  EXPECT_EQ(*result, 3);
}

TEST(Expected, HoldsError) {
  auto result = parse_positive(-1);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), "not positive");
}

}  // namespace
}  // namespace streamsync
