#include "media/media_path.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "media_test_support.hpp"
#include "support/temp_dir.hpp"

namespace streamsync::server {
namespace {

using streamsync::testing::TempDir;
using Kind = MediaPathError::Kind;

class MediaPathTest : public ::testing::Test {
 protected:
  MediaPathTest() {
    testing::write_file(root_.file("videos/abc/720p/seg_000.m4s"), "segment");
    testing::write_file(root_.file("videos/abc/master.m3u8"), "#EXTM3U\n");
    testing::write_file(root_.file("with space.txt"), "x");
    testing::write_file(outside_.file("secret.txt"), "secret");
  }

  std::optional<Kind> error_kind(const std::string& target) const {
    const auto result = resolve_media_path(root_.path(), target);
    if (result) return std::nullopt;
    return result.error().kind;
  }

  TempDir root_;
  TempDir outside_;
};

TEST_F(MediaPathTest, ResolvesFilesInsideTheRoot) {
  const auto file = resolve_media_path(root_.path(), "/media/videos/abc/720p/seg_000.m4s");
  ASSERT_TRUE(file.has_value());
  EXPECT_EQ(*file, std::filesystem::canonical(root_.path() / "videos/abc/720p/seg_000.m4s"));
}

TEST_F(MediaPathTest, DecodesPercentEscapesOnceAndDropsTheQuery) {
  EXPECT_TRUE(resolve_media_path(root_.path(), "/media/with%20space.txt").has_value());
  EXPECT_TRUE(
      resolve_media_path(root_.path(), "/media/videos/abc/master.m3u8?token=1").has_value());
  EXPECT_TRUE(resolve_media_path(root_.path(), "/media/videos%2fabc%2Fmaster.m3u8").has_value());
  // Decoded once: "%252e%252e" names a file literally called "%2e%2e", which is absent.
  EXPECT_EQ(error_kind("/media/%252e%252e/secret.txt"), Kind::not_found);
}

TEST_F(MediaPathTest, RejectsDotSegmentsInEveryDisguise) {
  for (const std::string target :
       {"/media/../secret.txt", "/media/videos/../../secret.txt", "/media/%2e%2e/secret.txt",
        "/media/%2E%2e/secret.txt", "/media/videos/%2E%2e/", "/media/..%2fsecret.txt",
        "/media/..%2Fsecret.txt", "/media/.%2e/secret.txt", "/media/./videos/abc/master.m3u8",
        "/media/videos/abc/.", "/media/videos/abc/.."}) {
    EXPECT_EQ(error_kind(target), Kind::malformed) << target;
  }
}

TEST_F(MediaPathTest, RejectsAbsoluteAndEmptySegments) {
  for (const std::string target : {"/media//etc/passwd", "/media/%2fetc/passwd", "/media/",
                                   "/media/videos//abc/master.m3u8", "/media/videos/abc/"}) {
    EXPECT_EQ(error_kind(target), Kind::malformed) << target;
  }
}

TEST_F(MediaPathTest, RejectsNulBackslashColonAndBadEscapes) {
  const std::string nul_target = std::string("/media/videos/abc/master.m3u8") + '\0' + ".png";
  for (const std::string& target :
       {std::string("/media/videos/abc/master.m3u8%00.png"), nul_target,
        std::string("/media/..\\secret.txt"), std::string("/media/..%5csecret.txt"),
        std::string("/media/videos\\abc\\master.m3u8"), std::string("/media/C:/secret.txt"),
        std::string("/media/abc%"), std::string("/media/abc%2"), std::string("/media/abc%zz")}) {
    EXPECT_EQ(error_kind(target), Kind::malformed) << target;
  }
}

TEST_F(MediaPathTest, RequiresTheMediaPrefix) {
  EXPECT_EQ(error_kind("/api/v1/time"), Kind::malformed);
  EXPECT_EQ(error_kind("/mediax/videos/abc/master.m3u8"), Kind::malformed);
}

TEST_F(MediaPathTest, MissingFilesAndDirectoriesAreNotFound) {
  EXPECT_EQ(error_kind("/media/videos/abc/missing.m4s"), Kind::not_found);
  EXPECT_EQ(error_kind("/media/videos/abc"), Kind::not_found);
  EXPECT_EQ(error_kind("/media/videos/abc/master.m3u8/x"), Kind::not_found);
}

TEST_F(MediaPathTest, SymlinksOutOfTheRootAreNotFound) {
  std::filesystem::create_directory_symlink("/etc", root_.path() / "etc");
  std::filesystem::create_symlink(outside_.path() / "secret.txt", root_.path() / "secret.txt");
  EXPECT_EQ(error_kind("/media/etc/passwd"), Kind::not_found);
  EXPECT_EQ(error_kind("/media/secret.txt"), Kind::not_found);
}

TEST_F(MediaPathTest, SymlinksWithinTheRootAreFollowed) {
  std::filesystem::create_symlink(root_.path() / "videos/abc/master.m3u8",
                                  root_.path() / "latest.m3u8");
  const auto file = resolve_media_path(root_.path(), "/media/latest.m3u8");
  ASSERT_TRUE(file.has_value());
  EXPECT_EQ(file->filename(), "master.m3u8");
}

TEST_F(MediaPathTest, ARootReachedThroughASymlinkStillWorks) {
  TempDir holder;
  std::filesystem::create_directory_symlink(root_.path(), holder.path() / "media");
  EXPECT_TRUE(
      resolve_media_path(holder.path() / "media", "/media/videos/abc/master.m3u8").has_value());
}

TEST(MediaRelativePath, ReturnsTheDecodedRelativePath) {
  const auto relative = media_relative_path("/media/videos/a%20b/x.ts?y=1");
  ASSERT_TRUE(relative.has_value());
  EXPECT_EQ(*relative, std::filesystem::path("videos/a b/x.ts"));
  EXPECT_FALSE(relative->is_absolute());
}

}  // namespace
}  // namespace streamsync::server
