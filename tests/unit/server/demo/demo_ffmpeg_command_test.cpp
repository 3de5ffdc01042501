#include "demo/demo_ffmpeg_command.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace streamsync::server {
namespace {

DemoVideoSpec spec_30s() {
  DemoVideoSpec spec;
  spec.id = "demo-a";
  spec.duration_us = 30'000'000;
  return spec;
}

// The argument after flag, or "" when flag is absent.
std::string after(const std::vector<std::string>& args, const std::string& flag) {
  const auto found = std::find(args.begin(), args.end(), flag);
  return found == args.end() || found + 1 == args.end() ? "" : *(found + 1);
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(DemoFfmpegCommand, StartsWithTheProgramAndNeverAShell) {
  const auto args = demo_ffmpeg_args(spec_30s(), "/opt/ffmpeg", "");
  ASSERT_FALSE(args.empty());
  EXPECT_EQ(args.front(), "/opt/ffmpeg");
  EXPECT_EQ(after(args, "-progress"), "pipe:1");
  EXPECT_EQ(args.back(), "poster.jpg");
}

TEST(DemoFfmpegCommand, KeyframesExactlyEveryTwoSeconds) {
  auto spec = spec_30s();
  spec.fps = 25;
  const auto args = demo_ffmpeg_args(spec, "ffmpeg", "");
  EXPECT_EQ(after(args, "-g"), "50");
  EXPECT_EQ(after(args, "-keyint_min"), "50");
  EXPECT_EQ(after(args, "-sc_threshold"), "0");
  EXPECT_EQ(after(args, "-force_key_frames"), "expr:gte(t,n_forced*2)");
  EXPECT_EQ(after(args, "-hls_time"), "2");
}

TEST(DemoFfmpegCommand, HlsLadderOfMpegTsVariants) {
  const auto args = demo_ffmpeg_args(spec_30s(), "ffmpeg", "");
  EXPECT_EQ(after(args, "-hls_segment_type"), "mpegts");
  EXPECT_EQ(after(args, "-hls_segment_filename"), "%v/seg_%05d.ts");
  EXPECT_EQ(std::find(args.begin(), args.end(), "-hls_fmp4_init_filename"), args.end());
  EXPECT_EQ(after(args, "-hls_playlist_type"), "vod");
  EXPECT_EQ(after(args, "-hls_flags"), "independent_segments");
  EXPECT_EQ(after(args, "-master_pl_name"), "master.m3u8");
  EXPECT_EQ(after(args, "-var_stream_map"), "v:0,a:0,name:720p v:1,a:1,name:360p");
  EXPECT_EQ(after(args, "-b:v:0"), "2500k");
  EXPECT_EQ(after(args, "-b:v:1"), "800k");
  EXPECT_EQ(after(args, "-ar"), "48000");
  EXPECT_EQ(after(args, "-b:a"), "128k");
}

TEST(DemoFfmpegCommand, TimestampsStartAtZero) {
  // The TS muxer adds no mux delay and does not shift the encoder's timestamps, so the
  // first frame (timecode 00:00:00.000) is at pts 0.
  const auto args = demo_ffmpeg_args(spec_30s(), "ffmpeg", "");
  EXPECT_EQ(after(args, "-avoid_negative_ts"), "disabled");
  EXPECT_EQ(after(args, "-hls_segment_options"), "avoid_negative_ts=disabled:mpegts_copyts=1");
}

TEST(DemoFfmpegCommand, GraphDrawsPatternTimecodeStripAndTone) {
  const auto graph = demo_filter_graph(spec_30s(), "/fonts/Bold.ttf");
  EXPECT_TRUE(contains(graph, "testsrc2=size=1280x720:rate=30:duration=30.000000"));
  EXPECT_TRUE(contains(graph, "text='%{pts\\:hms}'"));
  EXPECT_TRUE(contains(graph, "%{frame_num}"));
  EXPECT_TRUE(contains(graph, "fontfile=/fonts/Bold.ttf:"));
  EXPECT_TRUE(contains(graph, "color=c=black:size=16x1"));
  EXPECT_TRUE(contains(graph, "geq=lum='255*mod(floor(N/pow(2\\,15-X))\\,2)'"));
  EXPECT_TRUE(contains(graph, "scale=1280x48:flags=neighbor"));
  EXPECT_TRUE(contains(graph, "[s1]scale=640:360[v1]"));
  EXPECT_TRUE(contains(graph, "trim=start_frame=90:end_frame=91"));  // 10% of 900 frames
  EXPECT_TRUE(contains(graph, "scale=640:-2[poster]"));
  EXPECT_TRUE(contains(graph, "sine=frequency=440:sample_rate=48000:duration=30.000000"));
}

TEST(DemoFfmpegCommand, NoFontFileUsesTheDefaultFont) {
  EXPECT_FALSE(contains(demo_filter_graph(spec_30s(), ""), "fontfile"));
}

TEST(DemoFfmpegCommand, FractionalSecondsAreExact) {
  auto spec = spec_30s();
  spec.duration_us = 1'500'000;
  EXPECT_TRUE(contains(demo_filter_graph(spec, ""), "duration=1.500000"));
}

TEST(DemoFfmpegCommand, StripHeightIsEvenAndProportional) {
  EXPECT_EQ(frame_strip_height(720), 48);
  EXPECT_EQ(frame_strip_height(180), 12);
  EXPECT_EQ(frame_strip_height(90), 6);
  EXPECT_EQ(frame_strip_height(30), 4);
}

TEST(DemoFfmpegCommand, EscapesFilterOptionsAtBothLevels) {
  EXPECT_EQ(escape_filter_option("/usr/share/a-b_c.ttf"), "/usr/share/a-b_c.ttf");
  EXPECT_EQ(escape_filter_option("C:/x"), "C\\\\:/x");
  EXPECT_EQ(escape_filter_option("a,b"), "a\\,b");
  EXPECT_EQ(escape_filter_option("it's"), "it\\\\\\'s");
}

}  // namespace
}  // namespace streamsync::server
