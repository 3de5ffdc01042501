#include "http/file_slice.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>

#include "media_test_support.hpp"
#include "support/temp_dir.hpp"

namespace streamsync::server {
namespace {

using streamsync::testing::TempDir;

TEST(FileSlice, ReadsOnlyTheNarrowedRange) {
  TempDir dir;
  const auto file = testing::write_file(dir.file("digits.bin"), "0123456789");
  FileSlice slice;
  boost::beast::error_code ec;
  slice.open(file.string().c_str(), boost::beast::file_mode::read, ec);
  ASSERT_FALSE(ec);
  EXPECT_EQ(slice.size(ec), 10u);
  slice.narrow(3, 4, ec);
  ASSERT_FALSE(ec);
  EXPECT_EQ(slice.size(ec), 4u);
  std::array<char, 16> buffer{};
  EXPECT_EQ(slice.read(buffer.data(), buffer.size(), ec), 4u);
  EXPECT_EQ(std::string(buffer.data(), 4), "3456");
  EXPECT_EQ(slice.pos(ec), 4u);
  EXPECT_EQ(slice.read(buffer.data(), buffer.size(), ec), 0u);  // nothing past the slice
  slice.seek(2, ec);
  EXPECT_EQ(slice.read(buffer.data(), 1, ec), 1u);
  EXPECT_EQ(buffer[0], '5');
}

TEST(FileSlice, StreamsThroughBasicFileBody) {
  TempDir dir;
  const auto file = testing::write_file(dir.file("digits.bin"), "0123456789");
  FileSlice slice;
  boost::beast::error_code ec;
  slice.open(file.string().c_str(), boost::beast::file_mode::read, ec);
  slice.narrow(7, 3, ec);
  Response response = RangeFileResponse{beast_http::status::partial_content, 11};
  std::get<RangeFileResponse>(response).body().reset(std::move(slice), ec);
  ASSERT_FALSE(ec);
  std::get<RangeFileResponse>(response).prepare_payload();
  EXPECT_EQ(testing::header_of(response, beast_http::field::content_length), "3");
  EXPECT_EQ(testing::body_of(response), "789");
}

TEST(FileSlice, RefusesWrites) {
  FileSlice slice;
  boost::beast::error_code ec;
  EXPECT_EQ(slice.write("x", 1, ec), 0u);
  EXPECT_TRUE(ec);
}

}  // namespace
}  // namespace streamsync::server
