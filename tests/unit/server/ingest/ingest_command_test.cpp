#include "ingest/ingest_command.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace streamsync::server {
namespace {

ProbeResult probe_640x360() {
  ProbeResult probe;
  probe.container = "mov,mp4,m4a,3gp,3g2,mj2";
  probe.duration_us = 4'000'000;
  probe.video_stream_index = 0;
  probe.width = 640;
  probe.height = 360;
  probe.r_frame_rate = {30, 1};
  probe.avg_frame_rate = {30, 1};
  probe.has_audio = true;
  probe.audio_stream_index = 1;
  return probe;
}

const VideoEncoder& libx264() {
  return known_encoders().back();
}

// The value after the first occurrence of option ("" when absent).
std::string option(const std::vector<std::string>& args, const std::string& name) {
  const auto found = std::find(args.begin(), args.end(), name);
  return found == args.end() || found + 1 == args.end() ? "" : *(found + 1);
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(IngestCommand, ClosedGopAlignedToTwoSecondSegments) {
  const ProbeResult probe = probe_640x360();
  LadderOptions options;
  options.rungs = {{"360p", 360, 800}, {"180p", 180, 250}};
  const LadderPlan plan = plan_ladder(probe, options);
  const auto args = ingest_ffmpeg_args("/videos/in.mp4", probe, plan, libx264(), "ffmpeg");

  EXPECT_EQ(args.front(), "ffmpeg");
  EXPECT_EQ(option(args, "-progress"), "pipe:1");
  EXPECT_EQ(option(args, "-f"), "mov");  // the probed demuxer, not a guess
  EXPECT_EQ(option(args, "-protocol_whitelist"), "file");
  EXPECT_EQ(option(args, "-i"), "file:/videos/in.mp4");
  EXPECT_EQ(option(args, "-c:v"), "libx264");
  EXPECT_EQ(option(args, "-g"), "60");
  EXPECT_EQ(option(args, "-keyint_min"), "60");
  EXPECT_EQ(option(args, "-sc_threshold"), "0");
  EXPECT_EQ(option(args, "-flags"), "+cgop");
  EXPECT_EQ(option(args, "-force_key_frames"), "expr:gte(t,n_forced*2)");
  EXPECT_EQ(option(args, "-b:v:0"), "800k");
  EXPECT_EQ(option(args, "-b:v:1"), "250k");
  EXPECT_EQ(option(args, "-c:a"), "aac");
  EXPECT_EQ(option(args, "-ar"), "48000");
  EXPECT_EQ(option(args, "-ac"), "2");
  EXPECT_EQ(option(args, "-b:a"), "128k");
  EXPECT_EQ(option(args, "-hls_time"), "2");
  EXPECT_EQ(option(args, "-hls_playlist_type"), "vod");
  EXPECT_EQ(option(args, "-hls_segment_type"), "mpegts");  // the default
  EXPECT_EQ(option(args, "-hls_flags"), "independent_segments");
  EXPECT_EQ(option(args, "-var_stream_map"), "v:0,a:0,name:360p v:1,a:1,name:180p");
  EXPECT_EQ(option(args, "-master_pl_name"), kFfmpegMasterPlaylistFile);
  EXPECT_NE(std::find(args.begin(), args.end(), "poster.jpg"), args.end());
  EXPECT_NE(std::find(args.begin(), args.end(), "sprite.jpg"), args.end());
}

TEST(IngestCommand, GraphMakesConstantRate8BitRungsPosterAndSprite) {
  const ProbeResult probe = probe_640x360();
  LadderOptions options;
  options.rungs = {{"360p", 360, 800}, {"180p", 180, 250}};
  const std::string graph = ingest_filter_graph(probe, plan_ladder(probe, options), libx264());
  EXPECT_TRUE(contains(graph, "[0:0]fps=30/1,format=yuv420p,split=4[s0][s1][p][t];")) << graph;
  EXPECT_TRUE(contains(graph, "[s0]scale=640:360,setsar=1[v0];")) << graph;
  EXPECT_TRUE(contains(graph, "[s1]scale=320:180,setsar=1[v1];")) << graph;
  EXPECT_TRUE(contains(graph, "[p]trim=start=0.400000:duration=2,")) << graph;
  EXPECT_TRUE(contains(graph, "thumbnail=n=10,trim=end_frame=1[poster];")) << graph;
  EXPECT_TRUE(contains(graph, "scale=160:90,setsar=1,tile=1x1[sprite];")) << graph;
  EXPECT_TRUE(contains(graph, "[0:1]aresample=async=1:first_pts=0,")) << graph;
  EXPECT_TRUE(contains(graph, "apad=whole_dur=4.000000,atrim=duration=4.000000,asplit=2[a0][a1]"))
      << graph;
}

TEST(IngestCommand, SilentTrackWhenTheSourceHasNoAudio) {
  ProbeResult probe = probe_640x360();
  probe.has_audio = false;
  probe.audio_stream_index = -1;
  const std::string graph = ingest_filter_graph(probe, plan_ladder(probe), libx264());
  EXPECT_TRUE(contains(graph, "anullsrc=r=48000:cl=stereo,atrim=duration=4.000000,asplit=1[a0]"))
      << graph;
  EXPECT_FALSE(contains(graph, "[0:-1]"));
}

TEST(IngestCommand, HardwareEncoderUploadsAfterScaling) {
  const ProbeResult probe = probe_640x360();
  const VideoEncoder& vaapi = known_encoders().front();
  ASSERT_EQ(vaapi.name, "h264_vaapi");
  const LadderPlan plan = plan_ladder(probe);
  const auto args = ingest_ffmpeg_args("/videos/in.mp4", probe, plan, vaapi, "ffmpeg");
  EXPECT_EQ(option(args, "-vaapi_device"), "/dev/dri/renderD128");
  EXPECT_TRUE(contains(option(args, "-filter_complex"),
                       "[s0]scale=640:360,setsar=1,format=nv12,hwupload[v0];"));
  // The poster and sprite stay in system memory for the JPEG encoder.
  EXPECT_TRUE(contains(option(args, "-filter_complex"), "thumbnail=n=10,trim=end_frame=1[poster]"));
}

TEST(IngestCommand, MpegTsSegmentsByDefaultWithNoInitFile) {
  const ProbeResult probe = probe_640x360();
  const auto args =
      ingest_ffmpeg_args("/videos/in.mp4", probe, plan_ladder(probe), libx264(), "ffmpeg");
  EXPECT_EQ(option(args, "-hls_segment_type"), "mpegts");
  EXPECT_EQ(option(args, "-hls_segment_filename"), "%v/seg_%05d.ts");
  EXPECT_EQ(std::find(args.begin(), args.end(), "-hls_fmp4_init_filename"), args.end());
  // The TS muxer keeps the encoder's timestamps: first frame at pts 0, no mux delay.
  EXPECT_EQ(option(args, "-avoid_negative_ts"), "disabled");
  EXPECT_EQ(option(args, "-hls_segment_options"), "avoid_negative_ts=disabled:mpegts_copyts=1");
}

TEST(IngestCommand, Fmp4SegmentsOnRequest) {
  const ProbeResult probe = probe_640x360();
  LadderOptions options;
  options.segment_format = SegmentFormat::fmp4;
  const auto args =
      ingest_ffmpeg_args("/videos/in.mp4", probe, plan_ladder(probe, options), libx264(), "ffmpeg");
  EXPECT_EQ(option(args, "-hls_segment_type"), "fmp4");
  EXPECT_EQ(option(args, "-hls_fmp4_init_filename"), "init.mp4");
  EXPECT_EQ(option(args, "-hls_segment_filename"), "%v/seg_%05d.m4s");
  EXPECT_EQ(option(args, "-avoid_negative_ts"), "disabled");
  EXPECT_EQ(std::find(args.begin(), args.end(), "-hls_segment_options"), args.end());
}

TEST(IngestCommand, RungPlaylistPath) {
  EXPECT_EQ(rung_playlist_path(LadderRung{"720p", 1280, 720, 3000, 3300, 6000}), "720p/index.m3u8");
}

}  // namespace
}  // namespace streamsync::server
