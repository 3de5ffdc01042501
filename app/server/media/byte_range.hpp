#pragma once

// The Range request header (RFC 9110 §14), reduced to what a media origin needs: one byte
// range. Players ask for one range at a time; a multi-range answer (multipart/byteranges)
// buys nothing for media, so such requests get the whole file, as §14.2 allows.

#include <cstdint>
#include <string>
#include <string_view>

namespace streamsync::server {

struct RangeDecision {
  enum class Kind {
    whole,          // no usable Range: send 200 with the whole representation
    partial,        // send 206 with bytes [first, first + length)
    unsatisfiable,  // send 416 with "Content-Range: bytes */<size>"
  };
  Kind kind = Kind::whole;
  std::uint64_t first = 0;   // partial: the first byte sent
  std::uint64_t length = 0;  // partial: how many bytes, >= 1

  friend bool operator==(const RangeDecision&, const RangeDecision&) = default;
};

// What to send for a Range header value against a representation of size bytes.
// Accepted: "bytes=a-b" (b clamped to size-1), "bytes=a-", "bytes=-n" (the last n bytes,
// or all when n >= size); the unit is case-insensitive and whitespace around the spec is
// tolerated. Unsatisfiable: a >= size, or n == 0, or any range when size == 0.
// Ignored (whole): an empty header, another unit, several ranges, b < a, or anything
// else malformed. Numbers too large for uint64 saturate, which keeps their meaning.
RangeDecision decide_range(std::string_view range_header, std::uint64_t size);

// "bytes <first>-<last>/<size>" for a partial decision.
std::string content_range(const RangeDecision& partial, std::uint64_t size);

}  // namespace streamsync::server
