#include "ingest/ffmpeg_progress.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace streamsync::server {
namespace {

std::optional<FfmpegProgress> feed_block(FfmpegProgressParser& parser,
                                         const std::vector<std::string>& lines) {
  std::optional<FfmpegProgress> last;
  for (const auto& line : lines) {
    if (auto progress = parser.feed(line)) last = progress;
  }
  return last;
}

TEST(FfmpegProgress, ReportsFractionSpeedAndEta) {
  FfmpegProgressParser parser(10'000'000);
  EXPECT_FALSE(parser.feed("frame=60").has_value());
  const auto progress =
      feed_block(parser, {"fps=59.9", "out_time_us=2500000", "out_time_ms=2500000",
                          "out_time=00:00:02.500000", "speed=2.5x", "progress=continue"});
  ASSERT_TRUE(progress.has_value());
  EXPECT_EQ(progress->out_time_us, 2'500'000);
  EXPECT_DOUBLE_EQ(progress->fraction, 0.25);
  EXPECT_DOUBLE_EQ(progress->speed, 2.5);
  ASSERT_TRUE(progress->eta_s.has_value());
  EXPECT_DOUBLE_EQ(*progress->eta_s, 3.0);  // 7.5 media seconds at 2.5x
  EXPECT_FALSE(progress->finished);
}

TEST(FfmpegProgress, ToleratesNotAvailableValuesAtTheStart) {
  FfmpegProgressParser parser(10'000'000);
  const auto progress =
      feed_block(parser, {"out_time_us=N/A", "out_time_ms=N/A", "speed=N/A", "progress=continue"});
  ASSERT_TRUE(progress.has_value());
  EXPECT_EQ(progress->fraction, 0.0);
  EXPECT_EQ(progress->speed, 0.0);
  EXPECT_FALSE(progress->eta_s.has_value());
}

TEST(FfmpegProgress, ReadsOutTimeMsAsMicrosecondsWhenAlone) {
  FfmpegProgressParser parser(4'000'000);
  const auto progress = feed_block(parser, {"out_time_ms=1000000", "progress=continue"});
  ASSERT_TRUE(progress.has_value());
  EXPECT_DOUBLE_EQ(progress->fraction, 0.25);
}

TEST(FfmpegProgress, EndIsComplete) {
  FfmpegProgressParser parser(4'000'000);
  feed_block(parser, {"out_time_us=3900000", "speed=1x", "progress=continue"});
  const auto end = feed_block(parser, {"out_time_us=4010000", "speed=1.1x", "progress=end"});
  ASSERT_TRUE(end.has_value());
  EXPECT_TRUE(end->finished);
  EXPECT_EQ(end->fraction, 1.0);
  EXPECT_EQ(end->eta_s, 0.0);
}

TEST(FfmpegProgress, ClampsAndIgnoresGarbage) {
  FfmpegProgressParser parser(1'000'000);
  EXPECT_FALSE(parser.feed("garbage without equals").has_value());
  EXPECT_FALSE(parser.feed("speed=fast").has_value());
  const auto over = feed_block(parser, {"out_time_us=-5000", "progress=continue"});
  ASSERT_TRUE(over.has_value());
  EXPECT_EQ(over->fraction, 0.0);
  const auto beyond = feed_block(parser, {"out_time_us=2000000", "progress=continue"});
  EXPECT_EQ(beyond->fraction, 1.0);
  EXPECT_FALSE(beyond->finished);
}

TEST(FfmpegProgress, UnknownDurationLeavesFractionAtZero) {
  FfmpegProgressParser parser(0);
  const auto progress =
      feed_block(parser, {"out_time_us=2000000", "speed=1x", "progress=continue"});
  EXPECT_EQ(progress->fraction, 0.0);
  EXPECT_FALSE(progress->eta_s.has_value());
}

}  // namespace
}  // namespace streamsync::server
