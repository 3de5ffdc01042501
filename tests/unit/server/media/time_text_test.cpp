#include "media/time_text.hpp"

#include <gtest/gtest.h>

namespace streamsync::server {
namespace {

constexpr std::int64_t kRfcExample = 784'111'777;  // Sun, 06 Nov 1994 08:49:37 GMT

TEST(TimeText, FormatsImfFixdate) {
  EXPECT_EQ(format_http_date(kRfcExample), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(format_http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(format_http_date(951'782'400), "Tue, 29 Feb 2000 00:00:00 GMT");
}

TEST(TimeText, ParsesAllThreeHttpDateForms) {
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), kRfcExample);
  EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), kRfcExample);
  EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994"), kRfcExample);
}

TEST(TimeText, RoundTripsHttpDates) {
  for (const std::int64_t seconds :
       {std::int64_t{0}, kRfcExample, std::int64_t{1'700'000'000}, std::int64_t{4'102'444'799}}) {
    EXPECT_EQ(parse_http_date(format_http_date(seconds)), seconds);
  }
}

TEST(TimeText, RefusesMalformedHttpDates) {
  for (const char* text :
       {"", "yesterday", "Sun, 06 Nov 1994 08:49:37", "Sun, 6 Nov 1994 08:49:37 GMT",
        "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT",
        "Sun, 06 Xyz 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT trailing", "1700000000"}) {
    EXPECT_FALSE(parse_http_date(text).has_value()) << text;
  }
}

TEST(TimeText, FormatsIso8601WithMilliseconds) {
  EXPECT_EQ(format_iso8601_ms(1'700'000'000'123'456), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(format_iso8601_ms(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_iso8601_ms(999), "1970-01-01T00:00:00.000Z");  // truncated, not rounded
  EXPECT_EQ(format_iso8601_ms(-1), "1969-12-31T23:59:59.999Z");   // floor, before the epoch
}

}  // namespace
}  // namespace streamsync::server
