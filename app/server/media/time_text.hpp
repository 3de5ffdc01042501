#pragma once

// Times as text, in the two forms the media origin speaks: HTTP-date (RFC 9110 §5.6.7) for
// Last-Modified / If-Modified-Since / If-Range, and ISO 8601 UTC for HLS
// EXT-X-PROGRAM-DATE-TIME. Pure calendar maths (no gmtime/timegm, no locale).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace streamsync::server {

// IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT", of unix_seconds (seconds since the Unix
// epoch, UTC). Years 0000..9999 only; outside that the text would not parse back.
std::string format_http_date(std::int64_t unix_seconds);

// Seconds since the Unix epoch of an HTTP-date in any of the three forms a recipient must
// accept (RFC 9110 §5.6.7): IMF-fixdate, obsolete RFC 850 ("Sunday, 06-Nov-94 08:49:37 GMT",
// two-digit years read as 1970..2069) and asctime ("Sun Nov  6 08:49:37 1994"). nullopt for
// anything else, including out-of-range fields; the weekday name is checked for form only.
std::optional<std::int64_t> parse_http_date(std::string_view text);

// ISO 8601 UTC with milliseconds, e.g. "2023-11-14T22:13:20.123Z", of unix_us (µs since the
// Unix epoch). Sub-millisecond digits are truncated toward the past (floor), so a time
// never prints later than it is.
std::string format_iso8601_ms(std::int64_t unix_us);

}  // namespace streamsync::server
