#include "media/gzip.hpp"

#include <gtest/gtest.h>

#include <string>

namespace streamsync::server {
namespace {

TEST(Gzip, AcceptsGzipWithPositiveQ) {
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("gzip, deflate, br"));
  EXPECT_TRUE(accepts_gzip("br;q=1.0, GZIP;q=0.5"));
  EXPECT_TRUE(accepts_gzip("x-gzip"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_TRUE(accepts_gzip("gzip;q=0.001"));
}

TEST(Gzip, RefusesGzipWithZeroQOrAbsent) {
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("identity"));
  EXPECT_FALSE(accepts_gzip("br, deflate"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip; q=0.000"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0, *"));  // an explicit refusal beats the wildcard
  EXPECT_FALSE(accepts_gzip("*;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip;q=abc"));
  EXPECT_FALSE(accepts_gzip("gzipx"));
}

TEST(Gzip, RoundTripsAndWritesAGzipHeader) {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "#EXTINF:2.000000,\nseg_" + std::to_string(i) + ".m4s\n";
  const std::string compressed = gzip_compress(text);
  ASSERT_GE(compressed.size(), 18u);
  EXPECT_EQ(static_cast<unsigned char>(compressed[0]), 0x1f);  // RFC 1952 magic
  EXPECT_EQ(static_cast<unsigned char>(compressed[1]), 0x8b);
  EXPECT_LT(compressed.size(), text.size() / 4);
  EXPECT_EQ(gzip_decompress(compressed), text);
  EXPECT_EQ(gzip_decompress(gzip_compress("")), "");
}

TEST(Gzip, DecompressRefusesDamagedInput) {
  const std::string compressed = gzip_compress("hello, playlist");
  EXPECT_FALSE(gzip_decompress(compressed.substr(0, compressed.size() - 4)).has_value());
  EXPECT_FALSE(gzip_decompress("not gzip at all").has_value());
  EXPECT_FALSE(gzip_decompress(compressed + "x").has_value());
  EXPECT_FALSE(gzip_decompress(gzip_compress(std::string(100'000, 'a')), 1'000).has_value());
}

}  // namespace
}  // namespace streamsync::server
