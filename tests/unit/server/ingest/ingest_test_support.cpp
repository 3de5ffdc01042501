#include "ingest_test_support.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>

#include "process/child_process.hpp"

namespace streamsync::server::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kTestSource = "testsrc2=size=%s:rate=%s:duration=4";

// The inputs' directory, removed when the test process exits.
class InputDir {
 public:
  InputDir()
      : path_(fs::temp_directory_path() /
              ("streamsync-ingest-inputs-" + std::to_string(::getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~InputDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string video_source(const std::string& size, const std::string& rate) {
  return "testsrc2=size=" + size + ":rate=" + rate + ":duration=4";
}

std::vector<std::string> ffmpeg(std::vector<std::string> args) {
  args.insert(args.begin(), {"ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y"});
  return args;
}

std::vector<std::string> with_audio(const std::string& video, std::vector<std::string> tail) {
  std::vector<std::string> args = {
      "-f", "lavfi", "-i", video,
      "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=4"};
  args.insert(args.end(), tail.begin(), tail.end());
  return ffmpeg(std::move(args));
}

const std::vector<std::string> kX264 = {"-c:v",      "libx264",  "-preset",
                                        "ultrafast", "-pix_fmt", "yuv420p"};

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// Runs argv; false (with a test failure saying why) unless it exits 0.
bool run_command(const std::vector<std::string>& argv, std::vector<std::string>* lines) {
  ChildProcessOptions options;
  options.argv = argv;
  options.timeout = std::chrono::seconds(60);
  if (lines) options.on_stdout_line = [lines](std::string_view line) { lines->emplace_back(line); };
  const auto result = run_child_process(options);
  if (!result) {
    ADD_FAILURE() << result.error();
    return false;
  }
  if (!result->succeeded()) {
    ADD_FAILURE() << argv.front() << " " << result->describe() << ": " << result->stderr_tail;
    return false;
  }
  return true;
}

void write_bytes(const fs::path& file, const std::string& bytes) {
  std::ofstream out(file, std::ios::binary);
  out << bytes;
}

bool make_input(const std::string& name, const fs::path& dir, fs::path& file) {
  const auto h264_aac = [](std::vector<std::string> extra) {
    return concat(concat(kX264, {"-c:a", "aac", "-b:a", "96k"}), extra);
  };
  std::vector<std::vector<std::string>> commands;
  if (name == "mp4") {
    file = dir / "in.mp4";
    commands.push_back(with_audio(video_source("640x360", "30"), h264_aac({file.string()})));
  } else if (name == "mkv") {
    file = dir / "in.mkv";
    commands.push_back(with_audio(video_source("320x180", "25"), h264_aac({file.string()})));
  } else if (name == "mov") {
    file = dir / "in.mov";
    commands.push_back(
        with_audio(video_source("320x180", "24000/1001"), h264_aac({file.string()})));
  } else if (name == "webm") {
    file = dir / "in.webm";
    commands.push_back(with_audio(video_source("320x180", "30"),
                                  {"-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8",
                                   "-b:v", "300k", "-c:a", "libopus", file.string()}));
  } else if (name == "portrait") {
    file = dir / "portrait.mp4";
    commands.push_back(with_audio(video_source("180x320", "30"), h264_aac({file.string()})));
  } else if (name == "rotated") {
    const fs::path plain = dir / "rotated-plain.mp4";
    file = dir / "rotated.mp4";
    commands.push_back(with_audio(video_source("320x180", "30"), h264_aac({plain.string()})));
    commands.push_back(ffmpeg(
        {"-i", plain.string(), "-c", "copy", "-metadata:s:v:0", "rotate=90", file.string()}));
  } else if (name == "odd") {
    file = dir / "odd.mkv";
    // 4:4:4 so that H.264 can keep odd sizes (lavfi sources round them to even).
    commands.push_back(
        with_audio(video_source("320x180", "30"),
                   {"-vf", "format=yuv444p,scale=321:181,setsar=1", "-c:v", "libx264", "-preset",
                    "ultrafast", "-c:a", "aac", file.string()}));
  } else if (name == "vfr") {
    file = dir / "vfr.mp4";
    // 60 frames at 30 fps, then 60 at 15 fps: 6 s, average 20 fps.
    commands.push_back(
        ffmpeg(concat({"-f", "lavfi", "-i", "testsrc2=size=320x180:rate=30:duration=4", "-f",
                       "lavfi", "-i", "sine=duration=6", "-vf",
                       "setpts='if(lt(N,60),N/30,2+(N-60)/15)/TB'", "-fps_mode:v", "vfr"},
                      concat(kX264, {"-c:a", "aac", file.string()}))));
  } else if (name == "10bit") {
    file = dir / "10bit.mkv";
    commands.push_back(with_audio(video_source("320x180", "30"),
                                  {"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt",
                                   "yuv420p10le", "-c:a", "aac", file.string()}));
  } else if (name == "60fps") {
    file = dir / "60fps.mp4";
    commands.push_back(with_audio(video_source("320x180", "60"), h264_aac({file.string()})));
  } else if (name == "noaudio") {
    file = dir / "noaudio.mp4";
    commands.push_back(ffmpeg(concat({"-f", "lavfi", "-i", video_source("320x180", "30")},
                                     concat(kX264, {file.string()}))));
  } else if (name == "empty") {
    file = dir / "empty.mp4";
    write_bytes(file, "");
  } else if (name == "random") {
    file = dir / "random.mp4";
    std::mt19937 random(20240601);
    std::string bytes(64 * 1024, '\0');
    for (char& byte : bytes) byte = static_cast<char>(random() & 0xff);
    write_bytes(file, bytes);
  } else if (name == "text") {
    file = dir / "notes.mp4";
    std::string text;
    for (int i = 0; i < 200; ++i)
      text += "This is a text file, not a video. Line " + std::to_string(i) + "\n";
    write_bytes(file, text);
  } else if (name == "truncated") {
    file = dir / "truncated.mp4";
    const fs::path whole = dir / "whole.mp4";
    commands.push_back(with_audio(video_source("320x180", "30"), h264_aac({whole.string()})));
  } else if (name == "audio_only") {
    file = dir / "audio_only.m4a";
    commands.push_back(
        ffmpeg({"-f", "lavfi", "-i", "sine=duration=2", "-c:a", "aac", file.string()}));
  } else if (name == "zero_length") {
    file = dir / "zero_length.mp4";
    // Fragmented with an empty moov: the video track is declared but has no samples (a
    // plain MP4 would drop the empty track altogether).
    commands.push_back(
        ffmpeg(concat({"-f", "lavfi", "-i", video_source("320x180", "30"), "-frames:v", "0"},
                      concat(kX264, {"-movflags", "frag_keyframe+empty_moov", file.string()}))));
  } else if (name == "huge") {
    file = dir / "huge.mp4";
    commands.push_back(
        ffmpeg({"-f", "lavfi", "-i", "color=size=8192x8192:rate=25:duration=0.04", "-frames:v", "1",
                "-c:v", "libx264", "-preset", "ultrafast", file.string()}));
  } else {
    ADD_FAILURE() << "unknown test input " << name;
    return false;
  }
  for (const auto& command : commands) {
    if (!run_command(command, nullptr)) return false;
  }
  if (name == "truncated") {  // moov is at the end (no faststart): half the file loses it
    const std::string whole = read_file(dir / "whole.mp4");
    write_bytes(file, whole.substr(0, whole.size() / 2));
  }
  return true;
}

}  // namespace

fs::path test_input(std::string_view name) {
  static InputDir dir;
  static std::mutex mutex;
  static std::map<std::string, fs::path, std::less<>> made;
  const std::lock_guard lock(mutex);
  if (const auto found = made.find(name); found != made.end()) return found->second;
  fs::path file;
  if (!make_input(std::string(name), dir.path(), file)) return {};
  made.emplace(std::string(name), file);
  return file;
}

std::vector<std::string> run_tool(const std::vector<std::string>& argv) {
  std::vector<std::string> lines;
  run_command(argv, &lines);
  return lines;
}

nlohmann::json ffprobe_json(const fs::path& file) {
  std::string text;
  for (const auto& line : run_tool({"ffprobe", "-v", "error", "-show_streams", "-show_format",
                                    "-of", "json", file.string()})) {
    text += line + "\n";
  }
  return nlohmann::json::parse(text, nullptr, false);
}

std::vector<double> keyframe_times(const fs::path& playlist) {
  std::vector<double> times;
  for (const auto& line :
       run_tool({"ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                 "packet=pts_time,flags", "-of", "csv=p=0", playlist.string()})) {
    const auto comma = line.find(',');
    if (comma == std::string::npos || line.find('K', comma) == std::string::npos) continue;
    times.push_back(std::stod(line.substr(0, comma)));
  }
  return times;
}

std::vector<double> video_packet_durations(const fs::path& file) {
  std::vector<double> durations;
  for (const auto& line :
       run_tool({"ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                 "packet=duration_time", "-of", "csv=p=0", file.string()})) {
    if (!line.empty() && line != "N/A") durations.push_back(std::stod(line));
  }
  return durations;
}

LadderOptions small_ladder() {
  LadderOptions options;
  options.rungs = {{"360p", 360, 600}, {"180p", 180, 250}, {"144p", 144, 150}};
  return options;
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace streamsync::server::testing
