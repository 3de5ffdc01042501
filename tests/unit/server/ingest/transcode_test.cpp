#include "ingest/transcode.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cmath>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>

#include "ingest/ingest_command.hpp"
#include "ingest_test_support.hpp"
#include "media/hls_playlist.hpp"
#include "process/stop_signal.hpp"

// The real thing: FFmpeg transcodes each test input (ingest_test_support.hpp) once per
// process with the small ladder, and ffprobe checks what the issue asks of the output.

namespace streamsync::server {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

struct Transcoded {
  std::unique_ptr<testing::TempDir> dir;
  ProbeResult probe;
  TranscodeResult result;
  std::vector<FfmpegProgress> progress;
};

// The input transcoded once per process (nullptr, with a failed test, when that fails).
const Transcoded* transcoded(const std::string& name) {
  static std::mutex mutex;
  static std::map<std::string, Transcoded> done;
  const std::lock_guard lock(mutex);
  if (const auto found = done.find(name); found != done.end()) return &found->second;

  Transcoded run;
  run.dir = std::make_unique<testing::TempDir>();
  const auto probe = probe_media(testing::test_input(name));
  if (!probe) {
    ADD_FAILURE() << name << ": " << probe.error().message;
    return nullptr;
  }
  run.probe = *probe;
  TranscodeOptions options;
  options.encoder = "libx264";
  options.ladder = testing::small_ladder();
  options.timeout = std::chrono::seconds(120);
  options.on_progress = [&run](const FfmpegProgress& progress) {
    run.progress.push_back(progress);
  };
  auto result =
      transcode_video(testing::test_input(name), run.probe, run.dir->path() / "out", options);
  if (!result) {
    ADD_FAILURE() << name << ": " << result.error().message;
    return nullptr;
  }
  run.result = std::move(result).value();
  return &done.emplace(name, std::move(run)).first->second;
}

MediaPlaylist media_playlist(const fs::path& file) {
  auto parsed = parse_media_playlist(testing::read_file(file));
  EXPECT_TRUE(parsed.has_value()) << file;
  return parsed ? parsed.value() : MediaPlaylist{};
}

bool near_any(double value, const std::vector<double>& values, double tolerance) {
  for (const double other : values) {
    if (std::abs(value - other) <= tolerance) return true;
  }
  return false;
}

// Everything the verification section lists, for one transcoded input.
void expect_aligned_ladder(const Transcoded& run) {
  const fs::path out = run.dir->path() / "out";
  const LadderPlan& plan = run.result.plan;
  const double frame_s = 1.0 / plan.frame_rate.value();
  ASSERT_EQ(run.result.renditions.size(), plan.rungs.size());

  // The master lists every rung with correct attributes.
  const auto master = parse_master_playlist(testing::read_file(out / "master.m3u8"));
  ASSERT_TRUE(master.has_value());
  ASSERT_EQ(master->variants.size(), plan.rungs.size());
  EXPECT_FALSE(fs::exists(out / kFfmpegMasterPlaylistFile));

  std::vector<double> first_keyframes;
  std::size_t first_count = 0;
  for (std::size_t i = 0; i < plan.rungs.size(); ++i) {
    const LadderRung& rung = plan.rungs[i];
    const VariantStream& variant = master->variants[i];
    SCOPED_TRACE(rung.name);
    EXPECT_EQ(variant.uri, rung.name + "/index.m3u8");
    EXPECT_GT(variant.bandwidth, 0);
    ASSERT_TRUE(variant.average_bandwidth.has_value());
    EXPECT_LE(*variant.average_bandwidth, variant.bandwidth);
    ASSERT_TRUE(variant.resolution.has_value());
    EXPECT_EQ(variant.resolution->width, rung.width);
    EXPECT_EQ(variant.resolution->height, rung.height);
    ASSERT_TRUE(variant.frame_rate.has_value());
    EXPECT_NEAR(*variant.frame_rate, plan.frame_rate.value(), 0.001);
    EXPECT_EQ(variant.codecs.rfind("avc1.", 0), 0u) << variant.codecs;
    EXPECT_NE(variant.codecs.find("mp4a.40.2"), std::string::npos) << variant.codecs;
    EXPECT_EQ(run.result.renditions[i]["playlist"], variant.uri);
    EXPECT_EQ(run.result.renditions[i]["width"], rung.width);

    // Segments: same count everywhere, none over 2.5 s, the source duration within a frame.
    const fs::path playlist_file = out / variant.uri;
    const MediaPlaylist playlist = media_playlist(playlist_file);
    EXPECT_TRUE(playlist.end_list);
    // MPEG-TS (the default): .ts segments, no init segment; fMP4: .m4s after an EXT-X-MAP.
    const bool fmp4 = plan.segment_format == SegmentFormat::fmp4;
    EXPECT_EQ(playlist.map_uri.has_value(), fmp4);
    if (playlist.map_uri) {
      EXPECT_EQ(*playlist.map_uri, "init_" + std::to_string(i) + ".mp4");
      EXPECT_GT(fs::file_size(playlist_file.parent_path() / *playlist.map_uri), 0u);
    }
    for (const MediaSegment& segment : playlist.segments) {
      EXPECT_TRUE(segment.uri.ends_with(fmp4 ? ".m4s" : ".ts")) << segment.uri;
    }
    if (i == 0) first_count = playlist.segments.size();
    EXPECT_EQ(playlist.segments.size(), first_count);
    std::vector<double> starts;
    double start = 0;
    for (const MediaSegment& segment : playlist.segments) {
      EXPECT_LE(segment.duration_us, 2'500'000) << segment.uri;
      EXPECT_TRUE(fs::file_size(playlist_file.parent_path() / segment.uri) > 0);
      starts.push_back(start);
      start += static_cast<double>(segment.duration_us) / 1e6;
    }
    EXPECT_NEAR(static_cast<double>(playlist.duration_us()) / 1e6,
                static_cast<double>(run.probe.duration_us) / 1e6, frame_s + 0.001);

    // Every segment starts on a key frame, at the same times in every rung, and at its
    // playlist time: the first frame is at media time 0 in both formats (MPEG-TS too: no
    // mux delay or B-frame delay shift, kMpegTsSegmentOptions).
    const std::vector<double> keyframes = testing::keyframe_times(playlist_file);
    ASSERT_FALSE(keyframes.empty());
    EXPECT_NEAR(keyframes.front(), 0.0, 0.0005);
    for (const double segment_start : starts) {
      EXPECT_TRUE(near_any(segment_start, keyframes, 0.002)) << "no key frame at " << segment_start;
    }
    if (i == 0) first_keyframes = keyframes;
    EXPECT_EQ(keyframes.size(), first_keyframes.size());
    for (std::size_t k = 0; k < std::min(keyframes.size(), first_keyframes.size()); ++k) {
      EXPECT_NEAR(keyframes[k], first_keyframes[k], 0.001);
    }

    // H.264 8-bit 4:2:0 at the rung's size, upright, and AAC stereo 48 kHz in every rung.
    const Json probe = testing::ffprobe_json(playlist_file);
    bool video = false;
    bool audio = false;
    for (const Json& stream : probe.value("streams", Json::array())) {
      if (stream.value("codec_type", "") == "video") {
        video = true;
        EXPECT_EQ(stream.value("codec_name", ""), "h264");
        EXPECT_EQ(stream.value("pix_fmt", ""), "yuv420p");
        EXPECT_EQ(stream.value("width", 0), rung.width);
        EXPECT_EQ(stream.value("height", 0), rung.height);
        EXPECT_FALSE(stream.contains("side_data_list")) << stream.dump();
      } else if (stream.value("codec_type", "") == "audio") {
        audio = true;
        EXPECT_EQ(stream.value("codec_name", ""), "aac");
        EXPECT_EQ(stream.value("sample_rate", ""), "48000");
        EXPECT_EQ(stream.value("channels", 0), 2);
      }
    }
    EXPECT_TRUE(video);
    EXPECT_TRUE(audio);
  }

  // Poster, sprite sheet and its track.
  const Json poster = testing::ffprobe_json(out / run.result.poster);
  ASSERT_FALSE(poster["streams"].empty());
  EXPECT_EQ(poster["streams"][0].value("width", 0), plan.poster_width);
  EXPECT_EQ(poster["streams"][0].value("height", 0), plan.poster_height);
  const Json sprite = testing::ffprobe_json(out / run.result.sprite);
  ASSERT_FALSE(sprite["streams"].empty());
  EXPECT_EQ(sprite["streams"][0].value("width", 0), plan.sprite.columns * plan.sprite.tile_width);
  EXPECT_EQ(sprite["streams"][0].value("height", 0), plan.sprite.rows * plan.sprite.tile_height);
  const std::string vtt = testing::read_file(out / run.result.thumbnails_vtt);
  EXPECT_EQ(vtt.rfind("WEBVTT\n", 0), 0u);
  EXPECT_NE(vtt.find("sprite.jpg#xywh=0,0," + std::to_string(plan.sprite.tile_width)),
            std::string::npos);
}

class TranscodeInputTest : public ::testing::TestWithParam<const char*> {};

TEST_P(TranscodeInputTest, ProducesAnAlignedLadder) {
  const Transcoded* run = transcoded(GetParam());
  ASSERT_NE(run, nullptr);
  expect_aligned_ladder(*run);
}

INSTANTIATE_TEST_SUITE_P(Inputs, TranscodeInputTest,
                         ::testing::Values("mp4", "mkv", "mov", "webm", "portrait", "rotated",
                                           "odd", "vfr", "10bit", "60fps", "noaudio"));

TEST(Transcode, Mp4GetsThreeRungsAndReportsProgress) {
  const Transcoded* run = transcoded("mp4");
  ASSERT_NE(run, nullptr);
  ASSERT_EQ(run->result.plan.rungs.size(), 3u);
  EXPECT_EQ(run->result.renditions[0]["name"], "360p");
  EXPECT_EQ(run->result.renditions[2]["height"], 144);
  EXPECT_EQ(run->result.encoder, "libx264");
  EXPECT_EQ(run->result.master_playlist, "master.m3u8");
  EXPECT_NEAR(static_cast<double>(run->result.duration_us), 4e6, 40'000);
  ASSERT_FALSE(run->progress.empty());
  EXPECT_TRUE(run->progress.back().finished);
  EXPECT_EQ(run->progress.back().fraction, 1.0);
  for (std::size_t i = 1; i < run->progress.size(); ++i) {
    EXPECT_GE(run->progress[i].fraction, run->progress[i - 1].fraction);
  }
}

TEST(Transcode, RotatedSourceComesOutUpright) {
  const Transcoded* run = transcoded("rotated");
  ASSERT_NE(run, nullptr);
  const LadderRung& top = run->result.plan.rungs.front();
  EXPECT_EQ(top.width, 180);  // displayed portrait; checked against ffprobe above
  EXPECT_EQ(top.height, 320);
}

TEST(Transcode, VariableFrameRateBecomesConstant) {
  const Transcoded* run = transcoded("vfr");
  ASSERT_NE(run, nullptr);
  const FrameRate rate = run->result.plan.frame_rate;
  EXPECT_NEAR(rate.value(), 20.0, 0.5);
  const auto durations = testing::video_packet_durations(
      run->dir->path() / "out" / run->result.plan.rungs.front().name / "index.m3u8");
  ASSERT_FALSE(durations.empty());
  for (const double duration : durations) EXPECT_NEAR(duration, 1.0 / rate.value(), 0.001);
}

TEST(Transcode, SixtyFpsKeepsItsRate) {
  const Transcoded* run = transcoded("60fps");
  ASSERT_NE(run, nullptr);
  EXPECT_EQ(run->result.plan.frame_rate, (FrameRate{60, 1}));
  EXPECT_EQ(run->result.plan.gop_frames, 120);
}

TEST(Transcode, MpegTsSegmentsByDefault) {
  const Transcoded* run = transcoded("mp4");
  ASSERT_NE(run, nullptr);
  EXPECT_EQ(run->result.plan.segment_format, SegmentFormat::mpegts);
  const MediaPlaylist playlist = media_playlist(run->dir->path() / "out/180p/index.m3u8");
  EXPECT_FALSE(playlist.map_uri.has_value());
  ASSERT_FALSE(playlist.segments.empty());
  EXPECT_EQ(playlist.segments.front().uri, "seg_00000.ts");
  for (const auto& entry : fs::directory_iterator(run->dir->path() / "out/180p")) {
    const std::string file = entry.path().filename().string();
    EXPECT_TRUE(file == "index.m3u8" || file.ends_with(".ts")) << file;  // no init segment
  }
}

TEST(Transcode, Fmp4SegmentsOnRequest) {
  const auto probe = probe_media(testing::test_input("mkv"));
  ASSERT_TRUE(probe.has_value());
  Transcoded run;
  run.dir = std::make_unique<testing::TempDir>();
  run.probe = *probe;
  TranscodeOptions options;
  options.encoder = "libx264";
  options.ladder = testing::small_ladder();
  options.ladder.segment_format = SegmentFormat::fmp4;
  auto result =
      transcode_video(testing::test_input("mkv"), *probe, run.dir->path() / "out", options);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  run.result = std::move(result).value();
  const MediaPlaylist playlist = media_playlist(run.dir->path() / "out/180p/index.m3u8");
  EXPECT_EQ(playlist.map_uri, "init_0.mp4");  // 320x180: 180p is rung 0 (then 144p)
  ASSERT_FALSE(playlist.segments.empty());
  EXPECT_EQ(playlist.segments.front().uri, "seg_00000.m4s");
  expect_aligned_ladder(run);
}

TEST(Transcode, CancelledBeforeItStarts) {
  const auto probe = probe_media(testing::test_input("mp4"));
  ASSERT_TRUE(probe.has_value());
  testing::TempDir dir;
  StopSignal stop;
  stop.request_stop();
  TranscodeOptions options;
  options.encoder = "libx264";
  options.stop = &stop;
  const auto result = transcode_video(testing::test_input("mp4"), *probe, dir.path(), options);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, IngestErrorCode::cancelled);
  EXPECT_EQ(result.error().message, "cancelled");
}

TEST(Transcode, TimeoutFails) {
  const auto probe = probe_media(testing::test_input("mp4"));
  ASSERT_TRUE(probe.has_value());
  testing::TempDir dir;
  TranscodeOptions options;
  options.encoder = "libx264";
  options.timeout = std::chrono::milliseconds(1);
  const auto result = transcode_video(testing::test_input("mp4"), *probe, dir.path(), options);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, IngestErrorCode::transcode_failed);
  EXPECT_EQ(result.error().message.rfind("transcode failed: ffmpeg ", 0), 0u);
  EXPECT_NE(result.error().message.find("timing out"), std::string::npos) << result.error().message;
}

