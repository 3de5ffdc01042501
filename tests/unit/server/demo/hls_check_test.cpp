#include "demo/hls_check.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace streamsync::server {
namespace {

namespace fs = std::filesystem;

class HlsCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("streamsync-hls-check-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "hi");
    write("master.m3u8",
          "#EXTM3U\n#EXT-X-VERSION:7\n"
          "#EXT-X-STREAM-INF:BANDWIDTH=360800,RESOLUTION=320x180,"
          "CODECS=\"avc1.64000d,mp4a.40.2\"\nhi/index.m3u8\n");
    // MPEG-TS segments, as the demo's FFmpeg command writes them (no init segment).
    write("hi/index.m3u8",
          "#EXTM3U\n#EXT-X-TARGETDURATION:2\n"
          "#EXTINF:2.000000,\nseg_00000.ts\n#EXTINF:2.000000,\nseg_00001.ts\n#EXT-X-ENDLIST\n");
    for (const char* file : {"hi/seg_00000.ts", "hi/seg_00001.ts"}) {
      write(file, "data");
    }
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  Expected<std::vector<HlsVariant>, std::string> check() {
    return check_hls_vod(dir_ / "master.m3u8");
  }
  std::string error() {
    const auto result = check();
    return result ? "" : result.error();
  }

  fs::path dir_;
};

TEST_F(HlsCheckTest, ReadsACompleteOutput) {
  const auto result = check();
  ASSERT_TRUE(result.has_value()) << result.error();
  ASSERT_EQ(result->size(), 1u);
  EXPECT_EQ((*result)[0],
            (HlsVariant{"hi/index.m3u8", 360800, 320, 180, "avc1.64000d,mp4a.40.2", 2}));
}

TEST_F(HlsCheckTest, MissingMasterIsAnError) {
  fs::remove(dir_ / "master.m3u8");
  EXPECT_NE(error().find("master.m3u8: cannot be read"), std::string::npos);
}

TEST_F(HlsCheckTest, VariantNeedsCodecs) {
  write("master.m3u8",
        "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,RESOLUTION=320x180\nhi/index.m3u8\n");
  EXPECT_NE(error().find("without CODECS"), std::string::npos);
}

TEST_F(HlsCheckTest, VariantNeedsResolution) {
  write("master.m3u8", "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS=\"a\"\nhi/index.m3u8\n");
  EXPECT_NE(error().find("RESOLUTION"), std::string::npos);
}

TEST_F(HlsCheckTest, UnfinishedPlaylistIsAnError) {
  write("hi/index.m3u8", "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\nseg_00000.ts\n");
  EXPECT_NE(error().find("no #EXT-X-ENDLIST"), std::string::npos);
}

TEST_F(HlsCheckTest, MissingSegmentIsAnError) {
  fs::remove(dir_ / "hi/seg_00001.ts");
  EXPECT_NE(error().find("seg_00001.ts is missing"), std::string::npos);
}

TEST_F(HlsCheckTest, Fmp4OutputNeedsItsInitSegment) {
  write("hi/index.m3u8",
        "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MAP:URI=\"init_0.mp4\"\n"
        "#EXTINF:2.000000,\nseg_00000.m4s\n#EXTINF:2.000000,\nseg_00001.m4s\n#EXT-X-ENDLIST\n");
  for (const char* file : {"hi/init_0.mp4", "hi/seg_00000.m4s", "hi/seg_00001.m4s"}) {
    write(file, "data");
  }
  EXPECT_EQ(error(), "");
  fs::remove(dir_ / "hi/init_0.mp4");
  EXPECT_NE(error().find("init_0.mp4 is missing"), std::string::npos);
}

TEST_F(HlsCheckTest, UrisMustStayInside) {
  write("master.m3u8",
        "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,RESOLUTION=2x2,CODECS=\"a\"\n../x/index.m3u8\n");
  EXPECT_NE(error().find("leaves the video"), std::string::npos);
}

TEST_F(HlsCheckTest, MasterWithoutVariantsIsAnError) {
  write("master.m3u8", "#EXTM3U\n");
  EXPECT_NE(error().find("needs an #EXT-X-STREAM-INF"), std::string::npos);
}

}  // namespace
}  // namespace streamsync::server
