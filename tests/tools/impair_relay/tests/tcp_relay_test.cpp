// The real streamsync-impair-relay binary on loopback, TCP side: LoopbackPeers' echo server
// behind it. Checks that a jittery, lossy path never corrupts or reorders a byte stream, that
// the bandwidth cap is the transfer rate, and that delay shows in request/reply round trips.

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <functional>
#include <random>
#include <string>

#include "impair_relay/steady_time.hpp"
#include "loopback_peers.hpp"
#include "relay_process.hpp"
#include "udp_probe.hpp"

namespace streamsync::impair::testing {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

std::vector<std::string> tcp_relay_args(const LoopbackPeers& peers, std::vector<std::string> extra) {
  std::vector<std::string> args{"--tcp", "127.0.0.1:0=127.0.0.1:" + std::to_string(peers.tcp_port()),
                                "--control", "127.0.0.1:0", "--seed", "1"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

std::vector<char> random_bytes(std::size_t count) {
  std::mt19937_64 random(2024);
  std::vector<char> bytes(count);
  for (auto& byte : bytes) byte = static_cast<char>(random() & 0xff);
  return bytes;
}

struct Transfer {
  std::vector<char> received;
  std::int64_t first_byte_us = 0;
  std::int64_t last_byte_us = 0;
  std::size_t first_read_bytes = 0;
};

// Sends `payload` through the relay to the echo and reads until the echo's end of stream,
// sending and receiving at once (one thread, Asio), as a real client would.
Transfer echo_through(std::uint16_t port, const std::vector<char>& payload) {
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(asio::ip::address_v4::loopback(), port));
  asio::async_write(socket, asio::buffer(payload), [&](const boost::system::error_code& ec, std::size_t) {
    if (!ec) socket.shutdown(tcp::socket::shutdown_send);
  });
  Transfer transfer;
  std::array<char, 64 * 1024> buffer{};
  std::function<void()> read = [&] {
    socket.async_read_some(asio::buffer(buffer), [&](const boost::system::error_code& ec, std::size_t bytes) {
      if (ec) return;
      const std::int64_t now_us = steady_now_us();
      if (transfer.received.empty()) {
        transfer.first_byte_us = now_us;
        transfer.first_read_bytes = bytes;
      }
      transfer.last_byte_us = now_us;
      transfer.received.insert(transfer.received.end(), buffer.begin(),
                               buffer.begin() + static_cast<std::ptrdiff_t>(bytes));
      read();
    });
  };
  read();
  io.run_for(30s);
  return transfer;
}

TEST(TcpRelay, DeliversAByteStreamIntactThroughJitterAndLoss) {
  LoopbackPeers peers;
  auto relay = RelayProcess::start(tcp_relay_args(peers, {"--delay-ms", "5", "--jitter-ms", "10", "--loss", "0.01"}));
  ASSERT_TRUE(relay);
  const auto payload = random_bytes(5 * 1024 * 1024);
  const Transfer transfer = echo_through(relay->tcp_port(), payload);
  ASSERT_EQ(transfer.received.size(), payload.size());
  // Not EXPECT_EQ on the vectors: a mismatch should print where, not 5 MB.
  const auto mismatch = std::mismatch(payload.begin(), payload.end(), transfer.received.begin());
  EXPECT_TRUE(mismatch.first == payload.end())
      << "first difference at byte " << (mismatch.first - payload.begin());
  const auto result = relay->stop();
  EXPECT_EQ(result.exit_code, 0) << result.describe() << relay->stderr_text();
}

TEST(TcpRelay, TransfersAtTheBandwidthCap) {
  LoopbackPeers peers;
  // 8000 kbit/s = 1 MB/s each way; the echo's reply stream is paced by both directions.
  auto relay = RelayProcess::start(tcp_relay_args(peers, {"--bandwidth-kbps", "8000"}));
  ASSERT_TRUE(relay);
  const auto payload = random_bytes(1'500'000);
  const Transfer transfer = echo_through(relay->tcp_port(), payload);
  ASSERT_EQ(transfer.received.size(), payload.size());
  // From the first byte back to the last: the bytes after the first read over that time.
  const double seconds = static_cast<double>(transfer.last_byte_us - transfer.first_byte_us) / 1e6;
  const double rate_bytes_per_s =
      static_cast<double>(transfer.received.size() - transfer.first_read_bytes) / seconds;
  EXPECT_NEAR(rate_bytes_per_s / 1'000'000, 1.0, 0.2) << rate_bytes_per_s << " B/s";
}

// Median time of `count` one-byte request/reply exchanges on one connection.
double median_round_trip_ms(std::uint16_t port, int count) {
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(asio::ip::address_v4::loopback(), port));
  socket.set_option(tcp::no_delay(true));
  std::vector<std::int64_t> round_trips_us;
  for (int i = 0; i < count; ++i) {
    char byte = static_cast<char>('a' + i % 26);
    const std::int64_t sent_us = steady_now_us();
    asio::write(socket, asio::buffer(&byte, 1));
    asio::read(socket, asio::buffer(&byte, 1));
    round_trips_us.push_back(steady_now_us() - sent_us);
  }
  return static_cast<double>(percentile_us(round_trips_us, 50)) / 1000.0;
}

TEST(TcpRelay, AddsTheConfiguredDelayToRequestAndReply) {
  LoopbackPeers peers;
  auto relay = RelayProcess::start(tcp_relay_args(peers, {}));
  ASSERT_TRUE(relay);
  const double baseline_ms = median_round_trip_ms(relay->tcp_port(), 15);
  ASSERT_TRUE(relay->control("set delay-ms=30").starts_with("ok"));
  const double delayed_ms = median_round_trip_ms(relay->tcp_port(), 15);
  EXPECT_NEAR(delayed_ms - baseline_ms, 60, 10);
}

}  // namespace
}  // namespace streamsync::impair::testing
