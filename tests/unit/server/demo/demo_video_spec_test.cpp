#include "demo/demo_video_spec.hpp"

#include <gtest/gtest.h>

#include <string>

namespace streamsync::server {
namespace {

DemoVideoSpec valid_spec() {
  DemoVideoSpec spec;
  spec.id = "demo-a";
  spec.title = "A";
  spec.duration_us = 4'000'000;
  return spec;
}

// The validation message for spec, or "" when it is valid.
std::string problem(const DemoVideoSpec& spec) {
  return validate_demo_video_spec(spec).value_or("");
}

TEST(DemoVideoSpec, DefaultsAreTheProductionLadder) {
  const DemoVideoSpec spec = valid_spec();
  EXPECT_EQ(problem(spec), "");
  EXPECT_EQ(spec.fps, 30);
  EXPECT_EQ(spec.pattern, "testsrc2");
  ASSERT_EQ(spec.renditions.size(), 2u);
  EXPECT_EQ(spec.renditions[0], (DemoRenditionSpec{"720p", 1280, 720, 2500}));
  EXPECT_EQ(spec.renditions[1], (DemoRenditionSpec{"360p", 640, 360, 800}));
  EXPECT_EQ(spec.poster_width, 640);
}

TEST(DemoVideoSpec, IdMustBeASafeDirectoryName) {
  for (const char* id : {"", "../x", "a/b", "A", ".tmp", "x y"}) {
    DemoVideoSpec spec = valid_spec();
    spec.id = id;
    EXPECT_NE(problem(spec).find("id must be"), std::string::npos) << id;
  }
  DemoVideoSpec spec = valid_spec();
  spec.id = std::string(65, 'a');
  EXPECT_NE(problem(spec), "");
}

TEST(DemoVideoSpec, DurationMustBeWholeFrames) {
  DemoVideoSpec spec = valid_spec();
  spec.duration_us = 1'000'000 / 30;  // 33333 us is not a whole frame at 30 fps
  EXPECT_NE(problem(spec).find("whole number of frames"), std::string::npos);
  spec.duration_us = 100'000;  // 3 frames
  EXPECT_EQ(problem(spec), "");
  EXPECT_EQ(demo_frame_count(spec), 3);
  spec.duration_us = 0;
  EXPECT_NE(problem(spec).find("duration_us"), std::string::npos);
}

TEST(DemoVideoSpec, PatternCannotInjectFilters) {
  DemoVideoSpec spec = valid_spec();
  spec.pattern = "testsrc2,drawbox";
  EXPECT_NE(problem(spec).find("pattern"), std::string::npos);
  spec.pattern = "smptehdbars";
  EXPECT_EQ(problem(spec), "");
}

TEST(DemoVideoSpec, RenditionsMustBeEvenSizedAndUniquelyNamed) {
  DemoVideoSpec spec = valid_spec();
  spec.renditions = {{"a", 321, 180, 200}};
  EXPECT_NE(problem(spec).find("renditions[0] size"), std::string::npos);
  spec.renditions = {{"a", 320, 180, 200}, {"a", 160, 90, 100}};
  EXPECT_NE(problem(spec).find("used twice"), std::string::npos);
  spec.renditions = {};
  EXPECT_NE(problem(spec), "");
}

TEST(DemoVideoSpec, ToneAndBitratesHaveSaneRanges) {
  DemoVideoSpec spec = valid_spec();
  spec.tone_hz = 0;
  EXPECT_NE(problem(spec).find("tone_hz"), std::string::npos);
  spec = valid_spec();
  spec.audio_kbps = 5;
  EXPECT_NE(problem(spec).find("audio_kbps"), std::string::npos);
  spec = valid_spec();
  spec.poster_width = 641;
  EXPECT_NE(problem(spec).find("poster_width"), std::string::npos);
}

TEST(DemoVideoSpec, JsonHoldsEveryField) {
  const auto json = to_json(valid_spec());
  for (const char* key : {"id", "title", "duration_us", "fps", "pattern", "tone_hz", "renditions",
                          "poster_width", "audio_kbps"}) {
    EXPECT_TRUE(json.contains(key)) << key;
  }
  EXPECT_EQ(json["renditions"][1]["video_kbps"], 800);
  DemoVideoSpec other = valid_spec();
  other.tone_hz = 441;
  EXPECT_NE(to_json(other), json);
}

}  // namespace
}  // namespace streamsync::server
