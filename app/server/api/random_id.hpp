#pragma once

// Identifiers for records the server creates (videos, jobs): a prefix and 16 hex digits
// from the OS's random source, so ids never repeat across restarts and are not guessable.

#include <random>
#include <string>

namespace streamsync::server {

inline std::string random_id(std::string_view prefix) {
  static thread_local std::random_device source;
  const std::uint64_t bits = (static_cast<std::uint64_t>(source()) << 32) ^ source();
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(prefix);
  for (int shift = 60; shift >= 0; shift -= 4) id += kHex[(bits >> shift) & 0xF];
  return id;
}

}  // namespace streamsync::server
