#include "demo/demo_video.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "demo/demo_ffmpeg_command.hpp"
#include "process/child_process.hpp"
#include "process/stop_signal.hpp"

// These tests run the real ffmpeg and ffprobe (Debian: ffmpeg, fonts-dejavu-core) on a
// tiny ladder (320x180 and 160x90, 4 s), so the whole file takes about a second or two.

namespace streamsync::server {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr double kFrameSeconds = 1.0 / 30;

DemoVideoSpec tiny_spec(std::int64_t duration_us = 4'000'000) {
  DemoVideoSpec spec;
  spec.id = "tiny";
  spec.title = "Tiny test pattern";
  spec.duration_us = duration_us;
  spec.renditions = {{"180p", 320, 180, 300}, {"90p", 160, 90, 150}};
  spec.poster_width = 160;
  return spec;
}

fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() /
                       ("streamsync-demo-test-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// A program's stdout lines; fails the test when it does not exit 0.
std::vector<std::string> run_tool(std::vector<std::string> argv) {
  std::vector<std::string> lines;
  ChildProcessOptions options;
  options.argv = std::move(argv);
  options.timeout = std::chrono::seconds(60);
  options.on_stdout_line = [&lines](std::string_view line) { lines.emplace_back(line); };
  const auto result = run_child_process(options);
  EXPECT_TRUE(result.has_value()) << (result ? "" : result.error());
  if (result) {
    EXPECT_TRUE(result->succeeded()) << result->describe() << ": " << result->stderr_tail;
  }
  return lines;
}

Json probe_json(const fs::path& file, const std::string& entries, const std::string& streams = "") {
  std::vector<std::string> argv = {"ffprobe", "-v",  "error", "-show_entries",
                                   entries,   "-of", "json",  file.string()};
  if (!streams.empty()) argv.insert(argv.begin() + 3, {"-select_streams", streams});
  std::string text;
  for (const auto& line : run_tool(argv)) {
    text += line + "\n";
  }
  return Json::parse(text);
}

struct Frame {
  bool key = false;
  double pts_s = 0;
};

// Every decoded video frame of a playlist, in order.
std::vector<Frame> probe_frames(const fs::path& playlist) {
  const Json json = probe_json(playlist, "frame=key_frame,pts_time", "v");
  std::vector<Frame> frames;
  for (const auto& frame : json.at("frames")) {
    frames.push_back({frame.at("key_frame").get<int>() == 1,
                      std::stod(frame.at("pts_time").get<std::string>())});
  }
  return frames;
}

std::map<std::string, fs::file_time_type> modification_times(const fs::path& dir) {
  std::map<std::string, fs::file_time_type> times;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    times[entry.path().string()] = fs::last_write_time(entry.path());
  }
  return times;
}

// The frame number the strip of frame `index` of playlist encodes (decoded by sampling
// each block's centre on the strip's middle row).
int decode_frame_strip(const fs::path& playlist, int index, int width, int height,
                       const fs::path& scratch) {
  const int strip = frame_strip_height(180) * height / 180;
  const fs::path raw = scratch / "strip.gray";
  run_tool({"ffmpeg", "-v", "error", "-y", "-i", playlist.string(), "-vf",
            "select=eq(n\\," + std::to_string(index) + "),crop=iw:" + std::to_string(strip) +
                ":0:ih-" + std::to_string(strip) + ",format=gray",
            "-frames:v", "1", "-f", "rawvideo", raw.string()});
  std::ifstream in(raw, std::ios::binary);
  const std::string pixels((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(pixels.size(), static_cast<std::size_t>(width * strip));
  if (pixels.size() != static_cast<std::size_t>(width * strip)) return -1;
  const std::size_t row = static_cast<std::size_t>(strip / 2 * width);
  int value = 0;
  for (int bit = 0; bit < kFrameStripBits; ++bit) {
    const auto x = static_cast<std::size_t>((2 * bit + 1) * width / (2 * kFrameStripBits));
    value = value * 2 + (static_cast<unsigned char>(pixels[row + x]) > 127 ? 1 : 0);
  }
  return value;
}

// One 4 s video made once for the suite (FFmpeg is the slow part).
class DemoVideoTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = fresh_dir("shared");
    DemoVideoOptions options;
    options.on_progress = [](double fraction) { progress_.push_back(fraction); };
    made_.emplace(make_demo_video(tiny_spec(), root_, options));
  }
  static void TearDownTestSuite() { fs::remove_all(root_); }

  void SetUp() override { ASSERT_TRUE(made_->has_value()) << made_->error(); }
  static const DemoVideo& video() { return made_->value(); }
  static fs::path video_dir() { return root_ / "videos" / "tiny"; }

  static inline fs::path root_;
  static inline std::vector<double> progress_;
  static inline std::optional<Expected<DemoVideo, std::string>> made_;
};

TEST_F(DemoVideoTest, ReturnsMetadataWithPathsRelativeToTheMediaRoot) {
  EXPECT_EQ(video().id, "tiny");
  EXPECT_EQ(video().title, "Tiny test pattern");
  EXPECT_EQ(video().duration_us, 4'000'000);
  EXPECT_EQ(video().fps, 30);
  EXPECT_EQ(video().master, "videos/tiny/master.m3u8");
  EXPECT_EQ(video().poster, "videos/tiny/poster.jpg");
  ASSERT_EQ(video().renditions.size(), 2u);
  const Json& top = video().renditions[0];
  EXPECT_EQ(top["name"], "180p");
  EXPECT_EQ(top["width"], 320);
  EXPECT_EQ(top["height"], 180);
  EXPECT_EQ(top["playlist"], "videos/tiny/180p/index.m3u8");
  EXPECT_GT(top["bandwidth"].get<std::int64_t>(),
            video().renditions[1]["bandwidth"].get<std::int64_t>());
  EXPECT_EQ(top["codecs"].get<std::string>().rfind("avc1.", 0), 0u);
  EXPECT_EQ(video().renditions[1]["playlist"], "videos/tiny/90p/index.m3u8");
  for (const auto& path : {video().master, video().poster}) {
    EXPECT_TRUE(fs::exists(root_ / path)) << path;
  }
}

TEST_F(DemoVideoTest, WritesVideoJsonThatReadsBack) {
  std::ifstream in(video_dir() / "video.json");
  const Json json = Json::parse(in);
  const auto read = demo_video_from_json(json);
  ASSERT_TRUE(read.has_value()) << read.error();
  EXPECT_EQ(*read, video());
  EXPECT_EQ(json["spec"], to_json(tiny_spec()));
}

TEST_F(DemoVideoTest, ReportsProgressUpToTheEnd) {
  ASSERT_FALSE(progress_.empty());
  EXPECT_NEAR(progress_.back(), 1.0, 0.05);
  for (const double fraction : progress_) {
    EXPECT_GE(fraction, 0.0);
    EXPECT_LE(fraction, 1.0);
  }
}

TEST_F(DemoVideoTest, BothRungsDecodeWithKeyframesEveryTwoSeconds) {
  for (const char* name : {"180p", "90p"}) {
    const auto frames = probe_frames(video_dir() / name / "index.m3u8");
    ASSERT_EQ(frames.size(), 120u) << name;
    EXPECT_NEAR(frames.front().pts_s, 0.0, 1e-3) << name;
    EXPECT_NEAR(frames.back().pts_s + kFrameSeconds, 4.0, kFrameSeconds) << name;
    std::vector<double> keyframes;
    for (const auto& frame : frames) {
      if (frame.key) keyframes.push_back(frame.pts_s);
    }
    ASSERT_EQ(keyframes.size(), 2u) << name;
    EXPECT_NEAR(keyframes[0], 0.0, 1e-3) << name;
    EXPECT_NEAR(keyframes[1], 2.0, 1e-3) << name;
  }
}

// The rung's playlist, read as text.
std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST_F(DemoVideoTest, RungsAreTwoSecondMpegTsSegmentsWithoutInitFile) {
  for (const char* name : {"180p", "90p"}) {
    const std::string playlist = read_text(video_dir() / name / "index.m3u8");
    EXPECT_EQ(playlist.find("#EXT-X-MAP"), std::string::npos) << name << ":\n" << playlist;
    EXPECT_NE(playlist.find("#EXTINF:2.000000,\nseg_00000.ts\n#EXTINF:2.000000,\nseg_00001.ts\n"
                            "#EXT-X-ENDLIST"),
              std::string::npos)
        << name << ":\n"
        << playlist;
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(video_dir() / name)) {
      files.push_back(entry.path().filename().string());
    }
    std::sort(files.begin(), files.end());
    EXPECT_EQ(files, (std::vector<std::string>{"index.m3u8", "seg_00000.ts", "seg_00001.ts"}))
        << name;
  }
}

