#include "catalog/database.hpp"

#include <sqlite3.h>

#include <chrono>
#include <utility>

namespace streamsync::server {
namespace {

constexpr std::chrono::milliseconds kBusyTimeout{5000};

[[noreturn]] void fail(sqlite3* db, std::string_view sql) {
  throw DatabaseError(sqlite3_errmsg(db), std::string(sql), sqlite3_extended_errcode(db));
}

// Runs a pragma that answers with one text row and returns that answer.
std::string pragma_text(Database& db, std::string_view sql) {
  Statement statement(db, sql);
  return statement.step() ? statement.column_text(0) : std::string();
}

}  // namespace

DatabaseError::DatabaseError(const std::string& message, std::string sql, int sqlite_code)
    : std::runtime_error(message + " [sql: " + sql + "]"),
      sql_(std::move(sql)),
      sqlite_code_(sqlite_code) {}

Database Database::open(const std::filesystem::path& path) {
  return Database(path);
}

Database::Database(const std::filesystem::path& path) {
  const std::string name = path.string();
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
  if (sqlite3_open_v2(name.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    // sqlite3_open_v2 hands back a handle even on failure; it carries the message.
    const std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : std::string("out of memory");
    sqlite3_close(db_);
    throw DatabaseError(message + " (opening " + name + ")", "");
  }
  try {
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, static_cast<int>(kBusyTimeout.count()));
    const std::string mode = pragma_text(*this, "PRAGMA journal_mode=WAL");
    if (mode != "wal" && mode != "memory") {
      throw DatabaseError("could not enable WAL (journal_mode is '" + mode + "') for " + name,
                          "PRAGMA journal_mode=WAL");
    }
    exec("PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL");
  } catch (...) {
    sqlite3_close(db_);
    throw;
  }
}

Database::~Database() {
  // close_v2: should a Statement outlive its Database by mistake, the connection is closed
  // once that Statement is finalised rather than leaked. A clean close checkpoints the WAL.
  sqlite3_close_v2(db_);
}

void Database::exec(const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    const std::string text = message != nullptr ? message : sqlite3_errmsg(db_);
    sqlite3_free(message);
    throw DatabaseError(text, sql, sqlite3_extended_errcode(db_));
  }
}

std::int64_t Database::changes() const {
  return sqlite3_changes64(db_);
}

std::int64_t Database::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_);
}

Statement::Statement(Database& db, std::string_view sql) : db_(db.handle()), sql_(sql) {
  const char* tail = nullptr;
  if (sqlite3_prepare_v2(db_, sql_.data(), static_cast<int>(sql_.size()), &stmt_, &tail) !=
      SQLITE_OK) {
    fail(db_, sql_);
  }
  if (stmt_ == nullptr) throw DatabaseError("empty statement", sql_);
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

void Statement::check_bind(int rc) const {
  if (rc != SQLITE_OK) fail(db_, sql_);
}

Statement& Statement::bind_int(int index, std::int64_t value) {
  check_bind(sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

Statement& Statement::bind_double(int index, double value) {
  check_bind(sqlite3_bind_double(stmt_, index, value));
  return *this;
}

Statement& Statement::bind_text(int index, std::string_view value) {
  // SQLite binds a null pointer as NULL, and an empty string_view may carry one: an empty
  // text must stay an empty text (NOT NULL columns rely on it).
  const char* data = value.data() != nullptr ? value.data() : "";
  check_bind(sqlite3_bind_text64(stmt_, index, data, value.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  return *this;
}

Statement& Statement::bind_blob(int index, std::span<const unsigned char> value) {
  if (value.empty()) {
    check_bind(sqlite3_bind_zeroblob(stmt_, index, 0));  // empty, not NULL (as above)
  } else {
    check_bind(sqlite3_bind_blob64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT));
  }
  return *this;
}

Statement& Statement::bind_null(int index) {
  check_bind(sqlite3_bind_null(stmt_, index));
  return *this;
}

Statement& Statement::bind_optional_int(int index, const std::optional<std::int64_t>& value) {
  return value ? bind_int(index, *value) : bind_null(index);
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(db_, sql_);
}

void Statement::run() {
  if (step()) throw DatabaseError("statement returned rows where none were expected", sql_);
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Statement::column_is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::column_int(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

double Statement::column_double(int column) const {
  return sqlite3_column_double(stmt_, column);
}

std::string Statement::column_text(int column) const {
  // Read the pointer before the size: the pointer call performs any conversion the size
  // then describes (SQLite's documented order).
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  if (text == nullptr) return {};
  return {reinterpret_cast<const char*>(text), static_cast<std::size_t>(size)};
}

std::vector<unsigned char> Statement::column_blob(int column) const {
  const auto* data = static_cast<const unsigned char*>(sqlite3_column_blob(stmt_, column));
  const int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr) return {};
  return {data, data + size};
}

std::optional<std::int64_t> Statement::column_optional_int(int column) const {
  if (column_is_null(column)) return std::nullopt;
  return column_int(column);
}

Transaction::Transaction(Database& db) : db_(db) {
  db_.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
  // A failed COMMIT may already have rolled back (SQLite does so on some errors); only
  // roll back what is still open, and never throw from a destructor.
  if (!done_ && sqlite3_get_autocommit(db_.handle()) == 0) {
    sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace streamsync::server
