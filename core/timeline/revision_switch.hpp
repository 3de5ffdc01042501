#pragma once

// ScheduleRevisions: the revisions of one channel's schedule a viewer knows of, and which
// one applies at a given server time (DESIGN.md §3). A change is published as a higher
// revision with an effective_at_us in the future, so that every viewer switches at the
// same instant whenever it happened to receive the change.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "timeline/timeline.hpp"

namespace streamsync {

class ScheduleRevisions {
 public:
  // Adds a revision. Accepted only when it is for the same channel as those already held
  // and its revision is higher than any offered so far (pruning never lowers that bar);
  // returns false, changing nothing, for a stale or duplicate revision or another
  // channel. Revisions may arrive out of order: a late lower one is simply stale.
  bool offer(Timeline timeline);

  // The timeline to play at server_time_us: among the held revisions whose
  // effective_at_us <= server_time_us, the highest. When none is effective yet, the
  // lowest held revision (the oldest we know: better than nothing for a viewer that
  // joined with only a future revision). nullptr only when nothing was offered.
  // The pointer is valid until the next offer() or prune().
  const Timeline* active_at(std::int64_t server_time_us) const;

  // The earliest time after server_time_us at which active_at() returns a different
  // revision, or nullopt when no held revision will take over. A revision that would be
  // superseded before it becomes effective never produces a switch.
  std::optional<std::int64_t> next_switch_at_us(std::int64_t server_time_us) const;

  // Drops the revisions that active_at() can no longer return for any time >=
  // server_time_us: those below the one active then. Call it as time advances, with the
  // current server time; answers for earlier times are not kept.
  void prune(std::int64_t server_time_us);

  // The highest revision held (the latest the server published), or nullptr.
  const Timeline* latest() const { return timelines_.empty() ? nullptr : &timelines_.back(); }

  std::size_t size() const { return timelines_.size(); }

 private:
  // Index into timelines_ of active_at(server_time_us); timelines_ must not be empty.
  std::size_t active_index(std::int64_t server_time_us) const;

  // Ascending by revision (offer() only appends higher ones).
  std::vector<Timeline> timelines_;
};

}  // namespace streamsync
