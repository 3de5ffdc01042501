#include "catalog/channel_store.hpp"

#include <nlohmann/json.hpp>

#include "timeline/schedule_json.hpp"

namespace streamsync::server {
namespace {

constexpr std::string_view kSelectChannel =
    "SELECT id, slug, name, description, created_at_us FROM channels";
constexpr std::string_view kSelectSchedule =
    "SELECT channel_id, revision, effective_at_us, start_at_us, loop, items FROM schedules";

ChannelRecord read_channel(const Statement& row) {
  return {row.column_text(0), row.column_text(1), row.column_text(2), row.column_text(3),
          row.column_int(4)};
}

// Rebuilds the schedule through its one JSON home (schedule_json.hpp), so that what is
// read back is exactly what validate() accepted on the way in.
Schedule read_schedule(const Statement& row) {
  nlohmann::json json = {
      {"channel_id", row.column_text(0)},
      {"revision", row.column_int(1)},
      {"effective_at_us", row.column_int(2)},
      {"start_at_us", row.column_int(3)},
      {"loop", row.column_int(4) != 0},
      {"items", nlohmann::json::parse(row.column_text(5), nullptr, false)},
  };
  Expected<Schedule, ScheduleError> schedule = schedule_from_json(json);
  if (!schedule) {
    throw DatabaseError("stored schedule of channel '" + row.column_text(0) + "' revision " +
                            std::to_string(row.column_int(1)) + " does not read back: " +
                            schedule.error().field + ": " + schedule.error().message,
                        row.sql());
  }
  return std::move(schedule).value();
}

Unexpected<StoreError> refuse(StoreErrorCode code, std::string message) {
  return Unexpected{StoreError{code, std::move(message)}};
}

// The id of the channel that has slug, if any. Requires the lock.
std::optional<std::string> channel_with_slug(Database& db, std::string_view slug) {
  Statement statement(db, "SELECT id FROM channels WHERE slug = ?1");
  statement.bind_text(1, slug);
  if (!statement.step()) return std::nullopt;
  return statement.column_text(0);
}

bool channel_exists(Database& db, std::string_view id) {
  Statement statement(db, "SELECT 1 FROM channels WHERE id = ?1");
  statement.bind_text(1, id);
  return statement.step();
}

}  // namespace

Expected<ChannelRecord, StoreError> ChannelStore::create(const ChannelRecord& channel) {
  if (channel.id.empty()) return refuse(StoreErrorCode::invalid, "channel id must not be empty");
  if (channel.slug.empty()) {
    return refuse(StoreErrorCode::invalid, "channel slug must not be empty");
  }
  const auto lock = db_.lock();
  Transaction transaction(db_);
  // Checked under the lock and inside the transaction, so nothing can take the id or
  // slug between the check and the insert; the UNIQUE constraints stay as the backstop.
  if (channel_exists(db_, channel.id)) {
    return refuse(StoreErrorCode::conflict, "channel id '" + channel.id + "' is already taken");
  }
  if (channel_with_slug(db_, channel.slug)) {
    return refuse(StoreErrorCode::conflict, "channel slug '" + channel.slug + "' is already taken");
  }
  Statement insert(db_,
                   "INSERT INTO channels (id, slug, name, description, created_at_us) "
                   "VALUES (?1, ?2, ?3, ?4, ?5)");
  insert.bind_text(1, channel.id)
      .bind_text(2, channel.slug)
      .bind_text(3, channel.name)
      .bind_text(4, channel.description)
      .bind_int(5, channel.created_at_us);
  insert.run();
  transaction.commit();
  return channel;
}

std::optional<ChannelRecord> ChannelStore::get(std::string_view id) {
  const auto lock = db_.lock();
  Statement statement(db_, std::string(kSelectChannel) + " WHERE id = ?1");
  statement.bind_text(1, id);
  if (!statement.step()) return std::nullopt;
  return read_channel(statement);
}

std::vector<ChannelRecord> ChannelStore::list() {
  const auto lock = db_.lock();
  Statement statement(db_, std::string(kSelectChannel) + " ORDER BY created_at_us, id");
  std::vector<ChannelRecord> channels;
  while (statement.step()) channels.push_back(read_channel(statement));
  return channels;
}

Expected<ChannelRecord, StoreError> ChannelStore::update(const ChannelRecord& channel) {
  if (channel.slug.empty()) {
    return refuse(StoreErrorCode::invalid, "channel slug must not be empty");
  }
  const auto lock = db_.lock();
  Transaction transaction(db_);
  if (!channel_exists(db_, channel.id)) {
    return refuse(StoreErrorCode::not_found, "no channel with id '" + channel.id + "'");
  }
  const std::optional<std::string> owner = channel_with_slug(db_, channel.slug);
  if (owner && *owner != channel.id) {
    return refuse(StoreErrorCode::conflict, "channel slug '" + channel.slug +
                                                "' is already taken by channel '" + *owner + "'");
  }
  Statement change(db_, "UPDATE channels SET slug = ?2, name = ?3, description = ?4 WHERE id = ?1");
  change.bind_text(1, channel.id)
      .bind_text(2, channel.slug)
      .bind_text(3, channel.name)
      .bind_text(4, channel.description);
  change.run();
  Statement select(db_, std::string(kSelectChannel) + " WHERE id = ?1");
  select.bind_text(1, channel.id);
  select.step();
  ChannelRecord stored = read_channel(select);
  transaction.commit();
  return stored;
}

bool ChannelStore::remove(std::string_view id) {
  const auto lock = db_.lock();
  Statement statement(db_, "DELETE FROM channels WHERE id = ?1");
  statement.bind_text(1, id);
  statement.run();
  return db_.changes() > 0;
}

Expected<Schedule, StoreError> ChannelStore::put_schedule(const Schedule& schedule,
                                                          std::int64_t now_us) {
  if (const std::optional<ScheduleError> error = validate(schedule)) {
    return refuse(StoreErrorCode::invalid, error->field + ": " + error->message);
  }
  const auto lock = db_.lock();
  Transaction transaction(db_);
  if (!channel_exists(db_, schedule.channel_id)) {
    return refuse(StoreErrorCode::not_found, "no channel with id '" + schedule.channel_id + "'");
  }
  Statement latest(db_, "SELECT max(revision) FROM schedules WHERE channel_id = ?1");
  latest.bind_text(1, schedule.channel_id);
  latest.step();
  if (const std::optional<std::int64_t> stored = latest.column_optional_int(0);
      stored && schedule.revision <= *stored) {
    return refuse(StoreErrorCode::conflict,
                  "schedule revision " + std::to_string(schedule.revision) + " of channel '" +
                      schedule.channel_id + "' must be greater than the stored revision " +
                      std::to_string(*stored));
  }
  Statement insert(db_,
                   "INSERT INTO schedules (channel_id, revision, effective_at_us, start_at_us, "
                   "loop, items, created_at_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  insert.bind_text(1, schedule.channel_id)
      .bind_int(2, schedule.revision)
      .bind_int(3, schedule.effective_at_us)
      .bind_int(4, schedule.start_at_us)
      .bind_int(5, schedule.loop ? 1 : 0)
      .bind_text(6, to_json(schedule).at("items").dump(-1, ' ', false,
                                                       nlohmann::json::error_handler_t::replace))
      .bind_int(7, now_us);
  insert.run();
  transaction.commit();
  return schedule;
}

std::optional<Schedule> ChannelStore::latest_schedule(std::string_view channel_id) {
  const auto lock = db_.lock();
  Statement statement(
      db_, std::string(kSelectSchedule) + " WHERE channel_id = ?1 ORDER BY revision DESC LIMIT 1");
  statement.bind_text(1, channel_id);
  if (!statement.step()) return std::nullopt;
  return read_schedule(statement);
}

std::vector<Schedule> ChannelStore::schedule_revisions(std::string_view channel_id) {
  const auto lock = db_.lock();
  Statement statement(db_,
                      std::string(kSelectSchedule) + " WHERE channel_id = ?1 ORDER BY revision");
  statement.bind_text(1, channel_id);
  std::vector<Schedule> revisions;
  while (statement.step()) revisions.push_back(read_schedule(statement));
  return revisions;
}

}  // namespace streamsync::server
