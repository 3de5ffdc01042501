#include "media/media_handler.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "media/gzip.hpp"
#include "media/time_text.hpp"
#include "media_test_support.hpp"
#include "support/temp_dir.hpp"

namespace streamsync::server {
namespace {

using streamsync::testing::TempDir;
using testing::body_of;
using testing::header_of;
using testing::make_request;
using testing::status_of;
using field = beast_http::field;
using verb = beast_http::verb;

constexpr std::int64_t kMtimeSeconds = 1'700'000'000;  // Tue, 14 Nov 2023 22:13:20 GMT
const std::string kSegment = "0123456789abcdefghijklmnopqrstuvwxyz";  // 36 bytes
const std::string kPlaylist = [] {
  std::string text = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n";
  for (int i = 0; i < 200; ++i) text += "#EXTINF:2.000000,\nseg_" + std::to_string(i) + ".m4s\n";
  return text + "#EXT-X-ENDLIST\n";
}();

class MediaHandlerTest : public ::testing::Test {
 protected:
  MediaHandlerTest() {
    for (const auto& [name, bytes] :
         {std::pair{"v/720p/seg_000.m4s", kSegment}, std::pair{"v/720p/index.m3u8", kPlaylist},
          std::pair{"v/thumbs.vtt", std::string("WEBVTT\n")},
          std::pair{"v/meta.json", std::string("{}")}}) {
      const auto file = testing::write_file(root_.file(name), bytes);
      std::filesystem::last_write_time(
          file, std::chrono::file_clock::from_sys(
                    std::chrono::sys_seconds{std::chrono::seconds{kMtimeSeconds}}));
    }
  }

  Response get(std::string_view target, verb method = verb::get) const {
    return serve_media_file(root_.path(), make_request(method, target));
  }
  Response get_with(std::string_view target, field name, std::string_view value,
                    verb method = verb::get) const {
    Request request = make_request(method, target);
    request.set(name, value);
    return serve_media_file(root_.path(), request);
  }

