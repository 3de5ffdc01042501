#include "catalog/migrations.hpp"

#include <gtest/gtest.h>

#include <array>
#include <set>
#include <string>

#include "support/temp_dir.hpp"

namespace streamsync::server {
namespace {

using streamsync::testing::TempDir;

std::set<std::string> tables(Database& db) {
  const auto lock = db.lock();
  Statement statement(db, "SELECT name FROM sqlite_schema WHERE type = 'table'");
  std::set<std::string> names;
  while (statement.step()) names.insert(statement.column_text(0));
  return names;
}

int version_of(Database& db) {
  const auto lock = db.lock();
  return schema_version(db);
}

TEST(Migrations, AreNumberedFromOne) {
  EXPECT_GE(latest_schema_version(), 1);
  EXPECT_EQ(static_cast<std::size_t>(latest_schema_version()), migrations().size());
}

TEST(Migrations, ApplyOnceToANewDatabase) {
  TempDir dir;
  Database db(dir.file("catalog.db"));
  EXPECT_EQ(version_of(db), 0);
  const auto result = migrate(db);
  ASSERT_TRUE(result) << result.error();
  EXPECT_EQ(result->from_version, 0);
  EXPECT_EQ(result->to_version, latest_schema_version());
  EXPECT_EQ(version_of(db), latest_schema_version());
  const std::set<std::string> expected = {"videos",   "channels", "schedules", "viewers",
                                          "sessions", "tokens",   "jobs"};
  EXPECT_EQ(tables(db), expected);
}

TEST(Migrations, ReopenIsANoOpAndKeepsTheData) {
  TempDir dir;
  {
    Database db(dir.file("catalog.db"));
    ASSERT_TRUE(migrate(db));
    const auto lock = db.lock();
    db.exec("INSERT INTO viewers VALUES ('v1', 'Ann', 1, 2)");
  }
  Database db(dir.file("catalog.db"));
  const auto again = migrate(db);
  ASSERT_TRUE(again) << again.error();
  EXPECT_EQ(again->from_version, latest_schema_version());
  EXPECT_EQ(again->to_version, latest_schema_version());
  const auto lock = db.lock();
  Statement statement(db, "SELECT display_name FROM viewers WHERE id = 'v1'");
  ASSERT_TRUE(statement.step());
  EXPECT_EQ(statement.column_text(0), "Ann");
}

TEST(Migrations, RefuseANewerDatabaseWithAClearMessage) {
  TempDir dir;
  Database db(dir.file("catalog.db"));
  const int newer = latest_schema_version() + 4;
  {
    const auto lock = db.lock();
    db.exec("PRAGMA user_version = " + std::to_string(newer));
  }
  const auto result = migrate(db);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), "database schema v" + std::to_string(newer) +
                                " is newer than this streamsync-server (v" +
                                std::to_string(latest_schema_version()) + "): upgrade the server");
  EXPECT_EQ(version_of(db), newer);
  EXPECT_TRUE(tables(db).empty());
}

TEST(Migrations, MessageMatchesTheDocumentedExample) {
  TempDir dir;
  Database db(dir.file("catalog.db"));
  {
    const auto lock = db.lock();
    db.exec("PRAGMA user_version = 5");
  }
  constexpr std::array<Migration, 2> kTwo = {
      {{"a", "CREATE TABLE a (x)"}, {"b", "CREATE TABLE b (x)"}}};
  const auto result = migrate(db, kTwo);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(),
            "database schema v5 is newer than this streamsync-server (v2): upgrade the server");
}

TEST(Migrations, ApplyInOrderAndOnlyThoseNotYetApplied) {
  TempDir dir;
  Database db(dir.file("catalog.db"));
  constexpr std::array<Migration, 2> kFirst = {{
      {"a", "CREATE TABLE a (x INTEGER)"},
      {"b", "CREATE TABLE b (x INTEGER); INSERT INTO a VALUES (1)"},
  }};
  ASSERT_TRUE(migrate(db, kFirst));
  EXPECT_EQ(version_of(db), 2);

  // A later binary with one more migration runs only the new one (re-running the first
  // two would fail: their tables exist).
  constexpr std::array<Migration, 3> kSecond = {{
      kFirst[0],
      kFirst[1],
      {"c", "INSERT INTO a VALUES (2)"},
  }};
  const auto result = migrate(db, kSecond);
  ASSERT_TRUE(result) << result.error();
  EXPECT_EQ(result->from_version, 2);
  EXPECT_EQ(result->to_version, 3);
  const auto lock = db.lock();
  Statement statement(db, "SELECT group_concat(x) FROM a");
  statement.step();
  EXPECT_EQ(statement.column_text(0), "1,2");
}

TEST(Migrations, AFailingMigrationLeavesTheLastGoodVersion) {
  TempDir dir;
  Database db(dir.file("catalog.db"));
  constexpr std::array<Migration, 3> kBroken = {{
      {"a", "CREATE TABLE a (x INTEGER)"},
      {"b", "CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1)"},
      {"c", "CREATE TABLE c (x INTEGER)"},
  }};
  EXPECT_THROW((void)migrate(db, kBroken), DatabaseError);
  EXPECT_EQ(version_of(db), 1);
  EXPECT_EQ(tables(db), std::set<std::string>{"a"});  // b's CREATE was rolled back
}

}  // namespace
}  // namespace streamsync::server
