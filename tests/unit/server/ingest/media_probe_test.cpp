#include "ingest/media_probe.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "ingest_test_support.hpp"

// Probes real files made by FFmpeg (ingest_test_support.hpp): each good container and
// shape, and every kind of bad upload the issue names.

namespace streamsync::server {
namespace {

using testing::test_input;

ProbeResult probe_ok(std::string_view name) {
  const auto probed = probe_media(test_input(name));
  EXPECT_TRUE(probed.has_value()) << name << ": " << (probed ? "" : probed.error().message);
  return probed ? probed.value() : ProbeResult{};
}

IngestError probe_error(std::string_view name, const ProbeLimits& limits = {}) {
  const auto probed = probe_media(test_input(name), limits);
  EXPECT_FALSE(probed.has_value()) << name << " was accepted";
  return probed ? IngestError{} : probed.error();
}

TEST(MediaProbe, ReadsAnMp4) {
  const ProbeResult probe = probe_ok("mp4");
  EXPECT_EQ(probe.container.substr(0, 3), "mov");
  EXPECT_EQ(probe.video_codec, "h264");
  EXPECT_EQ(probe.width, 640);
  EXPECT_EQ(probe.height, 360);
  EXPECT_EQ(probe.rotation_deg, 0);
  EXPECT_NEAR(static_cast<double>(probe.duration_us), 4e6, 50e3);
  EXPECT_EQ(probe.r_frame_rate, (FrameRate{30, 1}));
  EXPECT_NEAR(probe.avg_frame_rate.value(), 30.0, 0.01);
  EXPECT_FALSE(probe.variable_frame_rate);
  EXPECT_EQ(probe.pixel_format, "yuv420p");
  EXPECT_EQ(probe.bit_depth, 8);
  EXPECT_TRUE(probe.has_audio);
  EXPECT_EQ(probe.audio_codec, "aac");
  EXPECT_EQ(probe.audio_sample_rate, 44'100);
  EXPECT_EQ(probe.audio_channels, 1);
}

TEST(MediaProbe, ReadsMkvMovAndWebm) {
  const ProbeResult mkv = probe_ok("mkv");
  EXPECT_EQ(mkv.container, "matroska,webm");
  EXPECT_EQ(mkv.r_frame_rate, (FrameRate{25, 1}));
  EXPECT_NEAR(static_cast<double>(mkv.duration_us), 4e6, 50e3);

  const ProbeResult mov = probe_ok("mov");
  EXPECT_EQ(mov.r_frame_rate, (FrameRate{24000, 1001}));
  EXPECT_FALSE(mov.variable_frame_rate);

  const ProbeResult webm = probe_ok("webm");
  EXPECT_EQ(webm.video_codec, "vp9");
  EXPECT_EQ(webm.audio_codec, "opus");
  EXPECT_EQ(webm.audio_sample_rate, 48'000);
  EXPECT_EQ(webm.width, 320);
}

TEST(MediaProbe, ReportsPortraitAndRotation) {
  const ProbeResult portrait = probe_ok("portrait");
  EXPECT_EQ(portrait.width, 180);
  EXPECT_EQ(portrait.height, 320);
  EXPECT_EQ(portrait.rotation_deg, 0);

  // Stored landscape with a display matrix: displayed portrait.
  const ProbeResult rotated = probe_ok("rotated");
  EXPECT_EQ(rotated.coded_width, 320);
  EXPECT_EQ(rotated.coded_height, 180);
  EXPECT_TRUE(rotated.rotation_deg == 90 || rotated.rotation_deg == 270) << rotated.rotation_deg;
  EXPECT_EQ(rotated.width, 180);
  EXPECT_EQ(rotated.height, 320);
}

TEST(MediaProbe, ReportsOddSizesTenBitSixtyFpsAndNoAudio) {
  const ProbeResult odd = probe_ok("odd");
  EXPECT_EQ(odd.width, 321);
  EXPECT_EQ(odd.height, 181);
  EXPECT_EQ(odd.pixel_format, "yuv444p");

  const ProbeResult ten = probe_ok("10bit");
  EXPECT_EQ(ten.pixel_format, "yuv420p10le");
  EXPECT_EQ(ten.bit_depth, 10);

  EXPECT_EQ(probe_ok("60fps").r_frame_rate, (FrameRate{60, 1}));

  const ProbeResult silent = probe_ok("noaudio");
  EXPECT_FALSE(silent.has_audio);
  EXPECT_EQ(silent.audio_stream_index, -1);
}

TEST(MediaProbe, FlagsVariableFrameRate) {
  const ProbeResult vfr = probe_ok("vfr");
  EXPECT_TRUE(vfr.variable_frame_rate);
  EXPECT_NEAR(vfr.avg_frame_rate.value(), 20.0, 0.5);
  EXPECT_NEAR(static_cast<double>(vfr.duration_us), 6e6, 100e3);
}

TEST(MediaProbe, RefusesAnEmptyFile) {
  const IngestError error = probe_error("empty");
  EXPECT_EQ(error.code, IngestErrorCode::not_a_media_file);
  EXPECT_EQ(error.message, "not a media file: the file is empty");
}

TEST(MediaProbe, RefusesRandomBytesAndText) {
  for (const char* name : {"random", "text"}) {
    const IngestError error = probe_error(name);
    EXPECT_EQ(error.code, IngestErrorCode::not_a_media_file) << name << ": " << error.message;
    EXPECT_EQ(error.message.rfind("not a media file", 0), 0u) << error.message;
  }
}

TEST(MediaProbe, ReportsATruncatedMp4) {
  const IngestError error = probe_error("truncated");
  EXPECT_EQ(error.code, IngestErrorCode::truncated);
  EXPECT_EQ(error.message, "truncated: moov atom missing");
}

TEST(MediaProbe, RefusesAudioOnly) {
  const IngestError error = probe_error("audio_only");
  EXPECT_EQ(error.code, IngestErrorCode::no_video_stream);
  EXPECT_EQ(error.message, "no video stream: the file is audio only");
}

TEST(MediaProbe, RefusesAZeroLengthVideo) {
  const IngestError error = probe_error("zero_length");
  EXPECT_EQ(error.code, IngestErrorCode::zero_duration) << error.message;
  EXPECT_EQ(error.message.rfind("zero duration", 0), 0u) << error.message;
}

TEST(MediaProbe, RefusesAResolutionAboveTheLimit) {
  const IngestError huge = probe_error("huge");
  EXPECT_EQ(huge.code, IngestErrorCode::resolution_above_limit);
  EXPECT_EQ(huge.message, "resolution above limit: 8192x8192 is larger than 3840x2160");

  // The limit applies to either orientation: portrait 180x320 passes a 320x180 limit...
  ProbeLimits small;
  small.max_long_side_px = 320;
  small.max_short_side_px = 180;
  EXPECT_TRUE(probe_media(test_input("portrait"), small).has_value());
  // ...and the 640x360 mp4 does not.
  EXPECT_EQ(probe_error("mp4", small).code, IngestErrorCode::resolution_above_limit);
}

TEST(MediaProbe, ReportsAMissingFileAsUnreadable) {
  const auto probed = probe_media("/nonexistent/streamsync/video.mp4");
  ASSERT_FALSE(probed.has_value());
  EXPECT_EQ(probed.error().code, IngestErrorCode::unreadable);
  EXPECT_EQ(probed.error().message.rfind("cannot read video.mp4", 0), 0u) << probed.error().message;
}

TEST(MediaProbe, RefusesPlaylistsThatCouldReachOtherFiles) {
  testing::TempDir dir;
  const auto playlist = dir.path() / "upload.m3u8";
  {
    std::ofstream out(playlist);
    out << "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\n"
        << test_input("mp4").string() << "\n#EXT-X-ENDLIST\n";
  }
  const auto probed = probe_media(playlist);
  ASSERT_FALSE(probed.has_value());
  EXPECT_EQ(probed.error().code, IngestErrorCode::not_a_media_file);
  EXPECT_EQ(probed.error().message, "not a media file: the hls format is not accepted for upload");
}

TEST(IngestError, NamesEveryCode) {
  EXPECT_EQ(to_string(IngestErrorCode::not_a_media_file), "not_a_media_file");
  EXPECT_EQ(to_string(IngestErrorCode::resolution_above_limit), "resolution_above_limit");
  EXPECT_EQ(to_string(IngestErrorCode::cancelled), "cancelled");
}

}  // namespace
}  // namespace streamsync::server
