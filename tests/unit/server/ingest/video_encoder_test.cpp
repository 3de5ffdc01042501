#include "ingest/video_encoder.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>

#include "ingest_test_support.hpp"

namespace streamsync::server {
namespace {

namespace fs = std::filesystem;

// A stand-in for ffmpeg that succeeds only when its arguments name one of the encoders in
// `working` and otherwise prints FFmpeg's error for an unusable encoder.
fs::path fake_ffmpeg(const fs::path& dir, const std::string& working) {
  const fs::path script = dir / ("ffmpeg-" + std::to_string(std::hash<std::string>{}(working)));
  std::ofstream(script)
      << "#!/bin/sh\ncase \" $* \" in\n"
      << (working.empty() ? "" : "  *\" " + working + " \"*) exit 0 ;;\n")
      << "esac\necho 'Cannot load libcuda.so.1' >&2\n"
      << "echo 'Error while opening encoder for output stream #0:0' >&2\nexit 1\n";
  ::chmod(script.c_str(), 0755);
  return script;
}

TEST(VideoEncoder, Libx264IsTheLastResort) {
  const auto& encoders = known_encoders();
  ASSERT_GE(encoders.size(), 2u);
  EXPECT_EQ(encoders.front().name, "h264_vaapi");
  EXPECT_EQ(encoders.back().name, "libx264");
  EXPECT_FALSE(encoders.back().hardware);
}

TEST(VideoEncoder, AutoFallsBackToLibx264AndSaysWhy) {
  testing::TempDir dir;
  EncoderTestOptions options;
  options.ffmpeg = fake_ffmpeg(dir.path(), "libx264").string();
  const auto choice = select_encoder("auto", options);
  ASSERT_TRUE(choice.has_value()) << choice.error();
  EXPECT_EQ(choice->encoder.name, "libx264");
  ASSERT_EQ(choice->rejected.size(), known_encoders().size() - 1);
  const auto nvenc =
      std::find_if(choice->rejected.begin(), choice->rejected.end(),
                   [](const std::string& r) { return r.rfind("h264_nvenc", 0) == 0; });
  ASSERT_NE(nvenc, choice->rejected.end());
  EXPECT_EQ(*nvenc, "h264_nvenc: Error while opening encoder for output stream #0:0");
}

TEST(VideoEncoder, AutoPrefersAWorkingHardwareEncoder) {
  testing::TempDir dir;
  EncoderTestOptions options;
  options.ffmpeg = fake_ffmpeg(dir.path(), "h264_nvenc").string();
  const auto choice = select_encoder("", options);
  ASSERT_TRUE(choice.has_value()) << choice.error();
  EXPECT_EQ(choice->encoder.name, "h264_nvenc");
  EXPECT_TRUE(choice->encoder.hardware);
}

TEST(VideoEncoder, AForcedEncoderMustWork) {
  testing::TempDir dir;
  EncoderTestOptions options;
  options.ffmpeg = fake_ffmpeg(dir.path(), "libx264").string();
  const auto nvenc = select_encoder("h264_nvenc", options);
  ASSERT_FALSE(nvenc.has_value());
  EXPECT_EQ(nvenc.error(),
            "encoder h264_nvenc does not work: Error while opening encoder for output stream #0:0");
  EXPECT_EQ(select_encoder("libx264", options)->encoder.name, "libx264");
  const auto unknown = select_encoder("x265", options);
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().rfind("unknown encoder 'x265' (known: auto, h264_vaapi,", 0), 0u);
}

TEST(VideoEncoder, NothingWorks) {
  testing::TempDir dir;
  EncoderTestOptions options;
  options.ffmpeg = fake_ffmpeg(dir.path(), "").string();
  const auto choice = select_encoder("auto", options);
  ASSERT_FALSE(choice.has_value());
  EXPECT_EQ(choice.error().rfind("no H.264 encoder works: h264_vaapi: ", 0), 0u) << choice.error();
}

TEST(VideoEncoder, RealLibx264PassesItsTestEncode) {
  const auto choice = select_encoder("libx264");
  ASSERT_TRUE(choice.has_value()) << choice.error();
  EXPECT_EQ(choice->encoder.name, "libx264");
}

TEST(VideoEncoder, TestEncodeIsOneFrameToNull) {
  const auto args = encoder_test_args(known_encoders().front(), "ffmpeg");
  const std::string joined = [&] {
    std::string text;
    for (const auto& arg : args) text += arg + " ";
    return text;
  }();
  EXPECT_NE(joined.find("-vaapi_device /dev/dri/renderD128 "), std::string::npos) << joined;
  EXPECT_NE(joined.find("-frames:v 1 -vf format=yuv420p,format=nv12,hwupload -c:v h264_vaapi "),
            std::string::npos)
      << joined;
  EXPECT_EQ(args.back(), "-");
}

}  // namespace
}  // namespace streamsync::server
