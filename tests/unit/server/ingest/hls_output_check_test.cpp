#include "ingest/hls_output_check.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "ingest/hls_master.hpp"
#include "ingest_test_support.hpp"

// On a hand-made output directory; the transcode tests check real FFmpeg output.

namespace streamsync::server {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

// A rung's playlist as FFmpeg writes it: MPEG-TS segments (the default), or fMP4 ones after
// an EXT-X-MAP init segment.
std::string media_playlist(int segments, const std::string& last_duration = "1.000000",
                           SegmentFormat format = SegmentFormat::mpegts) {
  const bool fmp4 = format == SegmentFormat::fmp4;
  std::string text = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n";
  if (fmp4) text += "#EXT-X-MAP:URI=\"init_0.mp4\"\n";
  for (int i = 0; i < segments; ++i) {
    text += "#EXTINF:" + (i + 1 == segments ? last_duration : std::string("2.000000")) + ",\nseg_" +
            std::to_string(i) + (fmp4 ? ".m4s" : ".ts") + "\n";
  }
  return text + "#EXT-X-ENDLIST\n";
}

class HlsOutputCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    plan_.rungs = {{"360p", 640, 360, 800, 880, 1600}, {"180p", 320, 180, 250, 275, 500}};
    plan_.frame_rate = {30, 1};
    plan_.segment_seconds = 2;
    plan_.duration_us = 5'000'000;
    std::vector<MasterEntry> entries;
    for (const auto& rung : plan_.rungs) {
      entries.push_back({rung.name + "/index.m3u8",
                         rung.width,
                         rung.height,
                         {30, 1},
                         "avc1.64001e,mp4a.40.2",
                         900'000,
                         800'000});
    }
    write_rungs(plan_.segment_format);
    write(dir_.path() / "master.m3u8", master_playlist_text(entries));
    for (const char* file : {"poster.jpg", "sprite.jpg", "thumbnails.vtt"}) {
      write(dir_.path() / file, "x");
    }
  }

  // Every rung's playlist and segments (and init segment for fMP4) in format.
  void write_rungs(SegmentFormat format) {
    const bool fmp4 = format == SegmentFormat::fmp4;
    for (const auto& rung : plan_.rungs) {
      const fs::path dir = dir_.path() / rung.name;
      write(dir / "index.m3u8", media_playlist(3, "1.000000", format));
      if (fmp4) write(dir / "init_0.mp4", "init");
      for (int i = 0; i < 3; ++i) {
        write(dir / ("seg_" + std::to_string(i) + (fmp4 ? ".m4s" : ".ts")), "data");
      }
    }
  }

  std::string error() {
    const auto verified = verify_ingest_output(dir_.path(), plan_);
    return verified ? "" : verified.error();
  }

  testing::TempDir dir_;
  LadderPlan plan_;
};

TEST_F(HlsOutputCheckTest, AcceptsACompleteOutput) {
  const auto verified = verify_ingest_output(dir_.path(), plan_);
  ASSERT_TRUE(verified.has_value()) << verified.error();
  ASSERT_EQ(verified->size(), 2u);
  EXPECT_EQ((*verified)[0].playlist, "360p/index.m3u8");
  EXPECT_EQ((*verified)[0].segment_count, 3);
  EXPECT_EQ((*verified)[0].duration_us, 5'000'000);
  EXPECT_EQ((*verified)[1].bandwidth, 900'000);
}

TEST_F(HlsOutputCheckTest, MpegTsIsTheDefaultAndNeedsNoInitSegment) {
  EXPECT_EQ(LadderPlan().segment_format, SegmentFormat::mpegts);
  EXPECT_FALSE(fs::exists(dir_.path() / "360p/init_0.mp4"));
  EXPECT_EQ(error(), "");
}

TEST_F(HlsOutputCheckTest, AcceptsAnFmp4OutputAndNeedsItsInitSegment) {
  plan_.segment_format = SegmentFormat::fmp4;
  write_rungs(SegmentFormat::fmp4);
  EXPECT_EQ(error(), "");
  fs::remove(dir_.path() / "180p/init_0.mp4");
  EXPECT_EQ(error(), "180p/index.m3u8: init segment missing");
}

TEST_F(HlsOutputCheckTest, ReportsAMissingSegment) {
  fs::remove(dir_.path() / "180p/seg_1.ts");
  EXPECT_EQ(error(), "180p/index.m3u8: segment seg_1.ts missing or empty");
}

TEST_F(HlsOutputCheckTest, ReportsAMissingEndList) {
  std::string text = media_playlist(3);
  text.erase(text.find("#EXT-X-ENDLIST"));
  write(dir_.path() / "360p/index.m3u8", text);
  EXPECT_EQ(error(), "360p/index.m3u8: no EXT-X-ENDLIST");
}

TEST_F(HlsOutputCheckTest, ReportsUnequalSegmentCounts) {
  write(dir_.path() / "180p/index.m3u8", media_playlist(2, "3.000000"));
  EXPECT_EQ(error(), "180p/index.m3u8: segment seg_1.ts lasts 3000 ms");
  write(dir_.path() / "180p/index.m3u8",
        "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\n"
        "seg_0.ts\n#EXTINF:2.0,\nseg_1.ts\n#EXTINF:0.5,\nseg_2.ts\n#EXTINF:0.5,\nseg_2.ts\n"
        "#EXT-X-ENDLIST\n");
  EXPECT_EQ(error(), "180p/index.m3u8: 4 segments, 360p/index.m3u8 has 3");
}

TEST_F(HlsOutputCheckTest, ReportsWrongMasterAttributes) {
  plan_.rungs[1].width = 322;
  EXPECT_EQ(error(), "master.m3u8 (180p/index.m3u8): RESOLUTION is not 322x180");
  plan_.rungs[1].width = 320;
  plan_.frame_rate = {25, 1};
  EXPECT_EQ(error(), "master.m3u8 (360p/index.m3u8): FRAME-RATE missing or not the planned rate");
}

TEST_F(HlsOutputCheckTest, ReportsAMissingPoster) {
  fs::remove(dir_.path() / "poster.jpg");
  EXPECT_EQ(error(), "missing or empty poster.jpg");
}

TEST_F(HlsOutputCheckTest, ReportsADurationFarFromTheSource) {
  plan_.duration_us = 8'000'000;
  EXPECT_EQ(error(), "360p/index.m3u8: lasts 5000 ms, the source 8000 ms");
}

}  // namespace
}  // namespace streamsync::server
