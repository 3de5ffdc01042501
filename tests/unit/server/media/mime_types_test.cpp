#include "media/mime_types.hpp"

#include <gtest/gtest.h>

namespace streamsync::server {
namespace {

TEST(MimeTypes, ContentTypeByExtension) {
  EXPECT_EQ(content_type_for("a/index.m3u8"), "application/vnd.apple.mpegurl");
  EXPECT_EQ(content_type_for("seg.ts"), "video/mp2t");
  EXPECT_EQ(content_type_for("seg.m4s"), "video/iso.segment");
  EXPECT_EQ(content_type_for("init.mp4"), "video/mp4");
  EXPECT_EQ(content_type_for("poster.jpg"), "image/jpeg");
  EXPECT_EQ(content_type_for("poster.jpeg"), "image/jpeg");
  EXPECT_EQ(content_type_for("sprite.png"), "image/png");
  EXPECT_EQ(content_type_for("thumbs.vtt"), "text/vtt");
  EXPECT_EQ(content_type_for("meta.json"), "application/json");
  EXPECT_EQ(content_type_for("notes.txt"), "application/octet-stream");
  EXPECT_EQ(content_type_for("no_extension"), "application/octet-stream");
}

TEST(MimeTypes, ExtensionsAreCaseInsensitive) {
  EXPECT_EQ(content_type_for("POSTER.JPG"), "image/jpeg");
  EXPECT_EQ(content_type_for("Index.M3U8"), "application/vnd.apple.mpegurl");
}

TEST(MimeTypes, SegmentsImagesAndVttAreImmutable) {
  for (const char* file : {"s.ts", "s.m4s", "init.mp4", "p.jpg", "p.jpeg", "p.png", "t.vtt"}) {
    EXPECT_EQ(cache_control_for(file), "public, max-age=31536000, immutable") << file;
  }
}

TEST(MimeTypes, VodPlaylistsAreLongButNotImmutable) {
  EXPECT_EQ(cache_control_for("720p/index.m3u8"), "public, max-age=3600");
}

TEST(MimeTypes, EverythingElseIsShort) {
  EXPECT_EQ(cache_control_for("meta.json"), "public, max-age=10");
  EXPECT_EQ(cache_control_for("other.bin"), "public, max-age=10");
  EXPECT_EQ(kCacheLivePlaylist, "public, max-age=1");
}

}  // namespace
}  // namespace streamsync::server
