#include "catalog/viewer_store.hpp"

namespace streamsync::server {
namespace {

constexpr std::string_view kSelectViewer =
    "SELECT id, display_name, first_seen_us, last_seen_us FROM viewers";

ViewerRecord read_viewer(const Statement& row) {
  return {row.column_text(0), row.column_text(1), row.column_int(2), row.column_int(3)};
}

// QoE comes from clients: keep it even if a string in it is not valid UTF-8.
std::string dump_qoe(const nlohmann::json& qoe) {
  return qoe.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

ViewerRecord ViewerStore::register_viewer(std::string_view id, std::string_view display_name,
                                          std::int64_t now_us) {
  const auto lock = db_.lock();
  Statement statement(db_,
                      "INSERT INTO viewers (id, display_name, first_seen_us, last_seen_us) "
                      "VALUES (?1, ?2, ?3, ?3) ON CONFLICT (id) DO UPDATE SET "
                      "display_name = excluded.display_name, last_seen_us = excluded.last_seen_us "
                      "RETURNING id, display_name, first_seen_us, last_seen_us");
  statement.bind_text(1, id).bind_text(2, display_name).bind_int(3, now_us);
  statement.step();
  return read_viewer(statement);
}

std::optional<ViewerRecord> ViewerStore::get(std::string_view id) {
  const auto lock = db_.lock();
  Statement statement(db_, std::string(kSelectViewer) + " WHERE id = ?1");
  statement.bind_text(1, id);
  if (!statement.step()) return std::nullopt;
  return read_viewer(statement);
}

bool ViewerStore::heartbeat(std::string_view viewer_id, std::string_view channel_id,
                            const nlohmann::json& qoe, std::int64_t now_us) {
  const auto lock = db_.lock();
  Transaction transaction(db_);
  Statement seen(db_, "UPDATE viewers SET last_seen_us = ?2 WHERE id = ?1");
  seen.bind_text(1, viewer_id).bind_int(2, now_us);
  seen.run();
  if (db_.changes() == 0) return false;

  const std::string qoe_text = dump_qoe(qoe);
  Statement open(db_,
                 "SELECT id, channel_id, last_heartbeat_us FROM sessions "
                 "WHERE viewer_id = ?1 AND left_at_us IS NULL");
  open.bind_text(1, viewer_id);
  if (open.step()) {
    const std::int64_t session_id = open.column_int(0);
    const std::int64_t last_heartbeat_us = open.column_int(2);
    const bool silent = now_us - last_heartbeat_us > kPresenceTimeoutUs;
    if (open.column_text(1) == channel_id && !silent) {
      Statement touch(db_,
                      "UPDATE sessions SET last_heartbeat_us = ?2, last_qoe = ?3 WHERE id = ?1");
      touch.bind_int(1, session_id).bind_int(2, now_us).bind_text(3, qoe_text);
      touch.run();
      transaction.commit();
      return true;
    }
    Statement leave(db_, "UPDATE sessions SET left_at_us = ?2 WHERE id = ?1");
    leave.bind_int(1, session_id).bind_int(2, silent ? last_heartbeat_us : now_us);
    leave.run();
  }
  Statement insert(db_,
                   "INSERT INTO sessions (viewer_id, channel_id, joined_at_us, "
                   "last_heartbeat_us, last_qoe) VALUES (?1, ?2, ?3, ?3, ?4)");
  insert.bind_text(1, viewer_id)
      .bind_text(2, channel_id)
      .bind_int(3, now_us)
      .bind_text(4, qoe_text);
  insert.run();
  transaction.commit();
  return true;
}

std::vector<ViewerRecord> ViewerStore::active_viewers(std::string_view channel_id,
                                                      std::int64_t now_us) {
  const auto lock = db_.lock();
  Statement statement(db_,
                      "SELECT v.id, v.display_name, v.first_seen_us, v.last_seen_us "
                      "FROM sessions AS s JOIN viewers AS v ON v.id = s.viewer_id "
                      "WHERE s.channel_id = ?1 AND s.left_at_us IS NULL "
                      "AND s.last_heartbeat_us >= ?2 ORDER BY v.display_name, v.id");
  statement.bind_text(1, channel_id).bind_int(2, now_us - kPresenceTimeoutUs);
  std::vector<ViewerRecord> viewers;
  while (statement.step()) viewers.push_back(read_viewer(statement));
  return viewers;
}

std::map<std::string, std::int64_t> ViewerStore::active_counts(std::int64_t now_us) {
  const auto lock = db_.lock();
  Statement statement(db_,
                      "SELECT channel_id, count(*) FROM sessions "
                      "WHERE left_at_us IS NULL AND last_heartbeat_us >= ?1 GROUP BY channel_id");
  statement.bind_int(1, now_us - kPresenceTimeoutUs);
  std::map<std::string, std::int64_t> counts;
  while (statement.step()) counts.emplace(statement.column_text(0), statement.column_int(1));
  return counts;
}

std::int64_t ViewerStore::close_stale_sessions(std::int64_t now_us) {
  const auto lock = db_.lock();
  Statement statement(db_,
                      "UPDATE sessions SET left_at_us = last_heartbeat_us "
                      "WHERE left_at_us IS NULL AND last_heartbeat_us < ?1");
  statement.bind_int(1, now_us - kPresenceTimeoutUs);
  statement.run();
  return db_.changes();
}

std::vector<SessionRecord> ViewerStore::sessions(std::string_view viewer_id) {
  const auto lock = db_.lock();
  Statement statement(db_,
                      "SELECT id, viewer_id, channel_id, joined_at_us, left_at_us, "
                      "last_heartbeat_us, last_qoe FROM sessions WHERE viewer_id = ?1 ORDER BY id");
  statement.bind_text(1, viewer_id);
  std::vector<SessionRecord> result;
  while (statement.step()) {
    result.push_back({statement.column_int(0), statement.column_text(1), statement.column_text(2),
                      statement.column_int(3), statement.column_optional_int(4),
                      statement.column_int(5),
                      nlohmann::json::parse(statement.column_text(6), nullptr, false)});
  }
  return result;
}

}  // namespace streamsync::server