TEST_F(DemoVideoTest, FirstFrameIsAtMediaTimeZeroAndSegmentsStartOnTime) {
  for (const char* name : {"180p", "90p"}) {
    // The first packet of the playlist (what a player joining at the start gets) ...
    const auto first = run_tool({"ffprobe", "-v", "error", "-select_streams", "v", "-show_entries",
                                 "packet=pts_time", "-read_intervals", "%+#1", "-of", "csv=p=0",
                                 (video_dir() / name / "index.m3u8").string()});
    ASSERT_FALSE(first.empty()) << name;
    EXPECT_NEAR(std::stod(first.front()), 0.0, 1e-6) << name;
    // ... and of each segment on its own (a seek lands on a segment start): 0 and 2 s.
    const std::pair<const char*, double> starts[] = {{"seg_00000.ts", 0.0}, {"seg_00001.ts", 2.0}};
    for (const auto& [segment, start] : starts) {
      const auto packet =
          run_tool({"ffprobe", "-v", "error", "-select_streams", "v", "-show_entries",
                    "packet=pts_time,flags", "-read_intervals", "%+#1", "-of", "csv=p=0",
                    (video_dir() / name / segment).string()});
      ASSERT_FALSE(packet.empty()) << name << "/" << segment;
      EXPECT_NEAR(std::stod(packet.front()), start, 1e-6) << name << "/" << segment;
      EXPECT_NE(packet.front().find('K'), std::string::npos) << name << "/" << segment;
    }
  }
}

