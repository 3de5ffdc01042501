#pragma once

// Schedule: what a channel plays and when, as published by the server (DESIGN.md §3).
// A plain value type; validate() says whether the timeline can play it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace streamsync {

// The span of server time (UTC microseconds since the Unix epoch) a schedule may be
// anchored in: 1970-01-01T00:00:00Z to 2500-01-01T00:00:00Z, both inclusive. Anything
// outside is a unit mistake (seconds, milliseconds, nanoseconds) rather than a plan.
inline constexpr std::int64_t kMinScheduleTimeUs = 0;
inline constexpr std::int64_t kMaxScheduleTimeUs = 16'725'225'600'000'000;

// The longest playlist, summed over its items: 100 years of 365.25 days. Together with
// kMaxScheduleTimeUs this keeps start_at_us + total duration far from int64 overflow.
inline constexpr std::int64_t kMaxPlaylistDurationUs = 3'155'760'000'000'000;

// One entry of the playlist: play video_id from media time in_point_us for duration_us.
struct ScheduleItem {
  std::string video_id;
  std::int64_t in_point_us = 0;  // media time of the item's first frame
  std::int64_t duration_us = 0;  // how long the item is on air

  friend bool operator==(const ScheduleItem&, const ScheduleItem&) = default;
};

// One revision of a channel's schedule. Items play back to back from start_at_us
// (server time); with loop they repeat forever, otherwise the channel ends after the
// last item. The revision replaces older ones from effective_at_us on (server time).
struct Schedule {
  std::string channel_id;
  std::int64_t revision = 0;         // increases with every change to the channel
  std::int64_t effective_at_us = 0;  // server time from which this revision applies
  std::int64_t start_at_us = 0;      // server time at which items[0] starts
  bool loop = false;
  std::vector<ScheduleItem> items;

  friend bool operator==(const Schedule&, const Schedule&) = default;
};

// Why a schedule was refused. field is the path of the offending value, as it is
// spelled in the JSON form ("revision", "items[2].duration_us"); it is empty when the
// fault lies with the whole document (e.g. malformed JSON). message says what is wrong
// and what is allowed, for logs and for the operator.
struct ScheduleError {
  std::string field;
  std::string message;

  friend bool operator==(const ScheduleError&, const ScheduleError&) = default;
};

// The first rule the schedule breaks, or nullopt when it is playable:
// - channel_id and every video_id are non-empty;
// - revision >= 0;
// - effective_at_us and start_at_us lie in [kMinScheduleTimeUs, kMaxScheduleTimeUs];
// - there is at least one item (looping or not);
// - each item has in_point_us >= 0, duration_us > 0, and in_point_us + duration_us
//   fits in int64 (the media end must be representable);
// - the durations sum to at most kMaxPlaylistDurationUs.
// Checks run in that order, items in index order.
std::optional<ScheduleError> validate(const Schedule& schedule);

}  // namespace streamsync
