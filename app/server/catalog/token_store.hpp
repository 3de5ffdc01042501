#pragma once

// TokenStore: the bearer tokens presenters authenticate with (DESIGN.md §5). A token's
// secret is shown once, when it is created; only its SHA-256 is stored, so a copy of the
// database does not let anyone in.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/database.hpp"

namespace streamsync::server {

// What a token looks like in lists: everything but the secret.
struct TokenRecord {
  std::string id;
  std::string name;  // the operator's label ("laptop", "ci")
  std::int64_t created_at_us = 0;
  std::optional<std::int64_t> revoked_at_us;  // nullopt while the token is usable

  friend bool operator==(const TokenRecord&, const TokenRecord&) = default;
};

// A token as created: the only time the secret is in the open.
struct CreatedToken {
  std::string id;
  std::string plaintext;  // "ss_" + base64url (no padding) of 32 random bytes
};

// Thread-safe: every method takes the Database's lock. Throws DatabaseError on SQLite
// failures and std::runtime_error if the system cannot supply random bytes.
class TokenStore {
 public:
  explicit TokenStore(Database& db) : db_(db) {}

  // Makes a new token from OpenSSL's CSPRNG and stores its hash.
  CreatedToken create(std::string_view name, std::int64_t now_us);
  // The id of the unrevoked token whose secret is plaintext; nullopt for anything else
  // (empty, malformed, unknown, revoked). Takes the same time whichever token matches.
  std::optional<std::string> verify(std::string_view plaintext);
  // All tokens, oldest first (ties by id); never the secrets.
  std::vector<TokenRecord> list();
  // Revokes the token at now_us; false if the id is unknown or it was already revoked
  // (its first revocation time is kept).
  bool revoke(std::string_view id, std::int64_t now_us);
  // How many tokens can still be used (e.g. to decide whether to create one at start-up).
  std::int64_t count_active();

 private:
  Database& db_;
};

}  // namespace streamsync::server
