#include "timeline/schedule.hpp"

#include <cstddef>
#include <limits>
#include <string>

namespace streamsync {
namespace {

std::string item_field(std::size_t index, const char* name) {
  return "items[" + std::to_string(index) + "]." + name;
}

std::optional<ScheduleError> validate_time(const char* field, std::int64_t time_us) {
  if (time_us >= kMinScheduleTimeUs && time_us <= kMaxScheduleTimeUs) return std::nullopt;
  return ScheduleError{field,
                       "must be a server time in [" + std::to_string(kMinScheduleTimeUs) + ", " +
                           std::to_string(kMaxScheduleTimeUs) +
                           "] (microseconds since the Unix epoch, years 1970 to 2500), got " +
                           std::to_string(time_us)};
}

std::optional<ScheduleError> validate_item(const ScheduleItem& item, std::size_t index) {
  if (item.video_id.empty()) {
    return ScheduleError{item_field(index, "video_id"), "must not be empty"};
  }
  if (item.in_point_us < 0) {
    return ScheduleError{item_field(index, "in_point_us"),
                         "must be >= 0, got " + std::to_string(item.in_point_us)};
  }
  if (item.duration_us <= 0) {
    return ScheduleError{item_field(index, "duration_us"),
                         "must be > 0, got " + std::to_string(item.duration_us)};
  }
  // The timeline reports media positions up to in_point_us + duration_us.
  if (item.in_point_us > std::numeric_limits<std::int64_t>::max() - item.duration_us) {
    return ScheduleError{item_field(index, "in_point_us"),
                         "in_point_us + duration_us must fit in int64 (at most " +
                             std::to_string(std::numeric_limits<std::int64_t>::max()) + "), got " +
                             std::to_string(item.in_point_us) + " + " +
                             std::to_string(item.duration_us)};
  }
  return std::nullopt;
}

}  // namespace

std::optional<ScheduleError> validate(const Schedule& schedule) {
  if (schedule.channel_id.empty()) return ScheduleError{"channel_id", "must not be empty"};
  if (schedule.revision < 0) {
    return ScheduleError{"revision", "must be >= 0, got " + std::to_string(schedule.revision)};
  }
  if (auto error = validate_time("effective_at_us", schedule.effective_at_us)) return error;
  if (auto error = validate_time("start_at_us", schedule.start_at_us)) return error;
  if (schedule.items.empty()) {
    return ScheduleError{"items",
                         "must hold at least one item: an empty playlist cannot be played, "
                         "looping or not"};
  }
  std::int64_t total_us = 0;
  for (std::size_t i = 0; i < schedule.items.size(); ++i) {
    const ScheduleItem& item = schedule.items[i];
    if (auto error = validate_item(item, i)) return error;
    // Compared against the remaining room so that the sum itself never overflows.
    if (item.duration_us > kMaxPlaylistDurationUs - total_us) {
      return ScheduleError{
          "items", "total duration must be at most " + std::to_string(kMaxPlaylistDurationUs) +
                       " us (100 years); it is exceeded at " + item_field(i, "duration_us")};
    }
    total_us += item.duration_us;
  }
  return std::nullopt;
}

}  // namespace streamsync