  TempDir root_;
  TempDir outside_;
};

constexpr std::string_view kSegmentTarget = "/media/v/720p/seg_000.m4s";

TEST_F(MediaHandlerTest, ServesAFileFromDiskWithCacheHeaders) {
  Response response = get(kSegmentTarget);
  ASSERT_TRUE(std::holds_alternative<FileResponse>(response));
  EXPECT_EQ(status_of(response), 200u);
  EXPECT_EQ(body_of(response), kSegment);
  EXPECT_EQ(header_of(response, field::content_length), "36");
  EXPECT_EQ(header_of(response, field::content_type), "video/iso.segment");
  EXPECT_EQ(header_of(response, field::cache_control), "public, max-age=31536000, immutable");
  EXPECT_EQ(header_of(response, field::etag), "\"24-17979cfe362a0000\"");
  EXPECT_EQ(header_of(response, field::last_modified), "Tue, 14 Nov 2023 22:13:20 GMT");
  EXPECT_EQ(header_of(response, field::accept_ranges), "bytes");
  EXPECT_EQ(header_of(response, field::access_control_allow_origin), "*");
  EXPECT_EQ(header_of(response, field::access_control_expose_headers),
            "Content-Length, Content-Range, ETag");
  EXPECT_EQ(header_of(response, field::vary), "");
}

TEST_F(MediaHandlerTest, ContentTypeAndCacheControlFollowTheExtension) {
  const Response playlist = get("/media/v/720p/index.m3u8");
  EXPECT_EQ(header_of(playlist, field::content_type), "application/vnd.apple.mpegurl");
  EXPECT_EQ(header_of(playlist, field::cache_control), "public, max-age=3600");
  EXPECT_EQ(header_of(playlist, field::vary), "Accept-Encoding");
  const Response vtt = get("/media/v/thumbs.vtt");
  EXPECT_EQ(header_of(vtt, field::content_type), "text/vtt");
  EXPECT_EQ(header_of(vtt, field::cache_control), "public, max-age=31536000, immutable");
  const Response json = get("/media/v/meta.json");
  EXPECT_EQ(header_of(json, field::content_type), "application/json");
  EXPECT_EQ(header_of(json, field::cache_control), "public, max-age=10");
}

TEST_F(MediaHandlerTest, HeadSendsTheHeadersOfGetWithoutABody) {
  Response head = get(kSegmentTarget, verb::head);
  const Response full = get(kSegmentTarget);
  EXPECT_EQ(status_of(head), 200u);
  for (const field name : {field::content_length, field::content_type, field::cache_control,
                           field::etag, field::last_modified, field::accept_ranges}) {
    EXPECT_EQ(header_of(head, name), header_of(full, name));
  }
  EXPECT_EQ(body_of(head), "");
}

TEST_F(MediaHandlerTest, TraversalAttemptsNeverLeaveTheRoot) {
  testing::write_file(outside_.file("secret.txt"), "secret");
  std::filesystem::create_directory_symlink("/etc", root_.path() / "etc");
  const std::string nul = std::string("/media/v/meta.json") + '\0';
  for (const std::string& target :
       {std::string("/media/../secret.txt"), std::string("/media/%2e%2e/secret.txt"),
        std::string("/media/%2E%2e/secret.txt"), std::string("/media/..%2fsecret.txt"),
        std::string("/media//etc/passwd"), std::string("/media/v/meta.json%00"), nul,
        std::string("/media/..\\secret.txt"), std::string("/media/etc/passwd"),
        std::string("/media/v/../../") + outside_.path().filename().string() + "/secret.txt"}) {
    Response response = get(target);
    const unsigned status = status_of(response);
    EXPECT_TRUE(status == 400u || status == 404u) << target << " -> " << status;
    EXPECT_EQ(body_of(response).find("secret"), std::string::npos) << target;
    EXPECT_EQ(body_of(response).find("root:"), std::string::npos) << target;
  }
  EXPECT_EQ(status_of(get("/media/etc/passwd")), 404u);
  EXPECT_EQ(status_of(get("/media/%2e%2e/secret.txt")), 400u);
}

TEST_F(MediaHandlerTest, MissingFilesAndDirectoriesAre404WithJsonErrors) {
  Response missing = get("/media/v/720p/nope.m4s");
  EXPECT_EQ(status_of(missing), 404u);
  EXPECT_NE(body_of(missing).find("\"not_found\""), std::string::npos);
  EXPECT_EQ(header_of(missing, field::access_control_allow_origin), "*");
  EXPECT_EQ(status_of(get("/media/v/720p")), 404u);
}

TEST_F(MediaHandlerTest, OtherMethodsAre405WithAllow) {
  for (const verb method : {verb::post, verb::put, verb::delete_, verb::options, verb::patch}) {
    const Response response = get(kSegmentTarget, method);
    EXPECT_EQ(status_of(response), 405u);
    EXPECT_EQ(header_of(response, field::allow), "GET, HEAD");
  }
}

TEST_F(MediaHandlerTest, MatchingEtagGives304WithoutBody) {
  const std::string etag = header_of(get(kSegmentTarget), field::etag);
  for (const std::string& value : {etag, "W/" + etag, "\"x\", " + etag, std::string("*")}) {
    Response response = get_with(kSegmentTarget, field::if_none_match, value);
    EXPECT_EQ(status_of(response), 304u) << value;
    EXPECT_EQ(header_of(response, field::etag), etag);
    EXPECT_EQ(header_of(response, field::content_length), "");
    EXPECT_EQ(body_of(response), "");
  }
  EXPECT_EQ(status_of(get_with(kSegmentTarget, field::if_none_match, "\"stale\"")), 200u);
  EXPECT_EQ(status_of(get_with(kSegmentTarget, field::if_none_match, etag, verb::head)), 304u);
}

TEST_F(MediaHandlerTest, IfModifiedSinceGives304WhenNotNewer) {
  EXPECT_EQ(status_of(get_with(kSegmentTarget, field::if_modified_since,
                               "Tue, 14 Nov 2023 22:13:20 GMT")),
            304u);
  EXPECT_EQ(status_of(get_with(kSegmentTarget, field::if_modified_since,
                               "Tue, 14 Nov 2023 22:13:19 GMT")),
            200u);
}

TEST_F(MediaHandlerTest, ServesTheThreeRangeFormsFromDisk) {
  struct Case {
    const char* range;
    const char* content_range;
    std::string body;
  };
  for (const Case& c : {Case{"bytes=0-9", "bytes 0-9/36", kSegment.substr(0, 10)},
                        Case{"bytes=30-", "bytes 30-35/36", kSegment.substr(30)},
                        Case{"bytes=-4", "bytes 32-35/36", kSegment.substr(32)},
                        Case{"bytes=10-1000", "bytes 10-35/36", kSegment.substr(10)}}) {
    Response response = get_with(kSegmentTarget, field::range, c.range);
    ASSERT_TRUE(std::holds_alternative<RangeFileResponse>(response)) << c.range;
    EXPECT_EQ(status_of(response), 206u);
    EXPECT_EQ(header_of(response, field::content_range), c.content_range);
    EXPECT_EQ(header_of(response, field::content_length), std::to_string(c.body.size()));
    EXPECT_EQ(body_of(response), c.body) << c.range;
  }
}

TEST_F(MediaHandlerTest, HeadOfARangeSendsItsHeaders) {
  Response response = get_with(kSegmentTarget, field::range, "bytes=-4", verb::head);
  EXPECT_EQ(status_of(response), 206u);
  EXPECT_EQ(header_of(response, field::content_range), "bytes 32-35/36");
  EXPECT_EQ(header_of(response, field::content_length), "4");
  EXPECT_EQ(body_of(response), "");
}

TEST_F(MediaHandlerTest, UnsatisfiableRangeIs416WithTheSize) {
  for (const char* range : {"bytes=36-", "bytes=100-200", "bytes=-0"}) {
    const Response response = get_with(kSegmentTarget, field::range, range);
    EXPECT_EQ(status_of(response), 416u) << range;
    EXPECT_EQ(header_of(response, field::content_range), "bytes */36");
  }
}

TEST_F(MediaHandlerTest, MultiAndMalformedRangesGetTheWholeFile) {
  for (const char* range : {"bytes=0-1,4-5", "bytes=5-2", "pages=1-2", "bytes=x-"}) {
    Response response = get_with(kSegmentTarget, field::range, range);
    EXPECT_EQ(status_of(response), 200u) << range;
    EXPECT_EQ(body_of(response), kSegment);
  }
}

TEST_F(MediaHandlerTest, IfRangeHonoursTheRangeOnlyForTheCurrentFile) {
  const std::string etag = header_of(get(kSegmentTarget), field::etag);
  Request request = make_request(verb::get, kSegmentTarget);
  request.set(field::range, "bytes=0-3");
  request.set(field::if_range, etag);
  EXPECT_EQ(status_of(serve_media_file(root_.path(), request)), 206u);
  request.set(field::if_range, "\"older\"");
  EXPECT_EQ(status_of(serve_media_file(root_.path(), request)), 200u);
  request.set(field::if_range, "Tue, 14 Nov 2023 22:13:20 GMT");
  EXPECT_EQ(status_of(serve_media_file(root_.path(), request)), 206u);
}

TEST_F(MediaHandlerTest, GzipsPlaylistsWhenAccepted) {
  Response response = get_with("/media/v/720p/index.m3u8", field::accept_encoding, "br, gzip");
  ASSERT_TRUE(std::holds_alternative<StringResponse>(response));
  EXPECT_EQ(status_of(response), 200u);
  EXPECT_EQ(header_of(response, field::content_encoding), "gzip");
  EXPECT_EQ(header_of(response, field::vary), "Accept-Encoding");
  const std::string compressed = body_of(response);
  EXPECT_LT(compressed.size(), kPlaylist.size() / 4);
  EXPECT_EQ(header_of(response, field::content_length), std::to_string(compressed.size()));
  EXPECT_EQ(gzip_decompress(compressed), kPlaylist);
  // Another representation: another strong ETag, and it revalidates on its own.
  const std::string etag = header_of(response, field::etag);
  EXPECT_NE(etag, header_of(get("/media/v/720p/index.m3u8"), field::etag));
  Request revalidate = make_request(verb::get, "/media/v/720p/index.m3u8");
  revalidate.set(field::accept_encoding, "gzip");
  revalidate.set(field::if_none_match, etag);
  EXPECT_EQ(status_of(serve_media_file(root_.path(), revalidate)), 304u);
}

TEST_F(MediaHandlerTest, DoesNotGzipWhenRefusedOrForSegments) {
  Response refused = get_with("/media/v/720p/index.m3u8", field::accept_encoding, "gzip;q=0");
  EXPECT_TRUE(std::holds_alternative<FileResponse>(refused));
  EXPECT_EQ(header_of(refused, field::content_encoding), "");
  EXPECT_EQ(body_of(refused), kPlaylist);
  const Response segment = get_with(kSegmentTarget, field::accept_encoding, "gzip");
  EXPECT_TRUE(std::holds_alternative<FileResponse>(segment));
  EXPECT_EQ(header_of(segment, field::content_encoding), "");
}

TEST_F(MediaHandlerTest, LargeFilesAreStreamedNotLoaded) {
  constexpr std::uint64_t kSize = 50ull << 20;
  const auto file = root_.path() / "v/big.mp4";
  { std::ofstream create(file, std::ios::binary); }
  std::filesystem::resize_file(file, kSize);  // sparse: no 50 MB written
  {
    std::fstream patch(file, std::ios::in | std::ios::out | std::ios::binary);
    patch.seekp(30 << 20);
    patch.write("MARK", 4);
  }
  const Response whole = get("/media/v/big.mp4");
  ASSERT_TRUE(std::holds_alternative<FileResponse>(whole));
  EXPECT_EQ(std::get<FileResponse>(whole).body().size(), kSize);
  EXPECT_EQ(header_of(whole, field::content_length), std::to_string(kSize));

  Response range = get_with("/media/v/big.mp4", field::range, "bytes=31457278-31457285");
  ASSERT_TRUE(std::holds_alternative<RangeFileResponse>(range));
  EXPECT_EQ(std::get<RangeFileResponse>(range).body().size(), 8u);
  EXPECT_EQ(body_of(range), std::string("\0\0MARK\0\0", 8));
  const Response tail = get_with("/media/v/big.mp4", field::range, "bytes=1000-");
  ASSERT_TRUE(std::holds_alternative<RangeFileResponse>(tail));
  EXPECT_EQ(std::get<RangeFileResponse>(tail).body().size(), kSize - 1000);
}

TEST_F(MediaHandlerTest, KeepsTheRequestsVersionAndKeepAlive) {
  Request request = make_request(verb::get, kSegmentTarget);
  request.version(10);
  request.keep_alive(false);
  const Response response = serve_media_file(root_.path(), request);
  EXPECT_EQ(std::get<FileResponse>(response).version(), 10u);
  EXPECT_FALSE(std::get<FileResponse>(response).keep_alive());
}

}  // namespace
}  // namespace streamsync::server
