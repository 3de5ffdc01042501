#pragma once

// The catalog's schema history. Migration N (1-based position in the list) turns a schema
// at version N-1 into version N; the version a database is at lives in its header
// (PRAGMA user_version, 0 for a new file). Migrations are append-only: once released, a
// migration's SQL never changes; a fix is a new migration.

#include <span>
#include <string>
#include <string_view>

#include "catalog/database.hpp"
#include "util/expected.hpp"

namespace streamsync::server {

struct Migration {
  std::string_view name;  // for logs: what this step adds
  std::string_view sql;   // one or more ;-separated statements
};

// The server's migrations, oldest first. The schema version this binary knows is
// migrations().size().
std::span<const Migration> migrations();
int latest_schema_version();

// PRAGMA user_version of db. Requires db's lock.
int schema_version(Database& db);

struct MigrationResult {
  int from_version = 0;  // the database's version before
  int to_version = 0;    // its version now; equal to from_version when nothing was due
};

// Applies every migration in `list` that db has not had yet, each in its own transaction
// together with the user_version bump, so a failure leaves db at the last version that
// fully applied (and throws DatabaseError). A database newer than `list` knows is
// refused, untouched, with "database schema v5 is newer than this streamsync-server (v2):
// upgrade the server". Takes db's lock itself.
Expected<MigrationResult, std::string> migrate(Database& db, std::span<const Migration> list);
// As above with the server's own migrations().
Expected<MigrationResult, std::string> migrate(Database& db);

}  // namespace streamsync::server
