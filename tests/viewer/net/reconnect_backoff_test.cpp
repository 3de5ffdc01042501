#include "net/reconnect_backoff.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace streamsync::viewer {
namespace {

TEST(ReconnectBackoff, DoublesFromHalfASecondUpToTenSeconds) {
  ReconnectBackoff backoff;
  std::vector<std::int64_t> delays_us;
  for (int i = 0; i < 8; ++i) delays_us.push_back(backoff.next_delay_us(0.0));
  EXPECT_EQ(delays_us, (std::vector<std::int64_t>{500'000, 1'000'000, 2'000'000, 4'000'000,
                                                  8'000'000, 10'000'000, 10'000'000, 10'000'000}));
}

TEST(ReconnectBackoff, JitterAddsUpToAQuarter) {
  ReconnectBackoff backoff;
  EXPECT_EQ(backoff.next_delay_us(0.9), 612'500);
  EXPECT_EQ(backoff.next_delay_us(0.5), 1'125'000);
  EXPECT_EQ(backoff.next_delay_us(7.0), 2'500'000);  // draws outside [0, 1) are clamped
}

TEST(ReconnectBackoff, ResetStartsOver) {
  ReconnectBackoff backoff;
  for (int i = 0; i < 5; ++i) backoff.next_delay_us(0.0);
  backoff.reset();
  EXPECT_EQ(backoff.next_delay_us(0.0), 500'000);
}

}  // namespace
}  // namespace streamsync::viewer
