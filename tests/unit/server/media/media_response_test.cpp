#include "media/media_response.hpp"

#include <gtest/gtest.h>

#include <string>

#include "media/gzip.hpp"
#include "media_test_support.hpp"

namespace streamsync::server {
namespace {

using testing::body_of;
using testing::header_of;
using testing::make_request;
using testing::status_of;
using field = beast_http::field;
using verb = beast_http::verb;

const std::string kLive = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.000000,\na.m4s\n";

TEST(MediaResponse, GeneratedPlaylistIsShortLivedWithAContentEtag) {
  Response response = serve_generated_playlist(make_request(verb::get, "/x/live.m3u8"), kLive);
  EXPECT_EQ(status_of(response), 200u);
  EXPECT_EQ(body_of(response), kLive);
  EXPECT_EQ(header_of(response, field::cache_control), "public, max-age=1");
  EXPECT_EQ(header_of(response, field::content_type), "application/vnd.apple.mpegurl");
  EXPECT_EQ(header_of(response, field::vary), "Accept-Encoding");
  EXPECT_EQ(header_of(response, field::last_modified), "");
  EXPECT_EQ(header_of(response, field::access_control_allow_origin), "*");
  const std::string etag = header_of(response, field::etag);
  EXPECT_EQ(etag.size(), 18u);  // 16 hex digits in quotes
  const Response changed =
      serve_generated_playlist(make_request(verb::get, "/x/live.m3u8"), kLive + "b.m4s\n");
  EXPECT_NE(header_of(changed, field::etag), etag);
}

TEST(MediaResponse, GeneratedPlaylistRevalidatesAndHonoursCacheControl) {
  Request request = make_request(verb::get, "/x/live.m3u8");
  const std::string etag = header_of(serve_generated_playlist(request, kLive), field::etag);
  request.set(field::if_none_match, etag);
  Response response = serve_generated_playlist(request, kLive, "no-cache");
  EXPECT_EQ(status_of(response), 304u);
  EXPECT_EQ(header_of(response, field::cache_control), "no-cache");
  EXPECT_EQ(body_of(response), "");
}

TEST(MediaResponse, GeneratedPlaylistIsGzippedWhenAccepted) {
  Request request = make_request(verb::get, "/x/live.m3u8");
  request.set(field::accept_encoding, "gzip");
  Response response = serve_generated_playlist(request, kLive);
  EXPECT_EQ(header_of(response, field::content_encoding), "gzip");
  EXPECT_EQ(gzip_decompress(body_of(response)), kLive);
  EXPECT_NE(header_of(response, field::etag),
            header_of(serve_generated_playlist(make_request(verb::get, "/x"), kLive), field::etag));
}

TEST(MediaResponse, GeneratedPlaylistHeadAndMethods) {
  Response head = serve_generated_playlist(make_request(verb::head, "/x/live.m3u8"), kLive);
  EXPECT_EQ(status_of(head), 200u);
  EXPECT_EQ(header_of(head, field::content_length), std::to_string(kLive.size()));
  EXPECT_EQ(body_of(head), "");
  const Response post = serve_generated_playlist(make_request(verb::post, "/x/live.m3u8"), kLive);
  EXPECT_EQ(status_of(post), 405u);
  EXPECT_EQ(header_of(post, field::allow), "GET, HEAD");
}

TEST(MediaResponse, InMemoryBodiesHonourRanges) {
  const Representation representation{
      "text/plain", kCacheShort, {"\"t\"", std::nullopt}, false, false};
  Request request = make_request(verb::get, "/x");
  request.set(field::range, "bytes=2-4");
  Response partial = serve_in_memory(request, "0123456789", representation);
  EXPECT_EQ(status_of(partial), 206u);
  EXPECT_EQ(header_of(partial, field::content_range), "bytes 2-4/10");
  EXPECT_EQ(body_of(partial), "234");
  request.set(field::range, "bytes=10-");
  const Response unsatisfiable = serve_in_memory(request, "0123456789", representation);
  EXPECT_EQ(status_of(unsatisfiable), 416u);
  EXPECT_EQ(header_of(unsatisfiable, field::content_range), "bytes */10");
}

}  // namespace
}  // namespace streamsync::server
