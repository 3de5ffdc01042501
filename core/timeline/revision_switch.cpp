#include "timeline/revision_switch.hpp"

#include <cstddef>
#include <iterator>
#include <utility>

namespace streamsync {

bool ScheduleRevisions::offer(Timeline timeline) {
  if (const Timeline* newest = latest()) {
    const Schedule& known = newest->schedule();
    const Schedule& offered = timeline.schedule();
    if (offered.channel_id != known.channel_id || offered.revision <= known.revision) {
      return false;
    }
  }
  timelines_.push_back(std::move(timeline));
  return true;
}

std::size_t ScheduleRevisions::active_index(std::int64_t server_time_us) const {
  // effective_at_us need not grow with revision (a correction may take effect sooner
  // than the change it corrects), so look at all of them; there are only a few.
  for (std::size_t i = timelines_.size(); i-- > 0;) {
    if (timelines_[i].schedule().effective_at_us <= server_time_us) return i;
  }
  return 0;
}

const Timeline* ScheduleRevisions::active_at(std::int64_t server_time_us) const {
  if (timelines_.empty()) return nullptr;
  return &timelines_[active_index(server_time_us)];
}

std::optional<std::int64_t> ScheduleRevisions::next_switch_at_us(
    std::int64_t server_time_us) const {
  if (timelines_.empty()) return std::nullopt;
  // The active revision only ever rises with time, so the first effective time ahead at
  // which it differs is the next switch.
  const std::size_t active_now = active_index(server_time_us);
  std::optional<std::int64_t> next_us;
  for (const Timeline& timeline : timelines_) {
    const std::int64_t effective_at_us = timeline.schedule().effective_at_us;
    if (effective_at_us <= server_time_us) continue;
    if (next_us && *next_us <= effective_at_us) continue;
    if (active_index(effective_at_us) != active_now) next_us = effective_at_us;
  }
  return next_us;
}

void ScheduleRevisions::prune(std::int64_t server_time_us) {
  if (timelines_.empty()) return;
  // Revisions only rise with time (see next_switch_at_us), so everything below the one
  // active now is dead. The highest revision is never dropped, which keeps offer()
  // rejecting anything at or below it.
  const auto first_kept =
      std::next(timelines_.begin(), static_cast<std::ptrdiff_t>(active_index(server_time_us)));
  timelines_.erase(timelines_.begin(), first_kept);
}

}  // namespace streamsync
