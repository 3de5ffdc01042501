#include "media/hls_playlist.hpp"

#include <gtest/gtest.h>

#include <string>

#include "media_test_support.hpp"

namespace streamsync::server {
namespace {

std::string fixture(const std::string& name) {
  return testing::read_file(std::string(STREAMSYNC_TEST_DATA_DIR) + "/media/" + name);
}

PlaylistError media_error(std::string_view text) {
  const auto parsed = parse_media_playlist(text);
  EXPECT_FALSE(parsed.has_value()) << text;
  return parsed ? PlaylistError{} : parsed.error();
}

PlaylistError master_error(std::string_view text) {
  const auto parsed = parse_master_playlist(text);
  EXPECT_FALSE(parsed.has_value()) << text;
  return parsed ? PlaylistError{} : parsed.error();
}

TEST(HlsPlaylist, ParsesAnFmp4VodPlaylist) {
  const auto playlist = parse_media_playlist(fixture("vod_fmp4.m3u8"));
  ASSERT_TRUE(playlist.has_value()) << playlist.error().message;
  EXPECT_EQ(playlist->target_duration_s, 2);
  EXPECT_EQ(playlist->map_uri, "init.mp4");
  ASSERT_EQ(playlist->segments.size(), 3u);
  EXPECT_EQ(playlist->segments[0].duration_us, 2'000'000);
  EXPECT_EQ(playlist->segments[2].duration_us, 1'500'000);
  EXPECT_EQ(playlist->segments[2].uri, "seg_002.m4s");
  EXPECT_TRUE(playlist->end_list);
  EXPECT_EQ(playlist->duration_us(), 5'500'000);
}

TEST(HlsPlaylist, ParsesCrlfTitlesCommentsAndExactDurations) {
  const auto playlist = parse_media_playlist(fixture("vod_ts.m3u8"));
  ASSERT_TRUE(playlist.has_value()) << playlist.error().message;
  EXPECT_EQ(playlist->target_duration_s, 7);
  EXPECT_FALSE(playlist->map_uri.has_value());
  EXPECT_FALSE(playlist->end_list);
  ASSERT_EQ(playlist->segments.size(), 3u);
  EXPECT_EQ(playlist->segments[0].duration_us, 6'006'000);
  EXPECT_EQ(playlist->segments[0].uri, "seg0.ts");
  EXPECT_EQ(playlist->segments[1].duration_us, 6'006'000);  // 7th decimal rounds
  EXPECT_EQ(playlist->segments[2].duration_us, 100'000);    // exact, not 99'999
  EXPECT_EQ(playlist->segments[2].uri, "https://cdn.example/seg2.ts");
}

TEST(HlsPlaylist, AcceptsAByteOrderMark) {
  EXPECT_TRUE(
      parse_media_playlist("\xEF\xBB\xBF#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\na.ts\n")
          .has_value());
}

TEST(HlsPlaylist, RefusesMalformedMediaPlaylistsWithTheLine) {
  EXPECT_EQ(media_error("#EXT-X-TARGETDURATION:2\n"),
            (PlaylistError{1, "a playlist starts with #EXTM3U"}));
  EXPECT_EQ(media_error("#EXTM3U\n#EXT-X-TARGETDURATION:2\na.ts\n").line, 3u);
  EXPECT_EQ(media_error("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:abc,\na.ts\n").line, 3u);
  EXPECT_EQ(media_error("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:-1,\na.ts\n").line, 3u);
  EXPECT_EQ(media_error("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:1,\n#EXTINF:1,\na.ts\n").line,
            4u);
  EXPECT_EQ(media_error("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:1,\n").line, 3u);
  EXPECT_EQ(media_error("#EXTM3U\n#EXT-X-TARGETDURATION:x\n").line, 2u);
  EXPECT_EQ(media_error("#EXTM3U\n#EXT-X-TARGETDURATION:0\n").line, 2u);
  EXPECT_EQ(media_error("#EXTM3U\n#EXTINF:1,\na.ts\n"),
            (PlaylistError{0, "missing EXT-X-TARGETDURATION"}));
  EXPECT_EQ(media_error("#EXTM3U\n#EXT-X-TARGETDURATION:2\n").line, 0u);
  EXPECT_EQ(media_error("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MAP:URI=init.mp4\n").line, 3u);
  EXPECT_EQ(media_error("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MAP:URI=\"init.mp4\n").line, 3u);
  EXPECT_EQ(
      media_error("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MAP:URI=\"a\",BYTERANGE=\"1@0\"\n")
          .line,
      3u);
  EXPECT_EQ(
      media_error("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MAP:URI=\"a\"\n#EXTINF:1,\nx.m4s\n"
                  "#EXT-X-MAP:URI=\"b\"\n")
          .line,
      6u);
  EXPECT_EQ(
      media_error("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:1,\n#EXT-X-BYTERANGE:10@0\na.ts\n")
          .line,
      4u);
  EXPECT_FALSE(media_error("#EXTM3U\n#EXT-X-TARGETDURATION:2\na.ts\n").message.empty());
}

TEST(HlsPlaylist, ParsesAMasterPlaylist) {
  const auto master = parse_master_playlist(fixture("master.m3u8"));
  ASSERT_TRUE(master.has_value()) << master.error().message;
  ASSERT_EQ(master->variants.size(), 3u);
  const VariantStream& top = master->variants[0];
  EXPECT_EQ(top.bandwidth, 5'605'600);
  EXPECT_EQ(top.average_bandwidth, 5'000'000);
  ASSERT_TRUE(top.resolution.has_value());
  EXPECT_EQ(top.resolution->width, 1920);
  EXPECT_EQ(top.resolution->height, 1080);
  EXPECT_DOUBLE_EQ(top.frame_rate.value_or(0), 29.97);
  EXPECT_EQ(top.codecs, "avc1.640028,mp4a.40.2");
  EXPECT_EQ(top.uri, "1080p/index.m3u8");
  EXPECT_EQ(master->variants[1].codecs, "avc1.64001f,mp4a.40.2");  // CODECS before BANDWIDTH
  EXPECT_EQ(master->variants[1].uri, "720p/index.m3u8");           // past a comment
  EXPECT_FALSE(master->variants[2].resolution.has_value());
  EXPECT_FALSE(master->variants[2].frame_rate.has_value());
  EXPECT_EQ(master->variants[2].codecs, "");
}

TEST(HlsPlaylist, RefusesMalformedMasterPlaylistsWithTheLine) {
  EXPECT_EQ(master_error("#EXTM3U\n#EXT-X-STREAM-INF:RESOLUTION=1x1\na.m3u8\n").line, 2u);
  EXPECT_EQ(master_error("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=abc\na.m3u8\n").line, 2u);
  EXPECT_EQ(master_error("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,RESOLUTION=big\na\n").line, 2u);
  EXPECT_EQ(master_error("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,FRAME-RATE=fast\na\n").line, 2u);
  EXPECT_EQ(master_error("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS=avc1\na\n").line, 2u);
  EXPECT_EQ(master_error("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS=\"avc1\n").line, 2u);
  EXPECT_EQ(master_error("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n").line, 2u);
  EXPECT_EQ(
      master_error("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n#EXT-X-STREAM-INF:BANDWIDTH=2\na\n")
          .line,
      3u);
  EXPECT_EQ(master_error("#EXTM3U\nloose.m3u8\n").line, 2u);
  EXPECT_EQ(master_error("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:1,\na.ts\n").line, 3u);
  EXPECT_EQ(master_error("#EXTM3U\n").line, 0u);
  EXPECT_EQ(master_error("not a playlist\n").line, 1u);
}

}  // namespace
}  // namespace streamsync::server
