#include "protocol/json_fields.hpp"

#include <gtest/gtest.h>

namespace streamsync {
namespace {

TEST(JsonFields, ReadsIntegersStrictly) {
  std::int64_t out = 0;
  EXPECT_FALSE(read_int64({{"n", 5}}, "n", out));
  EXPECT_EQ(out, 5);
  EXPECT_EQ(*read_int64({{"n", 1.5}}, "n", out), "n: must be an integer, not a fraction");
  EXPECT_EQ(*read_int64({{"n", "5"}}, "n", out), "n: must be an integer");
  EXPECT_EQ(*read_int64(nlohmann::json::parse(R"({"n": 9223372036854775808})"), "n", out),
            "n: out of range for a 64-bit integer");
  EXPECT_EQ(*read_int64({{"m", 1}}, "n", out), "n: required");
  EXPECT_EQ(*read_int64({{"n", nullptr}}, "n", out), "n: required");
}

TEST(JsonFields, OptionalFieldsLeaveTheValueWhenAbsent) {
  std::optional<std::int64_t> maybe;
  EXPECT_FALSE(read_optional_int64(nlohmann::json::object(), "n", maybe));
  EXPECT_FALSE(maybe.has_value());
  double rate = 1.0;
  EXPECT_FALSE(read_optional_double(nlohmann::json::object(), "rate", rate));
  EXPECT_DOUBLE_EQ(rate, 1.0);
  std::string text = "keep";
  EXPECT_FALSE(read_optional_string({{"s", nullptr}}, "s", text));
  EXPECT_EQ(text, "keep");
}

TEST(JsonFields, StringsHaveALengthLimit) {
  std::string out;
  EXPECT_FALSE(read_string({{"s", "abc"}}, "s", out, 3));
  EXPECT_EQ(out, "abc");
  EXPECT_EQ(*read_string({{"s", "abcd"}}, "s", out, 3), "s: longer than 3 bytes");
  EXPECT_EQ(*read_string({{"s", 1}}, "s", out), "s: must be a string");
}

TEST(JsonFields, NonObjectsHaveNoFields) {
  std::string out;
  EXPECT_EQ(*read_string(nlohmann::json::array(), "s", out), "s: required");
}

}  // namespace
}  // namespace streamsync
