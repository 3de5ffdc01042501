#include "media/conditional_request.hpp"

#include <gtest/gtest.h>

#include "media/time_text.hpp"
#include "media_test_support.hpp"

namespace streamsync::server {
namespace {

constexpr std::int64_t kModified = 1'700'000'000;

const Validators kCurrent{make_etag(500, 0x17a3b2c4d5e6f708), kModified};

Request with(beast_http::field field, std::string_view value) {
  Request request = testing::make_request(beast_http::verb::get, "/media/x.ts");
  request.set(field, value);
  return request;
}

TEST(ConditionalRequest, EtagIsStrongSizeAndMtimeInHex) {
  EXPECT_EQ(make_etag(500, 0x17a3b2c4d5e6f708), "\"1f4-17a3b2c4d5e6f708\"");
  EXPECT_EQ(make_etag(500, 0x10, "gz"), "\"1f4-10-gz\"");
  EXPECT_NE(make_etag(500, 1), make_etag(500, 2));
  EXPECT_NE(make_etag(500, 1), make_etag(501, 1));
}

TEST(ConditionalRequest, IfNoneMatchUsesWeakComparisonOverAList) {
  const std::string etag = kCurrent.etag;
  EXPECT_TRUE(is_not_modified(with(beast_http::field::if_none_match, etag), kCurrent));
  EXPECT_TRUE(is_not_modified(with(beast_http::field::if_none_match, "W/" + etag), kCurrent));
  EXPECT_TRUE(
      is_not_modified(with(beast_http::field::if_none_match, "\"a\", \"b,c\" ," + etag), kCurrent));
  EXPECT_TRUE(is_not_modified(with(beast_http::field::if_none_match, "*"), kCurrent));
  EXPECT_FALSE(is_not_modified(with(beast_http::field::if_none_match, "\"other\""), kCurrent));
  EXPECT_FALSE(is_not_modified(with(beast_http::field::if_none_match, "garbage"), kCurrent));
  EXPECT_FALSE(is_not_modified(testing::make_request(beast_http::verb::get, "/"), kCurrent));
}

TEST(ConditionalRequest, IfModifiedSinceComparesSeconds) {
  EXPECT_TRUE(is_not_modified(
      with(beast_http::field::if_modified_since, format_http_date(kModified)), kCurrent));
  EXPECT_TRUE(is_not_modified(
      with(beast_http::field::if_modified_since, format_http_date(kModified + 60)), kCurrent));
  EXPECT_FALSE(is_not_modified(
      with(beast_http::field::if_modified_since, format_http_date(kModified - 1)), kCurrent));
  EXPECT_FALSE(is_not_modified(with(beast_http::field::if_modified_since, "not a date"), kCurrent));
}

TEST(ConditionalRequest, IfNoneMatchTakesPrecedenceOverIfModifiedSince) {
  Request request = with(beast_http::field::if_none_match, "\"other\"");
  request.set(beast_http::field::if_modified_since, format_http_date(kModified + 60));
  EXPECT_FALSE(is_not_modified(request, kCurrent));
}

TEST(ConditionalRequest, GeneratedContentHasNoDateToCompare) {
  const Validators generated{"\"abc\"", std::nullopt};
  EXPECT_FALSE(is_not_modified(
      with(beast_http::field::if_modified_since, format_http_date(kModified)), generated));
  EXPECT_FALSE(
      if_range_allows(with(beast_http::field::if_range, format_http_date(kModified)), generated));
}

TEST(ConditionalRequest, IfRangeNeedsAStrongMatch) {
  EXPECT_TRUE(if_range_allows(testing::make_request(beast_http::verb::get, "/"), kCurrent));
  EXPECT_TRUE(if_range_allows(with(beast_http::field::if_range, kCurrent.etag), kCurrent));
  EXPECT_FALSE(if_range_allows(with(beast_http::field::if_range, "W/" + kCurrent.etag), kCurrent));
  EXPECT_FALSE(if_range_allows(with(beast_http::field::if_range, "\"other\""), kCurrent));
  EXPECT_TRUE(
      if_range_allows(with(beast_http::field::if_range, format_http_date(kModified)), kCurrent));
  EXPECT_FALSE(if_range_allows(with(beast_http::field::if_range, format_http_date(kModified + 1)),
                               kCurrent));
  EXPECT_FALSE(if_range_allows(with(beast_http::field::if_range, "junk"), kCurrent));
}

}  // namespace
}  // namespace streamsync::server
