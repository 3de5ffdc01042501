// The live playlists against a real demuxer: ffprobe (FFmpeg's HLS reader) must accept
// them over real fMP4 segments made by ffmpeg, the way ingest makes them.

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "media/hls_playlist.hpp"
#include "media/live_playlist.hpp"
#include "media_test_support.hpp"

namespace streamsync::server {
namespace {

constexpr std::int64_t kT0 = 1'700'000'000'000'000;
constexpr std::int64_t kSecond = 1'000'000;
constexpr int kFramesPerSegment = 30;  // 1 s segments at 30 fps

struct CommandResult {
  int status = -1;
  std::string out;
  std::string err;
};

CommandResult run(const testing::TempDir& dir, const std::string& command) {
  const auto out = dir.path() / "stdout.txt";
  const auto err = dir.path() / "stderr.txt";
  const std::string line = command + " >'" + out.string() + "' 2>'" + err.string() + "'";
  CommandResult result;
  result.status = std::system(line.c_str());
  result.out = testing::read_file(out);
  result.err = testing::read_file(err);
  return result;
}

class LivePlaylistFfprobeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    // Six 1 s fMP4 segments (closed 30-frame GOPs) with AAC audio, as a ladder rung.
    const CommandResult made =
        run(*dir_,
            "cd '" + dir_->path().string() +
                "' && timeout 120 ffmpeg -nostdin -v error -f lavfi -i testsrc2=d=6:s=160x90:r=30 "
                "-f lavfi -i sine=d=6 -c:v libx264 -g 30 -c:a aac -f hls -hls_time 1 "
                "-hls_segment_type fmp4 -hls_playlist_type vod -hls_fmp4_init_filename init.mp4 "
                "-hls_segment_filename 'seg_%03d.m4s' index.m3u8");
    if (made.status != 0) {
      skip_reason_ = new std::string("ffmpeg could not make segments: " + made.err);
      return;
    }
    auto parsed = parse_media_playlist(testing::read_file(dir_->path() / "index.m3u8"));
    if (!parsed) {
      skip_reason_ = new std::string("ffmpeg's playlist did not parse: " + parsed.error().message);
      return;
    }
    vod_ = new MediaPlaylist(std::move(parsed).value());
  }
  static void TearDownTestSuite() {
    delete vod_;
    delete skip_reason_;
    delete dir_;
    vod_ = nullptr;
    skip_reason_ = nullptr;
    dir_ = nullptr;
  }

  void SetUp() override {
    if (skip_reason_) GTEST_SKIP() << *skip_reason_;
  }

  // Writes the channel's playlist at now_us next to the segments and probes it.
  CommandResult probe(bool loop, std::int64_t now_us, const std::string& options) {
    // The same video twice: whole, then from 2.5 s for 2.5 s (segments 2..4, the last cut).
    auto timeline = Timeline::create(
        Schedule{"ch", 1, 0, kT0, loop, {{"v", 0, 6 * kSecond}, {"v", 2'500'000, 2'500'000}}});
    EXPECT_TRUE(timeline.has_value());
    const std::vector<LiveItemMedia> items = {{*vod_, ""}, {*vod_, ""}};
    const auto text = build_live_media_playlist(*timeline, items, now_us);
    EXPECT_TRUE(text.has_value());
    dir_->write("live.m3u8", text ? *text : "");
    return run(*dir_, "timeout 60 ffprobe -v error " + options + " '" +
                          (dir_->path() / "live.m3u8").string() + "'");
  }

  static testing::TempDir* dir_;
  static MediaPlaylist* vod_;
  static std::string* skip_reason_;
};

testing::TempDir* LivePlaylistFfprobeTest::dir_ = nullptr;
MediaPlaylist* LivePlaylistFfprobeTest::vod_ = nullptr;
std::string* LivePlaylistFfprobeTest::skip_reason_ = nullptr;

TEST_F(LivePlaylistFfprobeTest, FfmpegsPlaylistParses) {
  EXPECT_EQ(vod_->segments.size(), 6u);
  EXPECT_EQ(vod_->map_uri, "init.mp4");
  EXPECT_EQ(vod_->duration_us(), 6 * kSecond);
}

TEST_F(LivePlaylistFfprobeTest, AcceptsALoopingLivePlaylistAcrossDiscontinuities) {
  // Pass 3 (8.5 s each), 1.5 s in: the window spans item 2 of pass 2 and item 1 of pass 3.
  const CommandResult result =
      probe(true, kT0 + 3 * 8'500'000 + 1'500'000, "-show_entries format=duration");
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_NE(result.out.find("duration=N/A"), std::string::npos) << result.out;  // live
}

TEST_F(LivePlaylistFfprobeTest, ReadsEverySegmentOfAnEndedChannel) {
  // Not looping and over: 6 + 3 segments, of which the window keeps the last 6.
  const CommandResult result = probe(
      false, kT0 + 60 * kSecond,
      "-select_streams v:0 -count_packets -show_entries stream=nb_read_packets:format=duration "
      "-of default=noprint_wrappers=1");
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.err, "");
  // Every listed segment was found and read: 6 segments of 30 frames.
  EXPECT_NE(result.out.find("nb_read_packets=" + std::to_string(6 * kFramesPerSegment)),
            std::string::npos)
      << result.out;
  // EXTINF: segments 3, 4, 5 of item 1 (1 s each), then 2, 3 and 4, the last cut to 0.5 s.
  EXPECT_NE(result.out.find("duration=5.500000"), std::string::npos) << result.out;
}

}  // namespace
}  // namespace streamsync::server
