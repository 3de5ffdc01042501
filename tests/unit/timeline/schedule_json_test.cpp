#include "timeline/schedule_json.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

namespace streamsync {
namespace {

using nlohmann::json;

std::string read_fixture(const std::string& name) {
  std::ifstream file(std::string(STREAMSYNC_TEST_DATA_DIR) + "/timeline/" + name);
  EXPECT_TRUE(file.is_open()) << "missing fixture " << name;
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

Schedule fixture_schedule() {
  return Schedule{
      "lobby",
      3,
      1'700'000'000'000'000,
      1'700'000'060'000'000,
      true,
      {{"intro", 0, 30'000'000}, {"talk", 5'000'000, 1'800'000'000}, {"outro", 0, 15'000'000}}};
}

// The schedule_from_json() error for json, which must be refused.
ScheduleError error_for(const json& document) {
  const auto result = schedule_from_json(document);
  EXPECT_FALSE(result.has_value()) << document.dump();
  return result.has_value() ? ScheduleError{} : result.error();
}

TEST(ScheduleJson, ToJsonWritesEveryField) {
  const json document = to_json(fixture_schedule());
  EXPECT_EQ(document, json::parse(read_fixture("schedule_valid.json")));
}

TEST(ScheduleJson, RoundTripsThroughJson) {
  Schedule schedule = fixture_schedule();
  schedule.loop = false;
  schedule.items.push_back({"max", std::numeric_limits<std::int64_t>::max() - 1, 1});
  const auto result = schedule_from_json(to_json(schedule));
  ASSERT_TRUE(result.has_value()) << result.error().field << ": " << result.error().message;
  EXPECT_EQ(*result, schedule);
}

TEST(ScheduleJson, RoundTripsThroughText) {
  const auto result = parse_schedule(to_json(fixture_schedule()).dump());
  ASSERT_TRUE(result.has_value()) << result.error().field << ": " << result.error().message;
  EXPECT_EQ(*result, fixture_schedule());
}

TEST(ScheduleJson, ParsesFixture) {
  const auto result = parse_schedule(read_fixture("schedule_valid.json"));
  ASSERT_TRUE(result.has_value()) << result.error().field << ": " << result.error().message;
  EXPECT_EQ(*result, fixture_schedule());
}

TEST(ScheduleJson, ToleratesUnknownFields) {
  const auto result = parse_schedule(read_fixture("schedule_unknown_fields.json"));
  ASSERT_TRUE(result.has_value()) << result.error().field << ": " << result.error().message;
  EXPECT_EQ(*result, fixture_schedule());
}

TEST(ScheduleJson, NamesEveryMissingTopLevelField) {
  for (const char* field :
       {"channel_id", "revision", "effective_at_us", "start_at_us", "loop", "items"}) {
    json document = to_json(fixture_schedule());
    document.erase(field);
    const ScheduleError error = error_for(document);
    EXPECT_EQ(error.field, field);
    EXPECT_EQ(error.message, "is required but missing");
  }
}

TEST(ScheduleJson, NamesEveryMissingItemField) {
  for (const char* field : {"video_id", "in_point_us", "duration_us"}) {
    json document = to_json(fixture_schedule());
    document["items"][2].erase(field);
    const ScheduleError error = error_for(document);
    EXPECT_EQ(error.field, std::string("items[2].") + field);
    EXPECT_EQ(error.message, "is required but missing");
  }
}

TEST(ScheduleJson, RejectsStringForInteger) {
  json document = to_json(fixture_schedule());
  document["revision"] = "3";
  const ScheduleError error = error_for(document);
  EXPECT_EQ(error.field, "revision");
  EXPECT_EQ(error.message, "must be an integer, got string \"3\"");
}

TEST(ScheduleJson, RejectsFloatForInteger) {
  for (const double number : {1.5, 30.0, -2.0}) {
    json document = to_json(fixture_schedule());
    document["items"][0]["duration_us"] = number;
    const ScheduleError error = error_for(document);
    EXPECT_EQ(error.field, "items[0].duration_us");
    EXPECT_EQ(error.message, "must be an integer, got number " + json(number).dump());
  }
}

TEST(ScheduleJson, RejectsExponentNotationForInteger) {
  std::string text = to_json(fixture_schedule()).dump();
  text.replace(text.find("1700000060000000"), 16, "1.70000006e15");
  const auto result = parse_schedule(text);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().field, "start_at_us");
  EXPECT_EQ(result.error().message, "must be an integer, got number 1.70000006e+15");
}

TEST(ScheduleJson, RejectsWrongTypesForOtherFields) {
  struct Case {
    const char* pointer;
    json value;
    const char* field;
    const char* message;
  };
  const Case cases[] = {
      {"/channel_id", 42, "channel_id", "must be a string, got number 42"},
      {"/loop", "true", "loop", "must be a boolean, got string \"true\""},
      {"/loop", 1, "loop", "must be a boolean, got number 1"},
      {"/items", json::object(), "items", "must be an array, got object"},
      {"/items", nullptr, "items", "must be an array, got null"},
      {"/items/1", "talk", "items[1]", "must be an object, got string \"talk\""},
      {"/items/0/video_id", json::array(), "items[0].video_id", "must be a string, got array"},
      {"/items/0/in_point_us", true, "items[0].in_point_us",
       "must be an integer, got boolean true"},
  };
  for (const Case& c : cases) {
    json document = to_json(fixture_schedule());
    document[json::json_pointer(c.pointer)] = c.value;
    const ScheduleError error = error_for(document);
    EXPECT_EQ(error.field, c.field) << c.pointer;
    EXPECT_EQ(error.message, c.message) << c.pointer;
  }
}

TEST(ScheduleJson, ShortensLongValuesInMessages) {
  json document = to_json(fixture_schedule());
  document["start_at_us"] = std::string(1'000, '9');
  const ScheduleError error = error_for(document);
  EXPECT_EQ(error.field, "start_at_us");
  EXPECT_EQ(error.message, "must be an integer, got string \"" + std::string(63, '9') + "...");
}

TEST(ScheduleJson, RejectsNonObjectDocument) {
  for (const char* text : {"[]", "42", "\"lobby\"", "null"}) {
    const auto result = parse_schedule(text);
    ASSERT_FALSE(result.has_value()) << text;
    EXPECT_EQ(result.error().field, "");
    EXPECT_EQ(result.error().message.rfind("the schedule must be a JSON object, got ", 0), 0u)
        << result.error().message;
  }
}

// Numbers beyond int64 reach us as unsigned (up to 2^64 - 1) or as float (beyond): both
// must be refused as out of range, never wrapped or truncated.
TEST(ScheduleJson, RejectsNumbersBeyondInt64AsOutOfRange) {
  const char* numbers[] = {"9223372036854775808",
                           "18446744073709551615",
                           "18446744073709551616",
                           "99999999999999999999999",
                           "-9223372036854775809",
                           "1e19",
                           "-1e300"};
  for (const char* number : numbers) {
    std::string text = to_json(fixture_schedule()).dump();
    text.replace(text.find("\"revision\":3"), 12, std::string("\"revision\":") + number);
    const auto result = parse_schedule(text);
    ASSERT_FALSE(result.has_value()) << number;
    EXPECT_EQ(result.error().field, "revision") << number;
    EXPECT_EQ(
        result.error().message.rfind("out of range: must be an integer in [-9223372036854775808, "
                                     "9223372036854775807], got ",
                                     0),
        0u)
        << result.error().message;
  }
}

TEST(ScheduleJson, RejectsOutOfRangeFixture) {
  const auto result = parse_schedule(read_fixture("schedule_start_beyond_int64.json"));
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().field, "start_at_us");
  EXPECT_EQ(result.error().message,
            "out of range: must be an integer in [-9223372036854775808, 9223372036854775807], "
            "got 1.8446744073709552e+19");
}

TEST(ScheduleJson, ReadsInt64ExtremesExactly) {
  json document = to_json(fixture_schedule());
  document["revision"] = json::parse("9223372036854775807");
  auto result = schedule_from_json(document);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->revision, std::numeric_limits<std::int64_t>::max());

  // Read exactly, then refused by validate() with the value intact.
  document["items"][1]["in_point_us"] = json::parse("-9223372036854775808");
  const ScheduleError error = error_for(document);
  EXPECT_EQ(error.field, "items[1].in_point_us");
  EXPECT_EQ(error.message, "must be >= 0, got -9223372036854775808");
}

TEST(ScheduleJson, RunsValidation) {
  json document = to_json(fixture_schedule());
  document["items"][1]["duration_us"] = 0;
  const ScheduleError error = error_for(document);
  EXPECT_EQ(error.field, "items[1].duration_us");
  EXPECT_EQ(error.message, "must be > 0, got 0");
}

TEST(ScheduleJson, ReportsMalformedTextWithoutThrowing) {
  for (const std::string& text :
       {std::string(""), std::string("{"), std::string("{} x"),
        std::string("{\"channel_id\": 'lobby'}"), read_fixture("schedule_truncated.json")}) {
    const auto result = parse_schedule(text);
    ASSERT_FALSE(result.has_value()) << text;
    EXPECT_EQ(result.error().field, "");
    EXPECT_EQ(result.error().message.rfind("malformed JSON: [json.exception.parse_error.", 0), 0u)
        << result.error().message;
  }
}

TEST(ScheduleJson, ReportsNumberOverflowInTextWithoutThrowing) {
  std::string text = to_json(fixture_schedule()).dump();
  text.replace(text.find("\"revision\":3"), 12, "\"revision\":1e400");
  const auto result = parse_schedule(text);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().field, "");
  EXPECT_NE(result.error().message.find("number overflow"), std::string::npos)
      << result.error().message;
}

}  // namespace
}  // namespace streamsync
