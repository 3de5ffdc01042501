#include "catalog/token_store.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>

#include "catalog/migrations.hpp"
#include "support/temp_dir.hpp"

namespace streamsync::server {
namespace {

using streamsync::testing::TempDir;

bool is_base64url(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

class TokenStoreTest : public ::testing::Test {
 protected:
  TokenStoreTest() { EXPECT_TRUE(migrate(*db_)); }

  TempDir dir_;
  std::optional<Database> db_{std::in_place, dir_.file("catalog.db")};
  TokenStore store_{*db_};
};

TEST_F(TokenStoreTest, CreatedTokenHasTheDocumentedShapeAndVerifies) {
  const CreatedToken token = store_.create("laptop", 1000);
  ASSERT_EQ(token.plaintext.substr(0, 3), "ss_");
  EXPECT_EQ(token.plaintext.size(), 3u + 43u);  // 32 bytes in unpadded base64url
  EXPECT_TRUE(is_base64url(token.plaintext.substr(3))) << token.plaintext;
  EXPECT_FALSE(token.id.empty());
  EXPECT_EQ(store_.verify(token.plaintext), token.id);
  EXPECT_EQ(store_.count_active(), 1);
}

TEST_F(TokenStoreTest, WrongEmptyOrOtherTokensDoNotVerifyAsThisOne) {
  const CreatedToken mine = store_.create("mine", 1);
  const CreatedToken other = store_.create("other", 2);
  std::string wrong = mine.plaintext;
  wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(store_.verify(wrong), std::nullopt);
  EXPECT_EQ(store_.verify(""), std::nullopt);
  EXPECT_EQ(store_.verify("ss_"), std::nullopt);
  EXPECT_EQ(store_.verify(mine.plaintext.substr(0, mine.plaintext.size() - 1)), std::nullopt);
  EXPECT_EQ(store_.verify(mine.plaintext + "x"), std::nullopt);
  EXPECT_EQ(store_.verify(other.plaintext), other.id);
  EXPECT_NE(other.id, mine.id);
}

TEST_F(TokenStoreTest, TwoCreatesGiveDifferentTokens) {
  const CreatedToken a = store_.create("same name", 1);
  const CreatedToken b = store_.create("same name", 1);
  EXPECT_NE(a.id, b.id);
  EXPECT_NE(a.plaintext, b.plaintext);
  EXPECT_EQ(store_.verify(a.plaintext), a.id);
  EXPECT_EQ(store_.verify(b.plaintext), b.id);
}

TEST_F(TokenStoreTest, RevokedTokensNeverVerify) {
  const CreatedToken token = store_.create("laptop", 1000);
  const CreatedToken kept = store_.create("ci", 1001);
  EXPECT_TRUE(store_.revoke(token.id, 5000));
  EXPECT_EQ(store_.verify(token.plaintext), std::nullopt);
  EXPECT_FALSE(store_.revoke(token.id, 6000));  // already revoked: first time kept
  EXPECT_FALSE(store_.revoke("nope", 6000));
  EXPECT_EQ(store_.verify(kept.plaintext), kept.id);
  EXPECT_EQ(store_.count_active(), 1);
  const std::vector<TokenRecord> tokens = store_.list();
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0], (TokenRecord{token.id, "laptop", 1000, 5000}));
  EXPECT_EQ(tokens[1], (TokenRecord{kept.id, "ci", 1001, std::nullopt}));
}

TEST_F(TokenStoreTest, NeitherTheListNorTheDatabaseHoldsTheSecret) {
  const CreatedToken token = store_.create("laptop", 1000);
  const std::string secret = token.plaintext.substr(3);
  for (const TokenRecord& record : store_.list()) {
    EXPECT_EQ(record.name.find(secret), std::string::npos);
    EXPECT_EQ(record.id.find(secret), std::string::npos);
  }
  const auto lock = db_->lock();
  Statement row(*db_, "SELECT id, name, hash, length(hash) FROM tokens");
  ASSERT_TRUE(row.step());
  EXPECT_EQ(row.column_int(3), 32);  // a SHA-256, not the 46-character secret
  for (int column = 0; column < 3; ++column) {
    const std::vector<unsigned char> bytes = row.column_blob(column);
    const std::string text(bytes.begin(), bytes.end());
    EXPECT_EQ(text.find(secret), std::string::npos) << "column " << column;
  }
}

TEST_F(TokenStoreTest, TokensSurviveReopen) {
  const CreatedToken token = store_.create("laptop", 1000);
  db_.reset();
  db_.emplace(dir_.file("catalog.db"));
  EXPECT_EQ(TokenStore(*db_).verify(token.plaintext), token.id);
}

}  // namespace
}  // namespace streamsync::server
