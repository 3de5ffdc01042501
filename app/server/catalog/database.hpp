#pragma once

// Database, Statement, Transaction: a thin RAII layer over one SQLite connection.
//
// Threading: one Database is shared by all of the server's I/O threads and serialised by
// its own mutex. Every store method takes `db.lock()` first and holds it until it has
// finished with its Statements and Transactions; Statement and Transaction do not lock on
// their own (a store method usually needs several of them to be atomic together). The
// lock is not re-entrant: a store method never calls another store method.
//
// Errors: an unexpected SQLite failure (I/O error, full disk, a constraint the caller did
// not check, a malformed statement) throws DatabaseError; the HTTP layer turns it into a
// 500. Conditions a client can cause (unknown id, taken slug) are the stores' own return
// values, never exceptions.

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace streamsync::server {

// An SQLite failure: what() reads "<sqlite message> [sql: <statement>]".
class DatabaseError : public std::runtime_error {
 public:
  // sqlite_code is SQLite's (extended) result code, or 0 when the failure is ours (e.g. a
  // stored value that no longer parses).
  DatabaseError(const std::string& message, std::string sql, int sqlite_code = 0);

  const std::string& sql() const { return sql_; }
  int sqlite_code() const { return sqlite_code_; }

 private:
  std::string sql_;
  int sqlite_code_;
};

class Database {
 public:
  using Lock = std::unique_lock<std::mutex>;

  // Opens (creating if needed) the database file at path and configures the connection:
  // journal_mode=WAL (readers never block the writer), foreign_keys=ON, synchronous=NORMAL
  // (durable across process crashes; a power cut may lose the last transactions, never
  // corrupt the file), busy_timeout 5 s (another process holding the write lock is waited
  // for, not failed). ":memory:" is accepted for throwaway databases (no WAL there).
  // Throws DatabaseError when the file cannot be opened or configured. The schema is not
  // touched: call migrate() (migrations.hpp) before using any store.
  static Database open(const std::filesystem::path& path);
  explicit Database(const std::filesystem::path& path);  // as open(), for make_unique & co.
  ~Database();

  // Not copyable or movable: stores and the mutex are tied to this object's address.
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // The connection's lock; hold it for the whole of any use of this Database.
  [[nodiscard]] Lock lock() { return Lock(mutex_); }

  // Runs one or more ;-separated statements that return no rows (schema scripts,
  // pragmas). Throws DatabaseError. Requires the lock.
  void exec(const std::string& sql);

  // Rows changed by the most recent INSERT/UPDATE/DELETE. Requires the lock.
  std::int64_t changes() const;
  // Rowid of the most recent successful INSERT. Requires the lock.
  std::int64_t last_insert_rowid() const;

  sqlite3* handle() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
  std::mutex mutex_;
};

// A prepared statement. Bind indexes are 1-based and column indexes 0-based, as in
// SQLite. Every call throws DatabaseError on failure. Requires the Database's lock for its
// whole lifetime, destruction included (declare it after the lock).
class Statement {
 public:
  Statement(Database& db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind_int(int index, std::int64_t value);
  Statement& bind_double(int index, double value);
  Statement& bind_text(int index, std::string_view value);  // copied by SQLite
  Statement& bind_blob(int index, std::span<const unsigned char> value);
  Statement& bind_null(int index);
  Statement& bind_optional_int(int index, const std::optional<std::int64_t>& value);

  // Advances the statement: true when a row is available through the column getters,
  // false when the statement has finished.
  bool step();
  // Steps a statement that must not return rows (INSERT/UPDATE/DELETE); throws
  // DatabaseError if it does.
  void run();
  // Makes the statement runnable again and clears its bindings.
  void reset();

  bool column_is_null(int column) const;
  std::int64_t column_int(int column) const;  // NULL reads as 0
  double column_double(int column) const;     // NULL reads as 0.0
  std::string column_text(int column) const;  // NULL reads as ""
  std::vector<unsigned char> column_blob(int column) const;
  std::optional<std::int64_t> column_optional_int(int column) const;

  const std::string& sql() const { return sql_; }

 private:
  void check_bind(int rc) const;

  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  std::string sql_;
};

// BEGIN IMMEDIATE … COMMIT. Destroying it without commit() rolls back, so an exception
// anywhere in between leaves the database as it was. IMMEDIATE takes the write lock up
// front: a deferred transaction that reads and then writes can fail with SQLITE_BUSY
// instead of waiting when another connection writes in between. Not nestable. Requires
// the Database's lock for its whole lifetime.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace streamsync::server
