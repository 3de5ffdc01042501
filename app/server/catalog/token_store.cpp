#include "catalog/token_store.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <cstddef>
#include <span>
#include <stdexcept>

namespace streamsync::server {
namespace {

constexpr std::size_t kSecretBytes = 32;  // 256 bits: beyond guessing, even online
constexpr std::size_t kIdBytes = 8;
constexpr std::string_view kTokenPrefix = "ss_";  // makes leaked tokens easy to grep for

using Hash = std::array<unsigned char, 32>;  // SHA-256

template <std::size_t N>
std::array<unsigned char, N> random_bytes() {
  std::array<unsigned char, N> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("OpenSSL RAND_bytes failed: no secure randomness for a token");
  }
  return bytes;
}

std::string base64url(std::span<const unsigned char> bytes) {
  std::string text(4 * ((bytes.size() + 2) / 3) + 1, '\0');  // + the NUL EVP writes
  const int size = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()), bytes.data(),
                                   static_cast<int>(bytes.size()));
  text.resize(static_cast<std::size_t>(size));
  while (!text.empty() && text.back() == '=') text.pop_back();
  for (char& c : text) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return text;
}

std::string hex(std::span<const unsigned char> bytes) {
  constexpr std::string_view kDigits = "0123456789abcdef";
  std::string text;
  for (const unsigned char byte : bytes) {
    text += kDigits[byte >> 4];
    text += kDigits[byte & 0x0f];
  }
  return text;
}

Hash sha256(std::string_view text) {
  Hash hash{};
  unsigned int size = 0;
  if (EVP_Digest(text.data(), text.size(), hash.data(), &size, EVP_sha256(), nullptr) != 1 ||
      size != hash.size()) {
    throw std::runtime_error("OpenSSL SHA-256 failed");
  }
  return hash;
}

}  // namespace

CreatedToken TokenStore::create(std::string_view name, std::int64_t now_us) {
  CreatedToken token{hex(random_bytes<kIdBytes>()),
                     std::string(kTokenPrefix) + base64url(random_bytes<kSecretBytes>())};
  const Hash hash = sha256(token.plaintext);
  const auto lock = db_.lock();
  Statement statement(db_,
                      "INSERT INTO tokens (id, name, hash, created_at_us) VALUES (?1, ?2, ?3, ?4)");
  statement.bind_text(1, token.id).bind_text(2, name).bind_blob(3, hash).bind_int(4, now_us);
  statement.run();
  return token;
}

std::optional<std::string> TokenStore::verify(std::string_view plaintext) {
  if (plaintext.empty()) return std::nullopt;
  const Hash candidate = sha256(plaintext);
  const auto lock = db_.lock();
  // Compare against every usable token, in constant time and without stopping at a match,
  // rather than look the hash up by index: nothing about the secrets then shows in how
  // long an answer takes. There are a handful of presenter tokens, so the scan is cheap.
  Statement statement(db_, "SELECT id, hash FROM tokens WHERE revoked_at_us IS NULL");
  std::optional<std::string> match;
  while (statement.step()) {
    const std::vector<unsigned char> stored = statement.column_blob(1);
    if (stored.size() == candidate.size() &&
        CRYPTO_memcmp(stored.data(), candidate.data(), candidate.size()) == 0) {
      match = statement.column_text(0);
    }
  }
  return match;
}

std::vector<TokenRecord> TokenStore::list() {
  const auto lock = db_.lock();
  Statement statement(db_,
                      "SELECT id, name, created_at_us, revoked_at_us FROM tokens "
                      "ORDER BY created_at_us, id");
  std::vector<TokenRecord> tokens;
  while (statement.step()) {
    tokens.push_back({statement.column_text(0), statement.column_text(1), statement.column_int(2),
                      statement.column_optional_int(3)});
  }
  return tokens;
}

bool TokenStore::revoke(std::string_view id, std::int64_t now_us) {
  const auto lock = db_.lock();
  Statement statement(
      db_, "UPDATE tokens SET revoked_at_us = ?2 WHERE id = ?1 AND revoked_at_us IS NULL");
  statement.bind_text(1, id).bind_int(2, now_us);
  statement.run();
  return db_.changes() > 0;
}

std::int64_t TokenStore::count_active() {
  const auto lock = db_.lock();
  Statement statement(db_, "SELECT count(*) FROM tokens WHERE revoked_at_us IS NULL");
  statement.step();
  return statement.column_int(0);
}

}  // namespace streamsync::server
