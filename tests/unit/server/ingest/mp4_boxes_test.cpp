#include "ingest/mp4_boxes.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "ingest_test_support.hpp"

namespace streamsync::server {
namespace {

std::string box(const std::string& type, std::size_t payload_bytes) {
  const std::size_t size = payload_bytes + 8;
  std::string bytes = {static_cast<char>(size >> 24), static_cast<char>(size >> 16),
                       static_cast<char>(size >> 8), static_cast<char>(size)};
  return bytes + type + std::string(payload_bytes, '\0');
}

Mp4Structure scan(const std::string& bytes) {
  testing::TempDir dir;
  const auto file = dir.path() / "file.mp4";
  std::ofstream(file, std::ios::binary) << bytes;
  return scan_mp4_boxes(file);
}

TEST(Mp4Boxes, AcceptsAWholeFile) {
  const Mp4Structure whole = scan(box("ftyp", 16) + box("mdat", 100) + box("moov", 40));
  EXPECT_TRUE(whole.readable);
  EXPECT_TRUE(whole.moov_seen);
  EXPECT_EQ(whole.cut, "");
}

TEST(Mp4Boxes, ReportsACutBoxAndAMissingMoov) {
  const std::string whole = box("ftyp", 16) + box("mdat", 100) + box("moov", 40);
  const Mp4Structure cut = scan(whole.substr(0, 60));
  EXPECT_FALSE(cut.moov_seen);
  EXPECT_EQ(cut.cut, "the file ends inside its 'mdat' box");

  const Mp4Structure header = scan(whole.substr(0, 24 + 4));
  EXPECT_EQ(header.cut, "the file ends inside a box header");
}

TEST(Mp4Boxes, ReadsSixtyFourBitAndToTheEndSizes) {
  std::string large = {0, 0, 0, 1};
  large += "mdat";
  large += std::string{0, 0, 0, 0, 0, 0, 0, 24} + std::string(8, '\0');
  const Mp4Structure sizes = scan(box("moov", 8) + large + std::string{0, 0, 0, 0} + "free");
  EXPECT_TRUE(sizes.moov_seen);
  EXPECT_EQ(sizes.cut, "");
}

TEST(Mp4Boxes, SaysNothingAboutAMissingFile) {
  EXPECT_FALSE(scan_mp4_boxes("/nonexistent/streamsync.mp4").readable);
}

}  // namespace
}  // namespace streamsync::server