TEST_F(DemoVideoTest, KeyframeSeekLandsOnTheSegmentStart) {
  // What the viewer does: seek inside the VOD playlist. FFmpeg 5.1 cannot seek in fMP4 HLS
  // at all (no frame); in MPEG-TS it lands on the keyframe before the target.
  const auto frame = run_tool({"ffprobe", "-v", "error", "-select_streams", "v:0",
                               "-read_intervals", "3.3%+#1", "-show_entries", "frame=pts_time",
                               "-of", "csv=p=0", (video_dir() / "180p/index.m3u8").string()});
  ASSERT_FALSE(frame.empty());
  EXPECT_NEAR(std::stod(frame.front()), 2.0, 1e-6);
}

TEST_F(DemoVideoTest, RungsHaveTheirSizeAndAacAudio) {
  for (const auto& rendition : video().renditions) {
    const fs::path playlist = root_ / rendition["playlist"].get<std::string>();
    const Json json = probe_json(
        playlist, "stream=codec_type,codec_name,width,height,sample_rate,channels:format=duration");
    EXPECT_NEAR(std::stod(json["format"]["duration"].get<std::string>()), 4.0, kFrameSeconds);
    int videos = 0;
    int audios = 0;
    for (const auto& stream : json["streams"]) {
      if (stream["codec_type"] == "video") {
        ++videos;
        EXPECT_EQ(stream["codec_name"], "h264");
        EXPECT_EQ(stream["width"], rendition["width"]);
        EXPECT_EQ(stream["height"], rendition["height"]);
      } else if (stream["codec_type"] == "audio") {
        ++audios;
        EXPECT_EQ(stream["codec_name"], "aac");
        EXPECT_EQ(stream["sample_rate"], "48000");
        EXPECT_EQ(stream["channels"], 2);
      }
    }
    EXPECT_EQ(videos, 1);
    EXPECT_EQ(audios, 1);
    // A full decode of both streams reports no error.
    ChildProcessOptions options;
    options.argv = {"ffmpeg", "-v", "error", "-i", playlist.string(), "-f", "null", "-"};
    const auto decoded = run_child_process(options);
    ASSERT_TRUE(decoded.has_value());
    EXPECT_TRUE(decoded->succeeded());
    EXPECT_EQ(decoded->stderr_tail, "");
  }
}

TEST_F(DemoVideoTest, PosterIsAJpegOfThePosterWidth) {
  const Json json = probe_json(video_dir() / "poster.jpg", "stream=codec_name,width,height");
  ASSERT_EQ(json["streams"].size(), 1u);
  EXPECT_EQ(json["streams"][0]["codec_name"], "mjpeg");
  EXPECT_EQ(json["streams"][0]["width"], 160);
  EXPECT_EQ(json["streams"][0]["height"], 90);
}

