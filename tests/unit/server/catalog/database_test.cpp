#include "catalog/database.hpp"

#include <gtest/gtest.h>

#include <array>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>

#include "support/temp_dir.hpp"

namespace streamsync::server {
namespace {

using streamsync::testing::TempDir;

std::int64_t count_rows(Database& db, const std::string& table) {
  Statement statement(db, "SELECT count(*) FROM " + table);
  statement.step();
  return statement.column_int(0);
}

std::string pragma(Database& db, const std::string& name) {
  Statement statement(db, "PRAGMA " + name);
  EXPECT_TRUE(statement.step());
  return statement.column_text(0);
}

TEST(Database, OpensInWalWithForeignKeysSynchronousNormalAndBusyTimeout) {
  TempDir dir;
  Database db = Database::open(dir.file("catalog.db"));
  const auto lock = db.lock();
  EXPECT_EQ(pragma(db, "journal_mode"), "wal");
  EXPECT_EQ(pragma(db, "foreign_keys"), "1");
  EXPECT_EQ(pragma(db, "synchronous"), "1");  // NORMAL
  EXPECT_EQ(pragma(db, "busy_timeout"), "5000");
}

TEST(Database, UnopenablePathThrowsNamingThePath) {
  TempDir dir;
  const auto path = dir.file("no-such-dir") / "catalog.db";
  try {
    Database db(path);
    FAIL() << "opened " << path;
  } catch (const DatabaseError& error) {
    EXPECT_NE(std::string(error.what()).find(path.string()), std::string::npos) << error.what();
  }
}

TEST(Database, DataSurvivesCloseAndReopen) {
  TempDir dir;
  {
    Database db(dir.file("catalog.db"));
    const auto lock = db.lock();
    db.exec("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (42)");
  }
  Database db(dir.file("catalog.db"));
  const auto lock = db.lock();
  Statement statement(db, "SELECT x FROM t");
  ASSERT_TRUE(statement.step());
  EXPECT_EQ(statement.column_int(0), 42);
}

TEST(Statement, BindsAndReadsEveryType) {
  TempDir dir;
  Database db(dir.file("catalog.db"));
  const auto lock = db.lock();
  db.exec("CREATE TABLE t (i INTEGER, d REAL, s TEXT, b BLOB, n INTEGER)");
  const std::string text("h\xC3\xA9llo\0world", 12);  // UTF-8 and an embedded NUL
  const std::array<unsigned char, 4> blob = {0x00, 0xff, 0x10, 0x00};
  {
    Statement insert(db, "INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5)");
    insert.bind_int(1, std::numeric_limits<std::int64_t>::min())
        .bind_double(2, 0.1)
        .bind_text(3, text)
        .bind_blob(4, blob)
        .bind_null(5);
    insert.run();
  }
  Statement select(db, "SELECT i, d, s, b, n FROM t");
  ASSERT_TRUE(select.step());
  EXPECT_EQ(select.column_int(0), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(select.column_double(1), 0.1);
  EXPECT_EQ(select.column_text(2), text);
  EXPECT_EQ(select.column_blob(3), std::vector<unsigned char>(blob.begin(), blob.end()));
  EXPECT_TRUE(select.column_is_null(4));
  EXPECT_FALSE(select.column_is_null(0));
  EXPECT_EQ(select.column_optional_int(4), std::nullopt);
  EXPECT_EQ(select.column_optional_int(0), std::numeric_limits<std::int64_t>::min());
  EXPECT_FALSE(select.step());
}

TEST(Statement, ResetMakesItReusableWithNewBindings) {
  TempDir dir;
  Database db(dir.file("catalog.db"));
  const auto lock = db.lock();
  db.exec("CREATE TABLE t (x INTEGER)");
  Statement insert(db, "INSERT INTO t VALUES (?1)");
  for (std::int64_t x = 0; x < 3; ++x) {
    insert.bind_optional_int(1, x == 1 ? std::nullopt : std::optional<std::int64_t>(x));
    insert.run();
    EXPECT_EQ(db.changes(), 1);
    EXPECT_EQ(db.last_insert_rowid(), x + 1);
    insert.reset();
  }
  EXPECT_EQ(count_rows(db, "t"), 3);
  Statement nulls(db, "SELECT count(*) FROM t WHERE x IS NULL");
  nulls.step();
  EXPECT_EQ(nulls.column_int(0), 1);
}

TEST(Statement, EmptyTextAndBlobAreNotNull) {
  TempDir dir;
  Database db(dir.file("catalog.db"));
  const auto lock = db.lock();
  db.exec("CREATE TABLE t (s TEXT NOT NULL, b BLOB NOT NULL)");
  {
    Statement insert(db, "INSERT INTO t VALUES (?1, ?2)");
    insert.bind_text(1, std::string_view()).bind_blob(2, std::span<const unsigned char>());
    insert.run();
  }
  Statement select(db, "SELECT typeof(s), typeof(b), length(s), length(b) FROM t");
  ASSERT_TRUE(select.step());
  EXPECT_EQ(select.column_text(0), "text");
  EXPECT_EQ(select.column_text(1), "blob");
  EXPECT_EQ(select.column_int(2), 0);
  EXPECT_EQ(select.column_int(3), 0);
}

TEST(DatabaseError, NamesTheSqliteMessageAndTheFailingSql) {
  TempDir dir;
  Database db(dir.file("catalog.db"));
  const auto lock = db.lock();
  try {
    Statement statement(db, "SELEC 1 FROM nowhere");
    FAIL() << "prepared invalid SQL";
  } catch (const DatabaseError& error) {
    EXPECT_EQ(error.sql(), "SELEC 1 FROM nowhere");
    const std::string what = error.what();
    EXPECT_NE(what.find("syntax error"), std::string::npos) << what;
    EXPECT_NE(what.find("SELEC 1 FROM nowhere"), std::string::npos) << what;
  }
  db.exec("CREATE TABLE t (x INTEGER NOT NULL)");
  Statement insert(db, "INSERT INTO t VALUES (NULL)");
  try {
    insert.run();
    FAIL() << "inserted NULL into a NOT NULL column";
  } catch (const DatabaseError& error) {
    EXPECT_NE(std::string(error.what()).find("NOT NULL"), std::string::npos) << error.what();
    EXPECT_EQ(error.sql(), "INSERT INTO t VALUES (NULL)");
    EXPECT_NE(error.sqlite_code(), 0);
  }
  EXPECT_THROW(db.exec("DROP TABLE nowhere"), DatabaseError);
}

TEST(Transaction, CommitKeepsTheChanges) {
  TempDir dir;
  Database db(dir.file("catalog.db"));
  const auto lock = db.lock();
  db.exec("CREATE TABLE t (x INTEGER)");
  {
    Transaction transaction(db);
    db.exec("INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)");
    transaction.commit();
  }
  EXPECT_EQ(count_rows(db, "t"), 2);
}

TEST(Transaction, RollsBackWhenLeftByAnException) {
  TempDir dir;
  Database db(dir.file("catalog.db"));
  const auto lock = db.lock();
  db.exec("CREATE TABLE t (x INTEGER)");
  try {
    Transaction transaction(db);
    db.exec("INSERT INTO t VALUES (1)");
    throw std::runtime_error("midway");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(count_rows(db, "t"), 0);
  // The connection is usable again (no transaction left open).
  Transaction again(db);
  db.exec("INSERT INTO t VALUES (3)");
  again.commit();
  EXPECT_EQ(count_rows(db, "t"), 1);
}

TEST(Transaction, RollsBackWithoutCommit) {
  TempDir dir;
  Database db(dir.file("catalog.db"));
  const auto lock = db.lock();
  db.exec("CREATE TABLE t (x INTEGER)");
  {
    Transaction transaction(db);
    db.exec("INSERT INTO t VALUES (1)");
  }
  EXPECT_EQ(count_rows(db, "t"), 0);
}

}  // namespace
}  // namespace streamsync::server
