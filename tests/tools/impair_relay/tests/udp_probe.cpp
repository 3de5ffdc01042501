#include "udp_probe.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cmath>
#include <cstring>
#include <functional>

#include "impair_relay/steady_time.hpp"

namespace streamsync::impair::testing {

namespace asio = boost::asio;
using udp = asio::ip::udp;

namespace {

// A probe datagram: its sequence number, padded to a size like an NTP packet's; the echo
// appends its arrival time.
constexpr std::size_t kProbeBytes = 48;

}  // namespace

std::vector<Probe> probe_udp(std::uint16_t port, const ProbePlan& plan) {
  asio::io_context io;
  udp::socket socket(io, udp::endpoint(udp::v4(), 0));
  const udp::endpoint relay(asio::ip::address_v4::loopback(), port);
  std::vector<Probe> probes(plan.count);

  std::array<char, 256> reply{};
  std::function<void()> receive = [&] {
    socket.async_receive(asio::buffer(reply), [&](const boost::system::error_code& ec, std::size_t bytes) {
      if (ec == asio::error::operation_aborted) return;
      if (!ec && bytes == kProbeBytes + 8) {
        std::uint64_t sequence = 0;
        std::int64_t echoed_us = 0;
        std::memcpy(&sequence, reply.data(), sizeof sequence);
        std::memcpy(&echoed_us, reply.data() + kProbeBytes, sizeof echoed_us);
        if (sequence < probes.size()) {
          probes[sequence].echoed_us = echoed_us;
          probes[sequence].received_us = steady_now_us();
        }
      }
      receive();
    });
  };
  receive();

  asio::steady_timer pacer(io);
  std::size_t next = 0;
  std::function<void()> send_batch = [&] {
    for (std::size_t i = 0; i < plan.per_tick && next < probes.size(); ++i, ++next) {
      std::array<char, kProbeBytes> datagram{};
      const std::uint64_t sequence = next;
      std::memcpy(datagram.data(), &sequence, sizeof sequence);
      probes[next].sent_us = steady_now_us();
      boost::system::error_code ignored;
      socket.send_to(asio::buffer(datagram), relay, 0, ignored);
    }
    if (next < probes.size()) {
      pacer.expires_after(plan.tick);
      pacer.async_wait([&](const boost::system::error_code& ec) {
        if (!ec) send_batch();
      });
    } else {
      pacer.expires_after(plan.linger);
      pacer.async_wait([&](const boost::system::error_code&) { io.stop(); });
    }
  };
  send_batch();
  io.run();
  return probes;
}

std::size_t answered_count(const std::vector<Probe>& probes) {
  return static_cast<std::size_t>(
      std::count_if(probes.begin(), probes.end(), [](const Probe& probe) { return probe.answered(); }));
}

std::int64_t percentile_us(std::vector<std::int64_t> values_us, double p) {
  std::sort(values_us.begin(), values_us.end());
  const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values_us.size())));
  return values_us[std::clamp<std::size_t>(rank, 1, values_us.size()) - 1];
}

}  // namespace streamsync::impair::testing
