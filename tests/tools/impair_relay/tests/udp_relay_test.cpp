// The real streamsync-impair-relay binary on loopback, UDP side: a LoopbackPeers echo
// server behind it, timestamped probes in front. Delays are checked as differences against
// a run without delay in the same test, so a loaded machine's own latency cancels out.

#include <gtest/gtest.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <cmath>
#include <string>
#include <thread>

#include "loopback_peers.hpp"
#include "relay_process.hpp"
#include "udp_probe.hpp"

namespace streamsync::impair::testing {
namespace {

namespace asio = boost::asio;
using udp = asio::ip::udp;
using namespace std::chrono_literals;

std::vector<std::string> udp_relay_args(const LoopbackPeers& peers, std::vector<std::string> extra) {
  std::vector<std::string> args{"--udp", "127.0.0.1:0=127.0.0.1:" + std::to_string(peers.udp_port()),
                                "--control", "127.0.0.1:0", "--seed", "1"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

double median_ms(const std::vector<Probe>& probes, std::int64_t (Probe::*field)() const) {
  return static_cast<double>(percentile_us(answered_values_us(probes, field), 50)) / 1000.0;
}

TEST(UdpRelay, AddsTheConfiguredDelayToTheRoundTrip) {
  LoopbackPeers peers;
  auto relay = RelayProcess::start(udp_relay_args(peers, {}));
  ASSERT_TRUE(relay);
  const ProbePlan plan{200, 1, 5ms, 500ms};
  const auto baseline = probe_udp(relay->udp_port(), plan);
  ASSERT_GE(answered_count(baseline), 195u);

  ASSERT_TRUE(relay->control("set delay-ms=50 jitter-ms=10").starts_with("ok"));
  const auto delayed = probe_udp(relay->udp_port(), plan);
  ASSERT_GE(answered_count(delayed), 195u);

  // 50 ms each way: the round trip grows by 100 ms. The median of 200 round trips with
  // σ = 14 ms moves by about 1 ms from run to run; 15 ms is room for a loaded machine.
  EXPECT_NEAR(median_ms(delayed, &Probe::round_trip_us) - median_ms(baseline, &Probe::round_trip_us),
              100, 15);
  EXPECT_NEAR(median_ms(delayed, &Probe::up_us) - median_ms(baseline, &Probe::up_us), 50, 10);
  EXPECT_NEAR(median_ms(delayed, &Probe::down_us) - median_ms(baseline, &Probe::down_us), 50, 10);
  // Jitter shows: the interquartile range of a normal distribution is 1.35 σ, and the
  // round trip's σ is 10 ms · √2 = 14 ms: about 19 ms.
  const auto round_trips_us = answered_values_us(delayed, &Probe::round_trip_us);
  const double iqr_ms =
      static_cast<double>(percentile_us(round_trips_us, 75) - percentile_us(round_trips_us, 25)) / 1000.0;
  EXPECT_GT(iqr_ms, 12);
  EXPECT_LT(iqr_ms, 35);

  const auto result = relay->stop();
  EXPECT_EQ(result.exit_code, 0) << result.describe() << relay->stderr_text();
}

TEST(UdpRelay, DropsTheConfiguredFraction) {
  LoopbackPeers peers;
  auto relay = RelayProcess::start(udp_relay_args(peers, {"--loss", "0.02"}));
  ASSERT_TRUE(relay);
  const std::size_t n = 2000;
  const auto probes = probe_udp(relay->udp_port(), ProbePlan{n, 4, 1ms, 1000ms});
  const double lost = static_cast<double>(n - answered_count(probes));
  // A probe survives both directions with probability 0.98²: binomial loss, 5 σ either way.
  const double q = 1 - 0.98 * 0.98;
  EXPECT_NEAR(lost, static_cast<double>(n) * q, 5 * std::sqrt(static_cast<double>(n) * q * (1 - q)));

  // And every lost probe was dropped by the relay's loss draw, not by anything else.
  const std::string status = relay->control("status");
  const auto counter = [&](const std::string& name) {
    const auto at = status.find(name + "=");
    return at == std::string::npos ? -1.0 : std::stod(status.substr(at + name.size() + 1));
  };
  EXPECT_EQ(counter("up_datagrams"), static_cast<double>(n)) << status;
  EXPECT_EQ(counter("up_dropped") + counter("down_dropped"), lost) << status;
}

TEST(UdpRelay, DelaysEachDirectionOnItsOwn) {
  LoopbackPeers peers;
  auto relay = RelayProcess::start(udp_relay_args(peers, {"--up-delay-ms", "40", "--down-delay-ms", "0"}));
  ASSERT_TRUE(relay);
  const ProbePlan plan{100, 1, 5ms, 500ms};
  const auto asymmetric = probe_udp(relay->udp_port(), plan);
  ASSERT_TRUE(relay->control("set up-delay-ms=0").starts_with("ok"));
  const auto baseline = probe_udp(relay->udp_port(), plan);
  ASSERT_GE(answered_count(asymmetric), 98u);
  ASSERT_GE(answered_count(baseline), 98u);

  EXPECT_NEAR(median_ms(asymmetric, &Probe::round_trip_us) - median_ms(baseline, &Probe::round_trip_us),
              40, 10);
  EXPECT_NEAR(median_ms(asymmetric, &Probe::up_us) - median_ms(baseline, &Probe::up_us), 40, 8);
  EXPECT_NEAR(median_ms(asymmetric, &Probe::down_us) - median_ms(baseline, &Probe::down_us), 0, 8);
}

// One request/reply from `socket` through the relay; "" when no reply came within 2 s.
std::string exchange(asio::io_context& io, udp::socket& socket, std::uint16_t port,
                     const std::string& payload) {
  socket.send_to(asio::buffer(payload), udp::endpoint(asio::ip::address_v4::loopback(), port));
  std::array<char, 256> reply{};
  std::size_t reply_bytes = 0;
  socket.async_receive(asio::buffer(reply), [&](const boost::system::error_code& ec, std::size_t bytes) {
    if (!ec) reply_bytes = bytes;
  });
  io.restart();
  io.run_for(2s);
  if (reply_bytes == 0) socket.cancel();
  io.run();  // the cancelled receive's handler
  // The echo appended its 8-byte arrival time.
  return reply_bytes >= 8 ? std::string(reply.data(), reply_bytes - 8) : "";
}

TEST(UdpRelay, KeepsASessionPerClient) {
  LoopbackPeers peers;
  auto relay = RelayProcess::start(udp_relay_args(peers, {}));
  ASSERT_TRUE(relay);
  asio::io_context io;
  udp::socket alice(io, udp::endpoint(udp::v4(), 0));
  udp::socket bob(io, udp::endpoint(udp::v4(), 0));
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(exchange(io, alice, relay->udp_port(), "alice " + std::to_string(i)), "alice " + std::to_string(i));
    EXPECT_EQ(exchange(io, bob, relay->udp_port(), "bob " + std::to_string(i)), "bob " + std::to_string(i));
  }
  // The target saw two clients (two upstream sockets), each one all along.
  const auto sources = peers.udp_sources();
  ASSERT_EQ(sources.size(), 6u);
  EXPECT_NE(sources[0], sources[1]);
  for (std::size_t i = 2; i < sources.size(); ++i) EXPECT_EQ(sources[i], sources[i % 2]);
}

TEST(UdpRelay, ExpiresIdleSessions) {
  LoopbackPeers peers;
  auto relay = RelayProcess::start(udp_relay_args(peers, {"--udp-idle-s", "1"}));
  ASSERT_TRUE(relay);
  asio::io_context io;
  udp::socket client(io, udp::endpoint(udp::v4(), 0));
  // Active: one datagram every 300 ms keeps the session (and its upstream socket).
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(exchange(io, client, relay->udp_port(), "ping"), "ping");
    std::this_thread::sleep_for(300ms);
  }
  // Idle past the timeout (1 s, checked every 250 ms): the next datagram opens a new session.
  std::this_thread::sleep_for(1600ms);
  ASSERT_EQ(exchange(io, client, relay->udp_port(), "ping"), "ping");
  const auto sources = peers.udp_sources();
  ASSERT_EQ(sources.size(), 6u);
  for (std::size_t i = 1; i < 5; ++i) EXPECT_EQ(sources[i], sources[0]);
  EXPECT_NE(sources[5], sources[0]);
}

}  // namespace
}  // namespace streamsync::impair::testing
