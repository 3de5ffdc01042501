#include "ingest/hls_master.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "ingest_test_support.hpp"

namespace streamsync::server {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

TEST(HlsMaster, WritesEveryAttribute) {
  MasterEntry entry{"360p/index.m3u8",       640,       360,    {30000, 1001},
                    "avc1.64001e,mp4a.40.2", 1'100'000, 900'000};
  EXPECT_EQ(master_playlist_text({entry}),
            "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n"
            "#EXT-X-STREAM-INF:BANDWIDTH=1100000,AVERAGE-BANDWIDTH=900000,RESOLUTION=640x360,"
            "FRAME-RATE=29.970,CODECS=\"avc1.64001e,mp4a.40.2\"\n360p/index.m3u8\n");
}

TEST(HlsMaster, MeasuresPeakAndAverageFromTheSegments) {
  testing::TempDir dir;
  write(dir.path() / "master_ffmpeg.m3u8",
        "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,RESOLUTION=640x360,CODECS=\"avc1.64001e,"
        "mp4a.40.2\"\n360p/index.m3u8\n");
  write(dir.path() / "360p/index.m3u8",
        "#EXTM3U\n#EXT-X-TARGETDURATION:2\n"
        "#EXTINF:2.000000,\nseg_00000.ts\n#EXTINF:2.000000,\nseg_00001.ts\n"
        "#EXTINF:0.500000,\nseg_00002.ts\n#EXT-X-ENDLIST\n");
  write(dir.path() / "360p/seg_00000.ts", std::string(100'000, 'a'));  // 400 kb/s
  write(dir.path() / "360p/seg_00001.ts", std::string(200'000, 'a'));  // 800 kb/s
  write(dir.path() / "360p/seg_00002.ts", std::string(100'000, 'a'));  // 1600 kb/s, too short

  LadderPlan plan;
  plan.rungs = {{"360p", 640, 360, 800, 880, 1600}};
  plan.frame_rate = {30, 1};
  const auto entries = measure_master_entries(dir.path(), plan, "master_ffmpeg.m3u8");
  ASSERT_TRUE(entries.has_value()) << entries.error();
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ(entries->front().codecs, "avc1.64001e,mp4a.40.2");
  EXPECT_EQ(entries->front().bandwidth, 800'000);
  EXPECT_EQ(entries->front().average_bandwidth, 711'112);  // 3.2 Mbit over 4.5 s, rounded up
  EXPECT_EQ(entries->front().width, 640);
}

TEST(HlsMaster, ReportsAMissingSegment) {
  testing::TempDir dir;
  write(dir.path() / "m.m3u8",
        "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS=\"avc1.4d401e\"\n"
        "180p/index.m3u8\n");
  write(dir.path() / "180p/index.m3u8",
        "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\nseg_00000.ts\n#EXT-X-ENDLIST\n");
  LadderPlan plan;
  plan.rungs = {{"180p", 320, 180, 250, 275, 500}};
  const auto entries = measure_master_entries(dir.path(), plan, "m.m3u8");
  ASSERT_FALSE(entries.has_value());
  EXPECT_EQ(entries.error(), "missing segment 180p/seg_00000.ts");
}

}  // namespace
}  // namespace streamsync::server