TEST_F(DemoVideoTest, FrameStripEncodesTheFrameNumberInEveryRung) {
  const fs::path scratch = fresh_dir("strip");
  for (const int index : {0, 1, 77, 119}) {
    EXPECT_EQ(decode_frame_strip(video_dir() / "180p/index.m3u8", index, 320, 180, scratch), index);
    EXPECT_EQ(decode_frame_strip(video_dir() / "90p/index.m3u8", index, 160, 90, scratch), index);
  }
  fs::remove_all(scratch);
}

TEST_F(DemoVideoTest, SecondCallReusesTheVideoWithoutFfmpeg) {
  const auto before = modification_times(video_dir());
  DemoVideoOptions options;
  options.ffmpeg = "streamsync-no-such-ffmpeg";  // any FFmpeg run would fail
  const auto again = make_demo_video(tiny_spec(), root_, options);
  ASSERT_TRUE(again.has_value()) << again.error();
  EXPECT_EQ(*again, video());
  EXPECT_EQ(modification_times(video_dir()), before);
}

TEST_F(DemoVideoTest, LeftoverTempDirsOfTheIdAreRemoved) {
  const fs::path videos = root_ / "videos";
  for (const char* name : {".tmp-tiny-0123abcd", ".tmp-tiny-x-0123abcd", ".tmp-other-0123abcd"}) {
    fs::create_directories(videos / name);
    std::ofstream(videos / name / "half.ts") << "x";
  }
  DemoVideoOptions options;
  options.ffmpeg = "streamsync-no-such-ffmpeg";
  ASSERT_TRUE(make_demo_video(tiny_spec(), root_, options).has_value());
  EXPECT_FALSE(fs::exists(videos / ".tmp-tiny-0123abcd"));
  EXPECT_TRUE(fs::exists(videos / ".tmp-tiny-x-0123abcd")) << "another id's";
  EXPECT_TRUE(fs::exists(videos / ".tmp-other-0123abcd")) << "another id's";
  fs::remove_all(videos / ".tmp-tiny-x-0123abcd");
  fs::remove_all(videos / ".tmp-other-0123abcd");
}

// The entries of root/videos, to show that nothing was left behind.
std::vector<std::string> video_entries(const fs::path& root) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(root / "videos")) {
    names.push_back(entry.path().filename().string());
  }
  return names;
}

TEST(DemoVideo, InvalidPatternFailsWithFfmpegsMessage) {
  const fs::path root = fresh_dir("bad-pattern");
  DemoVideoSpec spec = tiny_spec(2'000'000);
  spec.pattern = "nosuchpattern";
  const auto made = make_demo_video(spec, root);
  ASSERT_FALSE(made.has_value());
  EXPECT_NE(made.error().find("FFmpeg exited with code"), std::string::npos) << made.error();
  EXPECT_NE(made.error().find("No such filter: 'nosuchpattern'"), std::string::npos)
      << made.error();
  EXPECT_EQ(video_entries(root), std::vector<std::string>{});
  fs::remove_all(root);
}

TEST(DemoVideo, MissingFfmpegIsAClearError) {
  const fs::path root = fresh_dir("no-ffmpeg");
  DemoVideoOptions options;
  options.ffmpeg = "streamsync-no-such-ffmpeg";
  const auto made = make_demo_video(tiny_spec(2'000'000), root, options);
  ASSERT_FALSE(made.has_value());
  EXPECT_EQ(made.error(), "cannot run 'streamsync-no-such-ffmpeg': No such file or directory");
  EXPECT_EQ(video_entries(root), std::vector<std::string>{});
  fs::remove_all(root);
}

TEST(DemoVideo, InvalidSpecIsRejectedBeforeFfmpeg) {
  DemoVideoSpec spec = tiny_spec();
  spec.id = "../escape";
  const auto made = make_demo_video(spec, fresh_dir("bad-spec"));
  ASSERT_FALSE(made.has_value());
  EXPECT_EQ(made.error().rfind("invalid demo video spec: id must be", 0), 0u) << made.error();
  fs::remove_all(fresh_dir("bad-spec"));
}

TEST(DemoVideo, StopRequestFailsAndLeavesNothing) {
  const fs::path root = fresh_dir("stopped");
  StopSignal stop;
  stop.request_stop();
  DemoVideoOptions options;
  options.stop = &stop;
  const auto made = make_demo_video(tiny_spec(2'000'000), root, options);
  ASSERT_FALSE(made.has_value());
  EXPECT_NE(made.error().find("stop request"), std::string::npos) << made.error();
  EXPECT_EQ(video_entries(root), std::vector<std::string>{});
  fs::remove_all(root);
}

