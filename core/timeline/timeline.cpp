#include "timeline/timeline.hpp"

#include <algorithm>
#include <iterator>
#include <limits>
#include <utility>

namespace streamsync {

Expected<Timeline, ScheduleError> Timeline::create(Schedule schedule) {
  if (auto error = validate(schedule)) return Unexpected{std::move(*error)};
  // validate() bounds the total by kMaxPlaylistDurationUs, so these sums cannot overflow.
  std::vector<std::int64_t> offsets_us;
  offsets_us.reserve(schedule.items.size() + 1);
  offsets_us.push_back(0);
  for (const ScheduleItem& item : schedule.items) {
    offsets_us.push_back(offsets_us.back() + item.duration_us);
  }
  return Timeline(std::move(schedule), std::move(offsets_us));
}

Timeline::Timeline(Schedule schedule, std::vector<std::int64_t> item_start_offsets_us)
    : schedule_(std::move(schedule)), item_start_offsets_us_(std::move(item_start_offsets_us)) {}

Resolution Timeline::resolve(std::int64_t server_time_us) const {
  const std::int64_t start_at_us = schedule_.start_at_us;
  if (server_time_us < start_at_us) {
    const ScheduleItem& first = schedule_.items.front();
    return Resolution{.state = PlaybackState::before_start,
                      .item_index = 0,
                      .offset_in_item_us = 0,
                      .media_position_us = first.in_point_us,
                      .item_started_at_us = start_at_us,
                      .next_transition_at_us = start_at_us};
  }
  // start_at_us >= 0 (validated) and server_time_us >= start_at_us: no overflow.
  const std::int64_t elapsed_us = server_time_us - start_at_us;
  const std::int64_t cycle_us = cycle_duration_us();
  if (schedule_.loop) {
    const std::int64_t offset_us = elapsed_us % cycle_us;
    return resolve_in_cycle(server_time_us - offset_us, offset_us);
  }
  if (elapsed_us < cycle_us) return resolve_in_cycle(start_at_us, elapsed_us);

  const std::size_t last = schedule_.items.size() - 1;
  const ScheduleItem& item = schedule_.items[last];
  return Resolution{.state = PlaybackState::ended,
                    .item_index = last,
                    .offset_in_item_us = item.duration_us,
                    .media_position_us = item.in_point_us + item.duration_us,
                    .item_started_at_us = start_at_us + item_start_offsets_us_[last],
                    .next_transition_at_us = std::nullopt};
}

// offset_us is in [0, cycle_duration_us()); cycle_started_at_us + offset_us is the query.
Resolution Timeline::resolve_in_cycle(std::int64_t cycle_started_at_us,
                                      std::int64_t offset_us) const {
  // The first start offset beyond offset_us belongs to the next item; the item before
  // it is on air. Offsets strictly increase, so that item is unique.
  const auto next =
      std::upper_bound(item_start_offsets_us_.begin(), item_start_offsets_us_.end(), offset_us);
  const auto index =
      static_cast<std::size_t>(std::distance(item_start_offsets_us_.begin(), next) - 1);
  const ScheduleItem& item = schedule_.items[index];

  const std::int64_t offset_in_item_us = offset_us - item_start_offsets_us_[index];
  // At most the queried time, so representable; its end may not be (near INT64_MAX).
  const std::int64_t item_started_at_us = cycle_started_at_us + item_start_offsets_us_[index];
  constexpr std::int64_t kMaxTimeUs = std::numeric_limits<std::int64_t>::max();
  const std::int64_t ends_at_us = item_started_at_us > kMaxTimeUs - item.duration_us
                                      ? kMaxTimeUs
                                      : item_started_at_us + item.duration_us;
  return Resolution{.state = PlaybackState::playing,
                    .item_index = index,
                    .offset_in_item_us = offset_in_item_us,
                    .media_position_us = item.in_point_us + offset_in_item_us,
                    .item_started_at_us = item_started_at_us,
                    .next_transition_at_us = ends_at_us};
}

Expected<Resolution, ScheduleError> resolve(const Schedule& schedule, std::int64_t server_time_us) {
  auto timeline = Timeline::create(schedule);
  if (!timeline) return Unexpected{timeline.error()};
  return timeline->resolve(server_time_us);
}

}  // namespace streamsync
