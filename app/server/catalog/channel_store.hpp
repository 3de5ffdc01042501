#pragma once

// ChannelStore: channels and every revision of their schedules (DESIGN.md §3, §5).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/database.hpp"
#include "catalog/store_error.hpp"
#include "timeline/schedule.hpp"
#include "util/expected.hpp"

namespace streamsync::server {

struct ChannelRecord {
  std::string id;
  std::string slug;  // unique among channels; the URL-friendly name
  std::string name;
  std::string description;
  std::int64_t created_at_us = 0;  // server time it was created

  friend bool operator==(const ChannelRecord&, const ChannelRecord&) = default;
};

// Thread-safe: every method takes the Database's lock. Throws DatabaseError on SQLite
// failures; refusals a client can cause come back as StoreError.
class ChannelStore {
 public:
  explicit ChannelStore(Database& db) : db_(db) {}

  // Stores a new channel as given. conflict when the id or the slug is taken (the message
  // names it).
  Expected<ChannelRecord, StoreError> create(const ChannelRecord& channel);
  std::optional<ChannelRecord> get(std::string_view id);
  // All channels, oldest first (ties by id).
  std::vector<ChannelRecord> list();
  // Replaces slug, name and description of the channel with channel.id (created_at_us is
  // kept) and returns the stored record. not_found for an unknown id; conflict when the
  // slug belongs to another channel.
  Expected<ChannelRecord, StoreError> update(const ChannelRecord& channel);
  // Deletes the channel and all its schedule revisions; false if the id is unknown.
  bool remove(std::string_view id);

  // Stores a new revision of schedule.channel_id's schedule, received at now_us. invalid
  // when validate(schedule) refuses it; not_found when the channel does not exist;
  // conflict unless schedule.revision is greater than the latest stored revision (the
  // message gives both numbers). Returns the schedule as stored.
  Expected<Schedule, StoreError> put_schedule(const Schedule& schedule, std::int64_t now_us);
  // The highest revision of the channel's schedule; nullopt when it has none.
  std::optional<Schedule> latest_schedule(std::string_view channel_id);
  // Every stored revision, ascending by revision; empty for an unknown channel.
  std::vector<Schedule> schedule_revisions(std::string_view channel_id);

 private:
  Database& db_;
};

}  // namespace streamsync::server