TEST(Transcode, FfmpegErrorsEndUpInTheMessage) {
  const auto probe = probe_media(testing::test_input("mp4"));
  ASSERT_TRUE(probe.has_value());
  testing::TempDir dir;
  // Passes the encoder test (its output is "-f null -"), fails the real run.
  const fs::path script = dir.path() / "ffmpeg";
  std::ofstream(script) << "#!/bin/sh\nfor a; do [ \"$a\" = null ] && exit 0; done\n"
                        << "echo 'first line' >&2\necho 'in.mp4: Invalid data found when "
                           "processing input' >&2\nexit 1\n";
  ::chmod(script.c_str(), 0755);
  TranscodeOptions options;
  options.ffmpeg = script.string();
  options.encoder = "libx264";
  const auto result =
      transcode_video(testing::test_input("mp4"), *probe, dir.path() / "out", options);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, IngestErrorCode::transcode_failed);
  EXPECT_EQ(result.error().message,
            "transcode failed: ffmpeg exited with code 1: first line; in.mp4: Invalid data found "
            "when processing input");
}

TEST(Transcode, UnknownEncoderFails) {
  const auto probe = probe_media(testing::test_input("mp4"));
  ASSERT_TRUE(probe.has_value());
  testing::TempDir dir;
  TranscodeOptions options;
  options.encoder = "h264_nonexistent";
  const auto result = transcode_video(testing::test_input("mp4"), *probe, dir.path(), options);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, IngestErrorCode::transcode_failed);
  EXPECT_EQ(result.error().message.rfind("transcode failed: unknown encoder 'h264_nonexistent'", 0),
            0u);
}

}  // namespace
}  // namespace streamsync::server
