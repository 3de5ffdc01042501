#pragma once

// gzip for playlists: text that shrinks ~5x and that players fetch every few seconds.
// Segments are already compressed and are never gzipped.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace streamsync::server {

// Whether an Accept-Encoding value lets us answer with gzip: "gzip" or "x-gzip" listed
// with q > 0, or, when neither is listed, "*" with q > 0 (RFC 9110 §12.5.3). Coding names
// are case-insensitive; a malformed q reads as 0 (refuse rather than guess).
bool accepts_gzip(std::string_view accept_encoding);

// data as a gzip member (RFC 1952: header, deflate, CRC-32 and size trailer), as zlib's
// deflateInit2 with windowBits 15 + 16 writes it. Throws std::bad_alloc only.
std::string gzip_compress(std::string_view data);

// The bytes inside one gzip member, or nullopt when data is not a complete, valid one.
// max_output bounds the result, so a small hostile input cannot expand without limit.
std::optional<std::string> gzip_decompress(std::string_view data,
                                           std::size_t max_output = 64u << 20);

}  // namespace streamsync::server
