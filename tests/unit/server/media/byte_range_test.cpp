#include "media/byte_range.hpp"

#include <gtest/gtest.h>

namespace streamsync::server {
namespace {

using Kind = RangeDecision::Kind;

RangeDecision partial(std::uint64_t first, std::uint64_t length) {
  return {Kind::partial, first, length};
}

const RangeDecision kWhole{};
const RangeDecision kUnsatisfiable{Kind::unsatisfiable, 0, 0};

TEST(ByteRange, ClosedRange) {
  EXPECT_EQ(decide_range("bytes=0-99", 1000), partial(0, 100));
  EXPECT_EQ(decide_range("bytes=10-10", 1000), partial(10, 1));
  EXPECT_EQ(decide_range("bytes=900-5000", 1000), partial(900, 100));  // clamped
  EXPECT_EQ(decide_range(" Bytes = 5 - 9 ", 1000), partial(5, 5));
}

TEST(ByteRange, OpenRange) {
  EXPECT_EQ(decide_range("bytes=100-", 1000), partial(100, 900));
  EXPECT_EQ(decide_range("bytes=999-", 1000), partial(999, 1));
  EXPECT_EQ(decide_range("bytes=0-", 1), partial(0, 1));
}

TEST(ByteRange, SuffixRange) {
  EXPECT_EQ(decide_range("bytes=-100", 1000), partial(900, 100));
  EXPECT_EQ(decide_range("bytes=-5000", 1000), partial(0, 1000));
}

TEST(ByteRange, Unsatisfiable) {
  EXPECT_EQ(decide_range("bytes=1000-", 1000), kUnsatisfiable);
  EXPECT_EQ(decide_range("bytes=1000-2000", 1000), kUnsatisfiable);
  EXPECT_EQ(decide_range("bytes=-0", 1000), kUnsatisfiable);
  EXPECT_EQ(decide_range("bytes=0-", 0), kUnsatisfiable);
  EXPECT_EQ(decide_range("bytes=-10", 0), kUnsatisfiable);
  EXPECT_EQ(decide_range("bytes=99999999999999999999999-", 1000), kUnsatisfiable);
}

TEST(ByteRange, IgnoresMultiAndMalformedRanges) {
  for (const char* header :
       {"", "bytes=0-1,5-6", "bytes=0-1, -5", "items=0-1", "bytes", "bytes=", "bytes=-",
        "bytes=a-b", "bytes=5-1", "bytes=1-2-3", "bytes=+1-2", "bytes=0x10-"}) {
    EXPECT_EQ(decide_range(header, 1000), kWhole) << header;
  }
}

TEST(ByteRange, ContentRangeNamesTheLastByte) {
  EXPECT_EQ(content_range(partial(900, 100), 1000), "bytes 900-999/1000");
  EXPECT_EQ(content_range(partial(0, 1), 1), "bytes 0-0/1");
}

}  // namespace
}  // namespace streamsync::server
