#include "process/output_stream.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace streamsync::server {
namespace {

struct Collected {
  std::vector<std::string> lines;
  OutputStream::LineHandler handler() {
    return [this](std::string_view line) { lines.emplace_back(line); };
  }
};

TEST(OutputStream, SplitsLinesAcrossChunks) {
  Collected got;
  OutputStream stream(got.handler(), 1024, 1024);
  stream.append("one\ntw");
  stream.append("o\nthree");
  EXPECT_EQ(got.lines, (std::vector<std::string>{"one", "two"}));
  stream.finish();
  EXPECT_EQ(got.lines, (std::vector<std::string>{"one", "two", "three"}));
}

TEST(OutputStream, AcceptsLfCrLfAndLoneCr) {
  Collected got;
  OutputStream stream(got.handler(), 1024, 1024);
  stream.append("a\r\nb\rc\n\nd\r");
  stream.append("\ne\n");  // "\r" | "\n" split across chunks is still one terminator
  stream.finish();
  EXPECT_EQ(got.lines, (std::vector<std::string>{"a", "b", "c", "", "d", "e"}));
}

TEST(OutputStream, SplitsOverlongLinesIntoPieces) {
  Collected got;
  OutputStream stream(got.handler(), 4, 1024);
  stream.append("abcdefghij\n");
  stream.append("wxyz\n");  // exactly max_line_bytes: one line
  stream.finish();
  EXPECT_EQ(got.lines, (std::vector<std::string>{"abcd", "efgh", "ij", "wxyz"}));
}

TEST(OutputStream, FinishWithoutPartialLineDeliversNothing) {
  Collected got;
  OutputStream stream(got.handler(), 1024, 1024);
  stream.append("x\n");
  stream.finish();
  EXPECT_EQ(got.lines, (std::vector<std::string>{"x"}));
}

TEST(OutputStream, KeepsWholeShortStreamAsTail) {
  OutputStream stream(nullptr, 1024, 100);
  stream.append("first\n");
  stream.append("second\n");
  EXPECT_EQ(stream.tail(), "first\nsecond\n");
}

TEST(OutputStream, TailIsBoundedAndStartsAtALine) {
  OutputStream stream(nullptr, 1024, 16);
  for (int i = 0; i < 1000; ++i) stream.append("line " + std::to_string(i) + "\n");
  const std::string tail = stream.tail();
  EXPECT_LE(tail.size(), 16u);
  EXPECT_EQ(tail, "line 999\n");
}

TEST(OutputStream, TailOfOneHugeChunk) {
  OutputStream stream(nullptr, 1024, 8);
  stream.append(std::string(100'000, 'z') + "end\n");
  EXPECT_EQ(stream.tail(), "zzzzend\n");  // no line start inside: kept as it is
}

TEST(OutputStream, ZeroTailKeepsNothing) {
  OutputStream stream(nullptr, 1024, 0);
  stream.append("abc\n");
  EXPECT_EQ(stream.tail(), "");
}

}  // namespace
}  // namespace streamsync::server
