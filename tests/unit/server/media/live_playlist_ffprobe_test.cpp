// The live playlists against a real demuxer: ffprobe (FFmpeg's HLS reader) must accept
// them over real segments made by ffmpeg the way ingest makes them: MPEG-TS (its default)
// and fMP4 (its option).

#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "media/hls_playlist.hpp"
#include "media/live_playlist.hpp"
#include "media_test_support.hpp"
#include "support/temp_dir.hpp"

namespace streamsync::server {
namespace {

using streamsync::testing::TempDir;

constexpr std::int64_t kT0 = 1'700'000'000'000'000;
constexpr std::int64_t kSecond = 1'000'000;
constexpr int kFramesPerSegment = 30;  // 1 s segments at 30 fps

struct CommandResult {
  int status = -1;
  std::string out;
  std::string err;
};

CommandResult run(const TempDir& dir, const std::string& command) {
  const auto out = dir.path() / "stdout.txt";
  const auto err = dir.path() / "stderr.txt";
  const std::string line = command + " >'" + out.string() + "' 2>'" + err.string() + "'";
  CommandResult result;
  result.status = std::system(line.c_str());
  result.out = testing::read_file(out);
  result.err = testing::read_file(err);
  return result;
}

// Six 1 s segments (closed 30-frame GOPs) with AAC audio, as a ladder rung, in directory
// <format>/ of the suite's directory.
enum class Format { mpegts, fmp4 };

std::string format_name(Format format) {
  return format == Format::mpegts ? "mpegts" : "fmp4";
}

void PrintTo(Format format, std::ostream* out) {
  *out << format_name(format);
}

std::string segment_options(Format format) {
  // MPEG-TS with ingest's muxer options (ingest/ingest_command.hpp, kMpegTsSegmentOptions):
  // first frame at pts 0, timestamps before it (the first DTS, AAC priming) wrapped.
  return format == Format::mpegts
             ? "-avoid_negative_ts disabled -hls_segment_type mpegts "
               "-hls_segment_options avoid_negative_ts=disabled:mpegts_copyts=1 "
               "-hls_segment_filename 'seg_%03d.ts'"
             : "-hls_segment_type fmp4 -hls_fmp4_init_filename init.mp4 "
               "-hls_segment_filename 'seg_%03d.m4s'";
}

class LivePlaylistFfprobeTest : public ::testing::TestWithParam<Format> {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    for (const Format format : {Format::mpegts, Format::fmp4}) {
      const auto index = static_cast<std::size_t>(format);
      const auto sub = dir_->path() / format_name(format);
      std::filesystem::create_directories(sub);
      const CommandResult made = run(
          *dir_, "cd '" + sub.string() +
                     "' && timeout 120 ffmpeg -nostdin -v error -f lavfi -i "
                     "testsrc2=d=6:s=160x90:r=30 -f lavfi -i sine=d=6 -c:v libx264 -g 30 -c:a aac "
                     "-f hls -hls_time 1 -hls_playlist_type vod " +
                     segment_options(format) + " index.m3u8");
      if (made.status != 0) {
        skip_reasons_[index] = "ffmpeg could not make segments: " + made.err;
        continue;
      }
      auto parsed = parse_media_playlist(testing::read_file(sub / "index.m3u8"));
      if (!parsed) {
        skip_reasons_[index] = "ffmpeg's playlist did not parse: " + parsed.error().message;
        continue;
      }
      vods_[index] = std::move(parsed).value();
    }
  }
  static void TearDownTestSuite() {
    for (auto& vod : vods_) vod.reset();
    for (auto& reason : skip_reasons_) reason.clear();
    delete dir_;
    dir_ = nullptr;
  }

  void SetUp() override {
    const std::string& reason = skip_reasons_[static_cast<std::size_t>(GetParam())];
    if (!reason.empty()) GTEST_SKIP() << reason;
  }

  const MediaPlaylist& vod() const { return *vods_[static_cast<std::size_t>(GetParam())]; }

  // Writes the channel's playlist at now_us next to the segments and probes it.
  CommandResult probe(bool loop, std::int64_t now_us, const std::string& options) {
    // The same video twice: whole, then from 2.5 s for 2.5 s (segments 2..4, the last cut).
    auto timeline = Timeline::create(
        Schedule{"ch", 1, 0, kT0, loop, {{"v", 0, 6 * kSecond}, {"v", 2'500'000, 2'500'000}}});
    EXPECT_TRUE(timeline.has_value());
    const std::vector<LiveItemMedia> items = {{vod(), ""}, {vod(), ""}};
    const auto text = build_live_media_playlist(*timeline, items, now_us);
    EXPECT_TRUE(text.has_value());
    const auto live = dir_->path() / format_name(GetParam()) / "live.m3u8";
    testing::write_file(live, text ? *text : "");
    return run(*dir_, "timeout 60 ffprobe -v error " + options + " '" + live.string() + "'");
  }

  static inline TempDir* dir_ = nullptr;
  static inline std::array<std::optional<MediaPlaylist>, 2> vods_;
  static inline std::array<std::string, 2> skip_reasons_;
};

TEST_P(LivePlaylistFfprobeTest, FfmpegsPlaylistParses) {
  EXPECT_EQ(vod().segments.size(), 6u);
  if (GetParam() == Format::fmp4) {
    EXPECT_EQ(vod().map_uri, "init.mp4");
    EXPECT_EQ(vod().segments.front().uri, "seg_000.m4s");
  } else {
    EXPECT_EQ(vod().map_uri, std::nullopt);  // no EXT-X-MAP: TS segments stand alone
    EXPECT_EQ(vod().segments.front().uri, "seg_000.ts");
  }
  EXPECT_EQ(vod().duration_us(), 6 * kSecond);
}

TEST_P(LivePlaylistFfprobeTest, LivePlaylistHasAMapOnlyForFmp4) {
  auto timeline = Timeline::create(Schedule{"ch", 1, 0, kT0, false, {{"v", 0, 6 * kSecond}}});
  ASSERT_TRUE(timeline.has_value());
  const std::vector<LiveItemMedia> items = {{vod(), ""}};
  const auto text = build_live_media_playlist(*timeline, items, kT0 + 3 * kSecond);
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(text->find("#EXT-X-MAP") != std::string::npos, GetParam() == Format::fmp4) << *text;
}

TEST_P(LivePlaylistFfprobeTest, AcceptsALoopingLivePlaylistAcrossDiscontinuities) {
  // Pass 3 (8.5 s each), 1.5 s in: the window spans item 2 of pass 2 and item 1 of pass 3.
  const CommandResult result =
      probe(true, kT0 + 3 * 8'500'000 + 1'500'000, "-show_entries format=duration");
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_NE(result.out.find("duration=N/A"), std::string::npos) << result.out;  // live
}

TEST_P(LivePlaylistFfprobeTest, ReadsEverySegmentOfAnEndedChannel) {
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

INSTANTIATE_TEST_SUITE_P(Formats, LivePlaylistFfprobeTest,
                         ::testing::Values(Format::mpegts, Format::fmp4),
                         [](const ::testing::TestParamInfo<Format>& param) {
                           return format_name(param.param);
                         });

}  // namespace
}  // namespace streamsync::server
