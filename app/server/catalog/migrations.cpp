#include "catalog/migrations.hpp"

#include <array>
#include <cstddef>
#include <optional>

namespace streamsync::server {
namespace {

// v1: the first catalog. Tables are STRICT so that a value of the wrong type (a double
// timestamp, a text duration) is an error at write time rather than a surprise at read
// time. Times are int64 µs of server time (UTC); JSON columns hold compact JSON text.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE videos (
  id            TEXT PRIMARY KEY NOT NULL,
  title         TEXT NOT NULL,
  duration_us   INTEGER NOT NULL CHECK (duration_us >= 0),
  status        TEXT NOT NULL CHECK (status IN ('queued', 'processing', 'ready', 'failed')),
  renditions    TEXT NOT NULL DEFAULT '[]',
  poster        TEXT NOT NULL DEFAULT '',
  error         TEXT NOT NULL DEFAULT '',
  created_at_us INTEGER NOT NULL
) STRICT;

CREATE TABLE channels (
  id            TEXT PRIMARY KEY NOT NULL,
  slug          TEXT NOT NULL UNIQUE,
  name          TEXT NOT NULL,
  description   TEXT NOT NULL DEFAULT '',
  created_at_us INTEGER NOT NULL
) STRICT;

-- Every revision is kept (viewers may still be before an older one's switch instant, and
-- the history explains what was on air when); the primary key serves "latest revision".
CREATE TABLE schedules (
  channel_id      TEXT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  revision        INTEGER NOT NULL,
  effective_at_us INTEGER NOT NULL,
  start_at_us     INTEGER NOT NULL,
  loop            INTEGER NOT NULL CHECK (loop IN (0, 1)),
  items           TEXT NOT NULL,
  created_at_us   INTEGER NOT NULL,
  PRIMARY KEY (channel_id, revision)
) STRICT;

CREATE TABLE viewers (
  id            TEXT PRIMARY KEY NOT NULL,
  display_name  TEXT NOT NULL,
  first_seen_us INTEGER NOT NULL,
  last_seen_us  INTEGER NOT NULL
) STRICT;

-- One row per stretch of watching one channel; left_at_us is NULL while it is open.
-- channel_id is deliberately not a foreign key: a viewer's heartbeat for a channel that
-- was just removed is harmless and must not fail.
CREATE TABLE sessions (
  id                INTEGER PRIMARY KEY,
  viewer_id         TEXT NOT NULL REFERENCES viewers (id) ON DELETE CASCADE,
  channel_id        TEXT NOT NULL,
  joined_at_us      INTEGER NOT NULL,
  left_at_us        INTEGER,
  last_heartbeat_us INTEGER NOT NULL,
  last_qoe          TEXT NOT NULL DEFAULT '{}'
) STRICT;
-- The foreign key's child index (deleting a viewer would scan sessions without it).
CREATE INDEX sessions_by_viewer ON sessions (viewer_id);
-- At most one open session per viewer; also every heartbeat's lookup.
CREATE UNIQUE INDEX sessions_open_by_viewer ON sessions (viewer_id) WHERE left_at_us IS NULL;
-- Presence per channel and the stale-session sweep read open sessions by recency.
CREATE INDEX sessions_open_by_channel
  ON sessions (channel_id, last_heartbeat_us) WHERE left_at_us IS NULL;
CREATE INDEX sessions_open_by_heartbeat ON sessions (last_heartbeat_us) WHERE left_at_us IS NULL;

-- Presenter tokens: only the SHA-256 of the secret is stored.
CREATE TABLE tokens (
  id            TEXT PRIMARY KEY NOT NULL,
  name          TEXT NOT NULL,
  hash          BLOB NOT NULL CHECK (length(hash) = 32),
  created_at_us INTEGER NOT NULL,
  revoked_at_us INTEGER
) STRICT;
)sql";

// v2: ingest jobs. A job turns one uploaded file into one video; its row outlives the run
// so that a restart finds interrupted work and a presenter can read why a job failed.
constexpr std::string_view kSchemaV2 = R"sql(
CREATE TABLE jobs (
  id            TEXT PRIMARY KEY NOT NULL,
  video_id      TEXT NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
  status        TEXT NOT NULL
                CHECK (status IN ('queued', 'probing', 'transcoding', 'ready', 'failed', 'cancelled')),
  progress      REAL NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1),
  message       TEXT NOT NULL DEFAULT '',
  source_path   TEXT NOT NULL,
  keep_source   INTEGER NOT NULL CHECK (keep_source IN (0, 1)),
  created_at_us INTEGER NOT NULL,
  updated_at_us INTEGER NOT NULL
) STRICT;
CREATE INDEX jobs_by_status ON jobs (status, created_at_us);
CREATE INDEX jobs_by_video ON jobs (video_id);
)sql";

constexpr std::array kMigrations = {
    Migration{"catalog: videos, channels, schedules, viewers, sessions, tokens", kSchemaV1},
    Migration{"ingest jobs", kSchemaV2},
};

}  // namespace

std::span<const Migration> migrations() {
  return kMigrations;
}

int latest_schema_version() {
  return static_cast<int>(kMigrations.size());
}

int schema_version(Database& db) {
  Statement statement(db, "PRAGMA user_version");
  statement.step();
  return static_cast<int>(statement.column_int(0));
}

Expected<MigrationResult, std::string> migrate(Database& db, std::span<const Migration> list) {
  const auto lock = db.lock();
  const int known = static_cast<int>(list.size());
  std::optional<int> from;
  // The version is read inside each transaction: BEGIN IMMEDIATE makes a second server
  // process starting on the same file wait here and then see the finished work, instead
  // of applying the same migration twice.
  for (;;) {
    Transaction transaction(db);
    const int current = schema_version(db);
    if (!from) from = current;
    if (current < 0) {
      return Unexpected{"database schema v" + std::to_string(current) +
                        " was not written by streamsync-server"};
    }
    if (current > known) {
      return Unexpected{"database schema v" + std::to_string(current) +
                        " is newer than this streamsync-server (v" + std::to_string(known) +
                        "): upgrade the server"};
    }
    if (current == known) return MigrationResult{*from, current};
    db.exec(std::string(list[static_cast<std::size_t>(current)].sql));
    // PRAGMA takes no bound parameters; the value is our own integer.
    db.exec("PRAGMA user_version = " + std::to_string(current + 1));
    transaction.commit();
  }
}

Expected<MigrationResult, std::string> migrate(Database& db) {
  return migrate(db, migrations());
}

}  // namespace streamsync::server
