#pragma once

// Validators (ETag, Last-Modified) and the conditional request headers that use them
// (RFC 9110 §13): what lets a CDN or player revalidate a cached file for the price of a 304.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "http/http_types.hpp"

namespace streamsync::server {

// What identifies one version of a representation.
struct Validators {
  std::string etag;  // strong and quoted, e.g. "\"1f4-17a3b2c4d5e6f708\""
  // Seconds since the Unix epoch, UTC; nullopt for generated content, which has no
  // meaningful modification time and is validated by its ETag alone.
  std::optional<std::int64_t> last_modified_s;
};

// A strong ETag from a file's size and modification time: "\"<size hex>-<mtime ns hex>\"",
// plus "-<suffix>" when suffix is non-empty (a different encoding of the same file, e.g.
// "gz", is a different representation and must not share its strong ETag). Strong is
// sound because ingest never rewrites a file in place: new bytes come with a new mtime.
std::string make_etag(std::uint64_t size_bytes, std::int64_t mtime_ns,
                      std::string_view suffix = {});

// Whether a GET or HEAD of the current representation may be answered 304 Not Modified:
// If-None-Match when present ("*", or any listed tag equal to etag under weak comparison),
// otherwise If-Modified-Since (a valid HTTP-date not earlier than last_modified_s, when there is
// one). A malformed If-None-Match matches nothing; an invalid date is ignored (§13.1.3).
bool is_not_modified(const Request& request, const Validators& current);

// Whether a Range may be honoured given the request's If-Range (true when absent): an
// entity-tag must equal etag under strong comparison (a weak tag never matches); an
// HTTP-date must equal last_modified_s exactly (and never matches without one). Anything else means
// "send it all" (§13.1.5).
bool if_range_allows(const Request& request, const Validators& current);

}  // namespace streamsync::server