TEST(DemoVideo, ChangedSpecIsMadeAgainInPlace) {
  const fs::path root = fresh_dir("changed");
  DemoVideoSpec spec = tiny_spec(2'000'000);
  ASSERT_TRUE(make_demo_video(spec, root).has_value());
  spec.tone_hz = 880;
  spec.title = "Retitled";
  const auto made = make_demo_video(spec, root);
  ASSERT_TRUE(made.has_value()) << made.error();
  EXPECT_EQ(made->title, "Retitled");
  std::ifstream in(root / "videos/tiny/video.json");
  EXPECT_EQ(Json::parse(in)["spec"]["tone_hz"], 880);
  EXPECT_EQ(video_entries(root), std::vector<std::string>{"tiny"});
  fs::remove_all(root);
}

TEST(DemoVideo, MissingFontFallsBackToTheDefaultFont) {
  const fs::path root = fresh_dir("no-font");
  DemoVideoOptions options;
  options.font_file = "/nonexistent/streamsync-font.ttf";
  const auto made = make_demo_video(tiny_spec(2'000'000), root, options);
  EXPECT_TRUE(made.has_value()) << made.error();
  fs::remove_all(root);
}

TEST(DemoVideo, DamagedMetadataIsMadeAgain) {
  const fs::path root = fresh_dir("damaged");
  ASSERT_TRUE(make_demo_video(tiny_spec(2'000'000), root).has_value());
  std::ofstream(root / "videos/tiny/video.json") << R"({"version": "one", "spec": 1})";
  const auto made = make_demo_video(tiny_spec(2'000'000), root);
  ASSERT_TRUE(made.has_value()) << made.error();
  std::ifstream in(root / "videos/tiny/video.json");
  EXPECT_EQ(Json::parse(in)["version"], 2);
  fs::remove_all(root);
}

TEST(DemoVideo, OlderVersionIsMadeAgain) {
  // Version 1 was fMP4 (init_<i>.mp4, seg_<n>.m4s), which the viewer cannot seek in: a
  // complete version 1 video with an equal spec is made again as MPEG-TS.
  const fs::path root = fresh_dir("old-version");
  const DemoVideoSpec spec = tiny_spec(2'000'000);
  ASSERT_TRUE(make_demo_video(spec, root).has_value());
  const fs::path json_file = root / "videos/tiny/video.json";
  Json json = Json::parse(std::ifstream(json_file));
  ASSERT_EQ(json["version"], 2);
  json["version"] = 1;
  std::ofstream(json_file, std::ios::trunc) << json.dump(2);
  std::ofstream(root / "videos/tiny/180p/stale.m4s") << "fMP4";

  DemoVideoOptions options;
  options.ffmpeg = "streamsync-no-such-ffmpeg";  // not reused: must run FFmpeg
  EXPECT_FALSE(make_demo_video(spec, root, options).has_value());
  const auto made = make_demo_video(spec, root);
  ASSERT_TRUE(made.has_value()) << made.error();
  EXPECT_EQ(Json::parse(std::ifstream(json_file))["version"], 2);
  EXPECT_FALSE(fs::exists(root / "videos/tiny/180p/stale.m4s"));
  EXPECT_TRUE(fs::exists(root / "videos/tiny/180p/seg_00000.ts"));
  EXPECT_EQ(video_entries(root), std::vector<std::string>{"tiny"});
  fs::remove_all(root);
}

TEST(DemoVideo, IncompleteVideoDirectoryIsReplaced) {
  const fs::path root = fresh_dir("incomplete");
  fs::create_directories(root / "videos/tiny/180p");  // no video.json: not finished
  std::ofstream(root / "videos/tiny/master.m3u8") << "#EXTM3U\n";
  const auto made = make_demo_video(tiny_spec(2'000'000), root);
  ASSERT_TRUE(made.has_value()) << made.error();
  EXPECT_TRUE(fs::exists(root / "videos/tiny/video.json"));
  EXPECT_EQ(video_entries(root), std::vector<std::string>{"tiny"});
  fs::remove_all(root);
}

}  // namespace
}  // namespace streamsync::server
