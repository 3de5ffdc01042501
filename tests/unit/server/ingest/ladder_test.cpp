#include "ingest/ladder.hpp"

#include <gtest/gtest.h>

namespace streamsync::server {
namespace {

ProbeResult source(int width, int height, FrameRate rate = {30, 1},
                   std::int64_t duration_us = 60'000'000) {
  ProbeResult probe;
  probe.width = width;
  probe.height = height;
  probe.coded_width = width;
  probe.coded_height = height;
  probe.r_frame_rate = rate;
  probe.avg_frame_rate = rate;
  probe.duration_us = duration_us;
  probe.has_audio = true;
  return probe;
}

TEST(Ladder, Full1080pSourceGetsFourRungs) {
  const LadderPlan plan = plan_ladder(source(1920, 1080));
  ASSERT_EQ(plan.rungs.size(), 4u);
  EXPECT_EQ(plan.rungs[0], (LadderRung{"1080p", 1920, 1080, 5000, 5500, 10000}));
  EXPECT_EQ(plan.rungs[1], (LadderRung{"720p", 1280, 720, 3000, 3300, 6000}));
  EXPECT_EQ(plan.rungs[2], (LadderRung{"480p", 854, 480, 1400, 1540, 2800}));
  EXPECT_EQ(plan.rungs[3], (LadderRung{"360p", 640, 360, 800, 880, 1600}));
  EXPECT_EQ(plan.frame_rate, (FrameRate{30, 1}));
  EXPECT_EQ(plan.gop_frames, 60);
  EXPECT_EQ(plan.segment_seconds, 2);
  EXPECT_EQ(plan.segment_format, SegmentFormat::mpegts);  // seekable in FFmpeg < 7.1
  EXPECT_EQ(plan.audio_sample_rate, 48'000);
  EXPECT_EQ(plan.audio_channels, 2);
  EXPECT_EQ(plan.audio_kbps, 128);
  EXPECT_FALSE(plan.silent_audio);
}

TEST(Ladder, NeverUpscales) {
  const LadderPlan uhd = plan_ladder(source(3840, 2160));
  EXPECT_EQ(uhd.rungs.front().width, 1920);  // 2160p is capped at the top rung
  const LadderPlan hd = plan_ladder(source(1280, 720));
  ASSERT_EQ(hd.rungs.size(), 3u);
  EXPECT_EQ(hd.rungs.front().name, "720p");
  // Slightly under a rung: kept, at the source's size.
  const LadderPlan near = plan_ladder(source(1280, 700));
  EXPECT_EQ(near.rungs.front(), (LadderRung{"720p", 1280, 700, 3000, 3300, 6000}));
}

TEST(Ladder, KeepsTheSourceSizeWhenSmallerThanEveryRung) {
  const LadderPlan odd = plan_ladder(source(321, 181));
  ASSERT_EQ(odd.rungs.size(), 1u);
  EXPECT_EQ(odd.rungs[0].name, "180p");
  EXPECT_EQ(odd.rungs[0].width, 320);
  EXPECT_EQ(odd.rungs[0].height, 180);
  EXPECT_GE(odd.rungs[0].video_kbps, 100);
}

TEST(Ladder, PortraitUsesTheShortSide) {
  const LadderPlan plan = plan_ladder(source(1080, 1920));
  ASSERT_EQ(plan.rungs.size(), 4u);
  EXPECT_EQ(plan.rungs[0].width, 1080);
  EXPECT_EQ(plan.rungs[0].height, 1920);
  EXPECT_EQ(plan.rungs[1].width, 720);
  EXPECT_EQ(plan.rungs[1].height, 1280);
  EXPECT_EQ(plan.rungs[3].width, 360);
  EXPECT_EQ(plan.rungs[3].height, 640);
  EXPECT_EQ(plan.poster_width, 720);
  EXPECT_EQ(plan.poster_height, 1280);
  EXPECT_EQ(plan.sprite.tile_width, 160);
  EXPECT_EQ(plan.sprite.tile_height, 284);
}

TEST(Ladder, SizesAreEven) {
  for (const auto& [w, h] : {std::pair{1000, 563}, {777, 431}, {1919, 1079}, {359, 641}}) {
    for (const LadderRung& rung : plan_ladder(source(w, h)).rungs) {
      EXPECT_EQ(rung.width % 2, 0) << w << "x" << h << " " << rung.name;
      EXPECT_EQ(rung.height % 2, 0) << w << "x" << h << " " << rung.name;
      EXPECT_LE(rung.width, w);
      EXPECT_LE(rung.height, h);
    }
  }
}

TEST(Ladder, FrameRateAndGop) {
  EXPECT_EQ(plan_ladder(source(640, 360, {30000, 1001})).gop_frames, 60);
  EXPECT_EQ(plan_ladder(source(640, 360, {24000, 1001})).gop_frames, 48);
  EXPECT_EQ(plan_ladder(source(640, 360, {25, 1})).gop_frames, 50);
  const LadderPlan sixty = plan_ladder(source(640, 360, {60, 1}));
  EXPECT_EQ(sixty.frame_rate, (FrameRate{60, 1}));
  EXPECT_EQ(sixty.gop_frames, 120);
  EXPECT_EQ(plan_ladder(source(640, 360, {120, 1})).frame_rate, (FrameRate{60, 1}));
  EXPECT_EQ(plan_ladder(source(640, 360, {120000, 1001})).frame_rate, (FrameRate{60000, 1001}));
  EXPECT_EQ(plan_ladder(source(640, 360, {1, 2})).frame_rate, (FrameRate{2, 1}));
}

TEST(Ladder, VariableFrameRateUsesTheAverage) {
  ProbeResult vfr = source(640, 360, {30, 1});
  vfr.avg_frame_rate = {4500, 239};
  vfr.variable_frame_rate = true;
  const LadderPlan plan = plan_ladder(vfr);
  EXPECT_EQ(plan.frame_rate, (FrameRate{4500, 239}));
  EXPECT_EQ(plan.gop_frames, 38);  // 2 s at 18.83 fps, rounded up

  vfr.avg_frame_rate = {90, 1};
  EXPECT_EQ(plan_ladder(vfr).frame_rate, (FrameRate{45, 1}));
}

TEST(Ladder, SilentAudioWhenTheSourceHasNone) {
  ProbeResult silent = source(640, 360);
  silent.has_audio = false;
  EXPECT_TRUE(plan_ladder(silent).silent_audio);
}

TEST(Ladder, SpriteHasATileEveryTenSeconds) {
  const SpritePlan short_one = plan_ladder(source(640, 360, {30, 1}, 4'000'000)).sprite;
  EXPECT_EQ(short_one.count, 1);
  EXPECT_EQ(short_one.columns, 1);
  EXPECT_EQ(short_one.rows, 1);
  EXPECT_EQ(short_one.tile_width, 160);
  EXPECT_EQ(short_one.tile_height, 90);

  const SpritePlan minute = plan_ladder(source(640, 360, {30, 1}, 65'000'000)).sprite;
  EXPECT_EQ(minute.interval_s, 10);
  EXPECT_EQ(minute.count, 7);
  EXPECT_EQ(minute.columns, 7);
  EXPECT_EQ(minute.rows, 1);

  // Exactly 20 s: the last frame starts at 19.97 s, so two tiles, not three.
  EXPECT_EQ(plan_ladder(source(640, 360, {30, 1}, 20'000'000)).sprite.count, 2);

  const SpritePlan hours = plan_ladder(source(640, 360, {30, 1}, 3LL * 3600 * 1'000'000)).sprite;
  EXPECT_EQ(hours.interval_s, 20);  // 1080 tiles at 10 s would pass max_thumbnails
  EXPECT_EQ(hours.count, 540);
  EXPECT_EQ(hours.columns, 10);
  EXPECT_EQ(hours.rows, 54);
}

TEST(Ladder, SegmentFormatComesFromTheOptions) {
  EXPECT_EQ(LadderOptions().segment_format, SegmentFormat::mpegts);
  LadderOptions options;
  options.segment_format = SegmentFormat::fmp4;
  EXPECT_EQ(plan_ladder(source(1280, 720), options).segment_format, SegmentFormat::fmp4);
}

TEST(Ladder, CustomRungs) {
  LadderOptions options;
  options.rungs = {{"360p", 360, 600}, {"180p", 180, 250}, {"144p", 144, 150}};
  const LadderPlan plan = plan_ladder(source(321, 181), options);
  ASSERT_EQ(plan.rungs.size(), 2u);
  EXPECT_EQ(plan.rungs[0], (LadderRung{"180p", 320, 180, 250, 275, 500}));
  EXPECT_EQ(plan.rungs[1], (LadderRung{"144p", 256, 144, 150, 165, 300}));
}

}  // namespace
}  // namespace streamsync::server
