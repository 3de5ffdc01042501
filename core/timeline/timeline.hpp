#pragma once

// Timeline: what should be on screen at a given server time (DESIGN.md §3).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "timeline/schedule.hpp"
#include "util/expected.hpp"

namespace streamsync {

enum class PlaybackState {
  before_start,  // server time is before start_at_us: show a countdown
  playing,       // an item is on air
  ended,         // a non-looping playlist has played to its end
};

// What a timeline shows at one server time. All times are server time (UTC µs since the
// Unix epoch) except offset_in_item_us and media_position_us, which are media time.
struct Resolution {
  PlaybackState state = PlaybackState::before_start;
  // playing: the item on air. before_start: 0, the item that will open. ended: the last.
  std::size_t item_index = 0;
  // playing: time since the item started, in [0, duration_us). before_start: 0.
  // ended: duration_us of the last item (its end, which is not itself a frame).
  std::int64_t offset_in_item_us = 0;
  // The media time to show: items[item_index].in_point_us + offset_in_item_us.
  std::int64_t media_position_us = 0;
  // When the current pass of the item started (or, before_start, will start).
  std::int64_t item_started_at_us = 0;
  // When what is on screen next jumps: start_at_us before the start; while playing, the
  // end of this pass of the item, where the next item (or items[0] again, at the end of
  // a loop, even for a one-item loop) starts at offset 0; nullopt once ended. Clamped to
  // INT64_MAX when the transition lies beyond int64 (only for queries within one item
  // of INT64_MAX).
  std::optional<std::int64_t> next_transition_at_us;

  friend bool operator==(const Resolution&, const Resolution&) = default;
};

// A validated schedule with the start offset of every item precomputed, so that
// resolve() is a binary search: O(log n) per query, O(n) to build.
class Timeline {
 public:
  // The timeline of schedule, or the first rule it breaks (see validate()).
  static Expected<Timeline, ScheduleError> create(Schedule schedule);

  // What plays at server_time_us. Items occupy half-open spans [start, end), so at an
  // item boundary the next item is playing at offset 0. A looping timeline repeats for
  // every int64 time after start_at_us; no int64 input overflows. Pure and thread-safe.
  Resolution resolve(std::int64_t server_time_us) const;

  // The summed duration of all items: one pass of the loop (or the whole playlist when
  // it does not loop). Always in (0, kMaxPlaylistDurationUs].
  std::int64_t cycle_duration_us() const { return item_start_offsets_us_.back(); }

  const Schedule& schedule() const { return schedule_; }

 private:
  Timeline(Schedule schedule, std::vector<std::int64_t> item_start_offsets_us);

  Resolution resolve_in_cycle(std::int64_t cycle_started_at_us, std::int64_t offset_us) const;

  Schedule schedule_;
  // items.size() + 1 entries: entry i is when item i starts, relative to the start of a
  // cycle; the last entry is cycle_duration_us(). Strictly increasing.
  std::vector<std::int64_t> item_start_offsets_us_;
};

// One-off resolution of schedule at server_time_us, or why the schedule is not playable.
// Builds a Timeline (O(n)); keep a Timeline to resolve the same schedule repeatedly.
Expected<Resolution, ScheduleError> resolve(const Schedule& schedule, std::int64_t server_time_us);

}  // namespace streamsync
