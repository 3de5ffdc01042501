#include "demo/demo_video_spec.hpp"

#include <algorithm>
#include <cstddef>

namespace streamsync::server {
namespace {

constexpr std::int64_t kMicrosPerSecond = 1'000'000;
// Longer demo videos are a unit mistake (ms for us), not a plan: an hour is plenty.
constexpr std::int64_t kMaxDurationUs = 3600 * kMicrosPerSecond;
constexpr std::size_t kMaxIdChars = 64;
constexpr int kMaxSidePx = 7680;

bool is_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool is_pattern_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

bool is_even_size(int px) {
  return px >= 2 && px <= kMaxSidePx && px % 2 == 0;
}

std::optional<std::string> validate_rendition(const DemoRenditionSpec& rendition,
                                              const std::string& field) {
  if (rendition.name.empty() ||
      !std::all_of(rendition.name.begin(), rendition.name.end(), is_id_char)) {
    return field + ".name must be 1 or more of [a-z0-9_-], got '" + rendition.name + "'";
  }
  if (!is_even_size(rendition.width) || !is_even_size(rendition.height)) {
    return field + " size must be even and in 2..7680 px, got " + std::to_string(rendition.width) +
           "x" + std::to_string(rendition.height);
  }
  if (rendition.video_kbps < 10 || rendition.video_kbps > 100'000) {
    return field + ".video_kbps must be in 10..100000, got " + std::to_string(rendition.video_kbps);
  }
  return std::nullopt;
}

}  // namespace

std::vector<DemoRenditionSpec> default_demo_renditions() {
  return {{"720p", 1280, 720, 2500}, {"360p", 640, 360, 800}};
}

std::optional<std::string> validate_demo_video_spec(const DemoVideoSpec& spec) {
  if (spec.id.empty() || spec.id.size() > kMaxIdChars ||
      !std::all_of(spec.id.begin(), spec.id.end(), is_id_char)) {
    return "id must be 1 to 64 of [a-z0-9_-], got '" + spec.id + "'";
  }
  if (spec.fps < 1 || spec.fps > 120) {
    return "fps must be in 1..120, got " + std::to_string(spec.fps);
  }
  if (spec.duration_us <= 0 || spec.duration_us > kMaxDurationUs) {
    return "duration_us must be in 1..3600000000, got " + std::to_string(spec.duration_us);
  }
  // Whole frames only: the schedule plays exactly duration_us, and the last frame must not
  // be cut or padded by FFmpeg's rounding.
  if ((spec.duration_us * spec.fps) % kMicrosPerSecond != 0) {
    return "duration_us must be a whole number of frames at " + std::to_string(spec.fps) +
           " fps, got " + std::to_string(spec.duration_us);
  }
  if (spec.pattern.empty() ||
      !std::all_of(spec.pattern.begin(), spec.pattern.end(), is_pattern_char)) {
    return "pattern must be an FFmpeg source name of [a-z0-9_], got '" + spec.pattern + "'";
  }
  if (spec.tone_hz < 20 || spec.tone_hz > 20'000) {
    return "tone_hz must be in 20..20000, got " + std::to_string(spec.tone_hz);
  }
  if (spec.renditions.empty()) return std::string("renditions must not be empty");
  for (std::size_t i = 0; i < spec.renditions.size(); ++i) {
    const auto field = "renditions[" + std::to_string(i) + "]";
    if (auto error = validate_rendition(spec.renditions[i], field)) return error;
    for (std::size_t j = 0; j < i; ++j) {
      if (spec.renditions[j].name == spec.renditions[i].name) {
        return field + ".name '" + spec.renditions[i].name + "' is used twice";
      }
    }
  }
  if (spec.poster_width < 16 || spec.poster_width > kMaxSidePx || spec.poster_width % 2 != 0) {
    return "poster_width must be even and in 16..7680, got " + std::to_string(spec.poster_width);
  }
  if (spec.audio_kbps < 16 || spec.audio_kbps > 512) {
    return "audio_kbps must be in 16..512, got " + std::to_string(spec.audio_kbps);
  }
  return std::nullopt;
}

std::int64_t demo_frame_count(const DemoVideoSpec& spec) {
  return spec.duration_us * spec.fps / kMicrosPerSecond;
}

nlohmann::json to_json(const DemoVideoSpec& spec) {
  auto renditions = nlohmann::json::array();
  for (const auto& rendition : spec.renditions) {
    renditions.push_back({{"name", rendition.name},
                          {"width", rendition.width},
                          {"height", rendition.height},
                          {"video_kbps", rendition.video_kbps}});
  }
  return {{"id", spec.id},
          {"title", spec.title},
          {"duration_us", spec.duration_us},
          {"fps", spec.fps},
          {"pattern", spec.pattern},
          {"tone_hz", spec.tone_hz},
          {"renditions", renditions},
          {"poster_width", spec.poster_width},
          {"audio_kbps", spec.audio_kbps}};
}

}  // namespace streamsync::server
