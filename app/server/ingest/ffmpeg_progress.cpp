#include "ingest/ffmpeg_progress.hpp"

#include <algorithm>
#include <charconv>
#include <string>

namespace streamsync::server {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
  std::int64_t value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec != std::errc() || result.ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

// "1.23x" or "1.23"; "N/A" and garbage: nullopt. (std::from_chars for double is missing
// from older libstdc++/libc++, hence stod on a bounded copy.)
std::optional<double> parse_speed(std::string_view text) {
  if (!text.empty() && text.back() == 'x') text.remove_suffix(1);
  if (text.empty() || text.size() > 32) return std::nullopt;
  const std::string copy(text);
  try {
    std::size_t used = 0;
    const double value = std::stod(copy, &used);
    if (used != copy.size() || !(value >= 0.0)) return std::nullopt;
    return value;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

std::optional<FfmpegProgress> FfmpegProgressParser::feed(std::string_view line) {
  const auto equals = line.find('=');
  if (equals == std::string_view::npos) return std::nullopt;
  const std::string_view key = trim(line.substr(0, equals));
  const std::string_view value = trim(line.substr(equals + 1));

  if (key == "out_time_us" || (key == "out_time_ms" && !saw_out_time_us_)) {
    if (key == "out_time_us") saw_out_time_us_ = true;
    if (const auto us = parse_integer(value))
      progress_.out_time_us = std::max<std::int64_t>(0, *us);
    return std::nullopt;
  }
  if (key == "speed") {
    if (const auto speed = parse_speed(value)) progress_.speed = *speed;
    return std::nullopt;
  }
  if (key != "progress") return std::nullopt;

  saw_out_time_us_ = false;
  progress_.finished = value == "end";
  if (duration_us_ > 0) {
    progress_.fraction = std::clamp(
        static_cast<double>(progress_.out_time_us) / static_cast<double>(duration_us_), 0.0, 1.0);
  }
  if (progress_.finished) progress_.fraction = 1.0;
  progress_.eta_s.reset();
  if (progress_.finished) {
    progress_.eta_s = 0.0;
  } else if (progress_.speed > 0.0 && duration_us_ > 0) {
    const double left_s =
        static_cast<double>(std::max<std::int64_t>(0, duration_us_ - progress_.out_time_us)) / 1e6;
    progress_.eta_s = left_s / progress_.speed;
  }
  return progress_;
}

}  // namespace streamsync::server
