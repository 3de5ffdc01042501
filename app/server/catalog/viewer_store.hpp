#pragma once

// ViewerStore: viewer identities, their watching sessions and who is watching now
// (DESIGN.md §5). Viewers are anonymous-with-identity: the client makes up its id (a UUID)
// and a display name, and heartbeats every few seconds while it plays a channel.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/database.hpp"

namespace streamsync::server {

// A viewer is present on a channel while its last heartbeat there is at most this old.
// Several missed heartbeats (clients send one every few seconds) rather than one, so a
// single lost request does not make a viewer blink out of the count.
inline constexpr std::int64_t kPresenceTimeoutUs = 15'000'000;

struct ViewerRecord {
  std::string id;
  std::string display_name;
  std::int64_t first_seen_us = 0;  // server time of the first registration
  std::int64_t last_seen_us = 0;   // server time of the latest registration or heartbeat

  friend bool operator==(const ViewerRecord&, const ViewerRecord&) = default;
};

// One stretch of a viewer watching one channel.
struct SessionRecord {
  std::int64_t id = 0;
  std::string viewer_id;
  std::string channel_id;
  std::int64_t joined_at_us = 0;
  // When it ended: the switch to another channel, or the last heartbeat of a session that
  // went silent. nullopt while open.
  std::optional<std::int64_t> left_at_us;
  std::int64_t last_heartbeat_us = 0;
  nlohmann::json last_qoe;  // what the latest heartbeat reported

  friend bool operator==(const SessionRecord&, const SessionRecord&) = default;
};

// Thread-safe: every method takes the Database's lock. Throws DatabaseError on SQLite
// failures.
class ViewerStore {
 public:
  explicit ViewerStore(Database& db) : db_(db) {}

  // Creates the viewer, or for a known id sets its display name and last_seen_us (safe to
  // repeat: clients register on every start). Returns the stored record.
  ViewerRecord register_viewer(std::string_view id, std::string_view display_name,
                               std::int64_t now_us);
  std::optional<ViewerRecord> get(std::string_view id);

  // Records that viewer_id is watching channel_id at now_us and how playback goes (qoe,
  // stored as sent). False, and nothing stored, for an unregistered viewer. Continues the
  // viewer's open session on channel_id; otherwise closes its open session (at now_us
  // when it switched channels, at its last heartbeat when it had gone silent for more than
  // kPresenceTimeoutUs) and opens a new one.
  bool heartbeat(std::string_view viewer_id, std::string_view channel_id, const nlohmann::json& qoe,
                 std::int64_t now_us);

  // Viewers whose open session on channel_id heard from them within kPresenceTimeoutUs of
  // now_us (inclusive), by display name then id.
  std::vector<ViewerRecord> active_viewers(std::string_view channel_id, std::int64_t now_us);
  // For every channel with active viewers (as above), how many; channels without any are
  // absent.
  std::map<std::string, std::int64_t> active_counts(std::int64_t now_us);
  // Closes every open session silent for more than kPresenceTimeoutUs at now_us, setting
  // left_at_us to its last heartbeat (when the viewer was last known to be there, so a
  // slow sweep does not inflate watch time). Returns how many it closed.
  std::int64_t close_stale_sessions(std::int64_t now_us);

  // The viewer's sessions, oldest first.
  std::vector<SessionRecord> sessions(std::string_view viewer_id);

 private:
  Database& db_;
};

}  // namespace streamsync::server
