#include "demo/demo_video.hpp"

#include <charconv>
#include <cstdint>
#include <fstream>
#include <random>
#include <string_view>
#include <system_error>
#include <utility>

#include "demo/demo_ffmpeg_command.hpp"
#include "demo/hls_check.hpp"
#include "process/child_process.hpp"

namespace streamsync::server {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr const char* kMetadataFile = "video.json";
constexpr const char* kPosterFile = "poster.jpg";
constexpr const char* kMasterFile = "master.m3u8";
// 2: MPEG-TS segments (1 was fMP4, which the viewer's FFmpeg cannot seek in): a video made
// by an older version is made again.
constexpr int kMetadataVersion = 2;
constexpr std::size_t kTempSuffixChars = 8;

std::string temp_prefix(const std::string& id) {
  return ".tmp-" + id + "-";
}

std::string random_suffix() {
  std::random_device device;
  const auto value = std::uniform_int_distribution<std::uint32_t>()(device);
  char text[kTempSuffixChars + 1] = {};
  const auto result = std::to_chars(text, text + kTempSuffixChars, value, 16);
  const std::string hex(text, result.ptr);
  return std::string(kTempSuffixChars - hex.size(), '0') + hex;
}

bool is_hex(std::string_view text) {
  return text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

// Removes .tmp-<id>-<8 hex> directories: a crashed run's leftovers. The exact shape keeps
// other ids' (".tmp-<id>-b-...") and other writers' temp directories alone.
void remove_stale_temp_dirs(const fs::path& videos_dir, const std::string& id) {
  const std::string prefix = temp_prefix(id);
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(videos_dir, error)) {
    const std::string name = entry.path().filename().string();
    if (name.size() == prefix.size() + kTempSuffixChars && name.rfind(prefix, 0) == 0 &&
        is_hex(std::string_view(name).substr(prefix.size()))) {
      std::error_code ignored;
      fs::remove_all(entry.path(), ignored);
    }
  }
}

std::string relative_to_root(const std::string& id, const std::string& inside_video) {
  return "videos/" + id + "/" + inside_video;
}

// The DemoVideo in a complete directory made from spec, or nullopt when it must be made.
std::optional<DemoVideo> reusable_video(const fs::path& dir, const DemoVideoSpec& spec) {
  std::ifstream in(dir / kMetadataFile);
  if (!in) return std::nullopt;
  const Json json = Json::parse(in, nullptr, /*allow_exceptions=*/false);
  // A different version or spec, or a damaged file: make it again.
  if (!json.is_object() || !json.contains("version") || json["version"] != kMetadataVersion ||
      !json.contains("spec") || json["spec"] != to_json(spec)) {
    return std::nullopt;
  }
  auto video = demo_video_from_json(json);
  if (!video || !check_hls_vod(dir / kMasterFile)) return std::nullopt;
  return std::move(video).value();
}

Expected<ChildResult, std::string> run_ffmpeg(const DemoVideoSpec& spec, const fs::path& dir,
                                              const DemoVideoOptions& options) {
  std::error_code error;
  const bool have_font = !options.font_file.empty() && fs::exists(options.font_file, error);
  ChildProcessOptions child;
  child.argv = demo_ffmpeg_args(spec, options.ffmpeg, have_font ? options.font_file : fs::path());
  child.working_directory = dir;
  child.timeout = options.timeout;
  child.stop = options.stop;
  if (options.on_progress) {
    const double total_us = static_cast<double>(spec.duration_us);
    child.on_stdout_line = [&options, total_us](std::string_view line) {
      constexpr std::string_view kKey = "out_time_us=";
      if (line.rfind(kKey, 0) != 0) return;
      std::int64_t us = 0;
      line.remove_prefix(kKey.size());
      if (std::from_chars(line.data(), line.data() + line.size(), us).ec != std::errc()) return;
      const double fraction = static_cast<double>(us) / total_us;
      options.on_progress(fraction < 0 ? 0 : fraction > 1 ? 1 : fraction);
    };
  }
  return run_child_process(child);
}

// The metadata of FFmpeg's checked output in dir, or what is wrong with it.
Expected<DemoVideo, std::string> describe_output(const DemoVideoSpec& spec, const fs::path& dir) {
  const auto variants = check_hls_vod(dir / kMasterFile);
  if (!variants) return Unexpected{"FFmpeg's output is incomplete: " + variants.error()};
  if (variants->size() != spec.renditions.size()) {
    return Unexpected{"FFmpeg's master playlist lists " + std::to_string(variants->size()) +
                      " variants, expected " + std::to_string(spec.renditions.size())};
  }
  std::error_code error;
  if (!fs::is_regular_file(dir / kPosterFile, error) ||
      fs::file_size(dir / kPosterFile, error) == 0) {
    return Unexpected{std::string("FFmpeg wrote no poster")};
  }
  DemoVideo video{spec.id,
                  spec.title,
                  spec.duration_us,
                  spec.fps,
                  Json::array(),
                  relative_to_root(spec.id, kPosterFile),
                  relative_to_root(spec.id, kMasterFile)};
  // hlsenc lists variants in -var_stream_map order, i.e. spec order.
  for (std::size_t i = 0; i < variants->size(); ++i) {
    const HlsVariant& variant = (*variants)[i];
    video.renditions.push_back({{"name", spec.renditions[i].name},
                                {"width", variant.width},
                                {"height", variant.height},
                                {"bandwidth", variant.bandwidth},
                                {"codecs", variant.codecs},
                                {"playlist", relative_to_root(spec.id, variant.playlist)}});
  }
  return video;
}

std::optional<std::string> write_metadata(const DemoVideo& video, const DemoVideoSpec& spec,
                                          const fs::path& dir) {
  Json json = to_json(video);
  json["version"] = kMetadataVersion;
  json["spec"] = to_json(spec);
  std::ofstream out(dir / kMetadataFile, std::ios::binary | std::ios::trunc);
  out << json.dump(2) << '\n';
  out.close();
  if (!out) return "cannot write " + (dir / kMetadataFile).string();
  return std::nullopt;
}

// Moves the finished temp dir to final_dir, first moving aside (then deleting) a stale
// final_dir. Rename is atomic, so readers see the old directory, nothing, or the new one.
std::optional<std::string> move_into_place(const fs::path& temp_dir, const fs::path& final_dir,
                                           const std::string& id) {
  std::error_code error;
  if (fs::exists(final_dir, error)) {
    const fs::path old_dir = final_dir.parent_path() / (temp_prefix(id) + random_suffix());
    fs::rename(final_dir, old_dir, error);
    if (error) return "cannot move the old " + final_dir.string() + " aside: " + error.message();
    fs::remove_all(old_dir, error);
  }
  fs::rename(temp_dir, final_dir, error);
  if (error) {
    return "cannot rename " + temp_dir.string() + " to " + final_dir.string() + ": " +
           error.message();
  }
  return std::nullopt;
}

// Removes the temp dir on every early return.
class TempDirGuard {
 public:
  explicit TempDirGuard(fs::path dir) : dir_(std::move(dir)) {}
  ~TempDirGuard() {
    if (dir_.empty()) return;
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  TempDirGuard(const TempDirGuard&) = delete;
  TempDirGuard& operator=(const TempDirGuard&) = delete;
  void release() { dir_.clear(); }

 private:
  fs::path dir_;
};

}  // namespace

Json to_json(const DemoVideo& video) {
  return {
      {"id", video.id},        {"title", video.title},           {"duration_us", video.duration_us},
      {"fps", video.fps},      {"renditions", video.renditions}, {"poster", video.poster},
      {"master", video.master}};
}

Expected<DemoVideo, std::string> demo_video_from_json(const Json& json) {
  if (!json.is_object()) return Unexpected{std::string("video metadata is not a JSON object")};
  const auto field = [&json](const char* name, Json::value_t type) {
    const auto found = json.find(name);
    return found != json.end() &&
           (found->type() == type ||
            (type == Json::value_t::number_integer && found->is_number_unsigned()));
  };
  for (const char* name : {"id", "title", "poster", "master"}) {
    if (!field(name, Json::value_t::string)) {
      return Unexpected{std::string("video metadata needs string ") + name};
    }
  }
  for (const char* name : {"duration_us", "fps"}) {
    if (!field(name, Json::value_t::number_integer)) {
      return Unexpected{std::string("video metadata needs integer ") + name};
    }
  }
  if (!field("renditions", Json::value_t::array)) {
    return Unexpected{std::string("video metadata needs array renditions")};
  }
  return DemoVideo{json["id"].get<std::string>(),
                   json["title"].get<std::string>(),
                   json["duration_us"].get<std::int64_t>(),
                   json["fps"].get<int>(),
                   json["renditions"],
                   json["poster"].get<std::string>(),
                   json["master"].get<std::string>()};
}

Expected<DemoVideo, std::string> make_demo_video(const DemoVideoSpec& spec,
                                                 const fs::path& media_root,
                                                 const DemoVideoOptions& options) {
  if (auto invalid = validate_demo_video_spec(spec)) {
    return Unexpected{"invalid demo video spec: " + *invalid};
  }
  const fs::path videos_dir = media_root / "videos";
  const fs::path final_dir = videos_dir / spec.id;
  std::error_code error;
  fs::create_directories(videos_dir, error);
  if (error) return Unexpected{"cannot create " + videos_dir.string() + ": " + error.message()};

  remove_stale_temp_dirs(videos_dir, spec.id);
  if (auto existing = reusable_video(final_dir, spec)) return *std::move(existing);

  const fs::path temp_dir = videos_dir / (temp_prefix(spec.id) + random_suffix());
  fs::create_directory(temp_dir, error);
  if (error) return Unexpected{"cannot create " + temp_dir.string() + ": " + error.message()};
  TempDirGuard guard(temp_dir);

  const auto run = run_ffmpeg(spec, temp_dir, options);
  if (!run) return Unexpected{run.error()};
  if (!run->succeeded()) {
    std::string tail = run->stderr_tail;
    while (!tail.empty() && (tail.back() == '\n' || tail.back() == '\r')) tail.pop_back();
    return Unexpected{"FFmpeg " + run->describe() + " making demo video '" + spec.id +
                      "': " + (tail.empty() ? std::string("(no message)") : tail)};
  }
  auto video = describe_output(spec, temp_dir);
  if (!video) return video;
  if (auto failed = write_metadata(*video, spec, temp_dir)) return Unexpected{*failed};
  if (auto failed = move_into_place(temp_dir, final_dir, spec.id)) return Unexpected{*failed};
  guard.release();
  return video;
}

}  // namespace streamsync::server
