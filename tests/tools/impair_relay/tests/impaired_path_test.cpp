#include "impair_relay/impaired_path.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace streamsync::impair {
namespace {

Impairments both(LinkImpairment link) {
  return Impairments{link, link};
}

TEST(ImpairedPath, DelaysDatagramsPerDirection) {
  Impairments impairments;
  impairments.up.delay_ms = 40;
  ImpairedPath path(impairments, 1);
  EXPECT_EQ(path.datagram_release_us(Direction::up, 1'000, 48), 41'000);
  EXPECT_EQ(path.datagram_release_us(Direction::down, 1'000, 48), 1'000);
}

TEST(ImpairedPath, DropsTheConfiguredFractionOfDatagrams) {
  ImpairedPath path(both({0, 0, 0.05, 0}), 11);
  const int n = 20'000;
  int dropped = 0;
  for (int i = 0; i < n; ++i) dropped += path.datagram_release_us(Direction::up, i, 48) ? 0 : 1;
  EXPECT_NEAR(dropped, n * 0.05, 5 * std::sqrt(n * 0.05 * 0.95));
  EXPECT_EQ(path.counters(Direction::up).datagrams, static_cast<std::uint64_t>(n));
  EXPECT_EQ(path.counters(Direction::up).datagrams_dropped, static_cast<std::uint64_t>(dropped));
  EXPECT_EQ(path.counters(Direction::down).datagrams, 0u);
}

TEST(ImpairedPath, TcpChunksAreNeverLostButRetransmittedLate) {
  ImpairedPath path(both({10, 0, 1, 0}), 1);  // every chunk "lost"
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(path.chunk_release_us(Direction::down, 0, 1000), 10'000 + kTcpRetransmitTimeout_us);
  }
  EXPECT_EQ(path.counters(Direction::down).tcp_retransmits, 100u);
  EXPECT_EQ(path.counters(Direction::down).tcp_bytes, 100'000u);
}

TEST(ImpairedPath, ACutDropsDatagramsUntilRestored) {
  ImpairedPath path(both({}), 1);
  path.set_cut(true);
  EXPECT_FALSE(path.datagram_release_us(Direction::up, 0, 48));
  EXPECT_FALSE(path.datagram_release_us(Direction::down, 0, 48));
  path.set_cut(false);
  EXPECT_TRUE(path.datagram_release_us(Direction::up, 0, 48));
}

TEST(ImpairedPath, BandwidthQueuesDatagramsThenDropsPastTheQueueLimit) {
  ImpairedPath path(both({0, 0, 0, 8'000}), 1);  // 1 MB/s, 10 kB burst
  // 1000-byte datagrams all at t=0: the first 10 leave at once, then one per ms, and once
  // the queue is kUdpQueueLimit_us long the rest are dropped.
  int sent = 0;
  std::int64_t last_release_us = 0;
  for (int i = 0; i < 1000; ++i) {
    if (const auto release_us = path.datagram_release_us(Direction::up, 0, 1000)) {
      ++sent;
      last_release_us = *release_us;
    }
  }
  EXPECT_NEAR(static_cast<double>(last_release_us), static_cast<double>(kUdpQueueLimit_us), 1'000);
  EXPECT_NEAR(sent, 10 + static_cast<double>(kUdpQueueLimit_us) / 1'000, 2);
  EXPECT_EQ(path.queue_backlog_us(Direction::down, 0), 0);  // the other direction is idle
}

TEST(ImpairedPath, TcpChunksQueueBehindTheCapAndReportTheBacklog) {
  ImpairedPath path(both({5, 0, 0, 8'000}), 1);
  EXPECT_EQ(path.chunk_release_us(Direction::up, 0, 10'000), 5'000);  // the burst
  EXPECT_EQ(path.chunk_release_us(Direction::up, 0, 16'000), 16'000 + 5'000);
  EXPECT_EQ(path.queue_backlog_us(Direction::up, 0), 16'000);
}

TEST(ImpairedPath, NewSettingsApplyToLaterPackets) {
  ImpairedPath path(both({}), 1);
  EXPECT_EQ(path.datagram_release_us(Direction::up, 0, 48), 0);
  path.apply(both({80, 0, 0, 0}));
  EXPECT_DOUBLE_EQ(path.settings().down.delay_ms, 80);
  EXPECT_EQ(path.datagram_release_us(Direction::up, 0, 48), 80'000);
}

}  // namespace
}  // namespace streamsync::impair
