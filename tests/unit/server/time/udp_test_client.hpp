#pragma once

// UdpTestClient: a blocking UDP client for the NTP server tests in which every wait is bounded,
// so that a server that never answers fails a test instead of hanging it.

#include <poll.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

namespace streamsync::server::testing {

class UdpTestClient {
 public:
  // A socket of `server`'s address family on an ephemeral port.
  explicit UdpTestClient(boost::asio::ip::udp::endpoint server)
      : server_(std::move(server)), socket_(io_, server_.protocol()) {
    socket_.non_blocking(true);
  }

  // The same, sending from `local` (e.g. 127.0.0.2: all of 127/8 is loopback on Linux).
  UdpTestClient(boost::asio::ip::udp::endpoint server, const boost::asio::ip::address& local)
      : UdpTestClient(std::move(server)) {
    socket_.bind({local, 0});
  }

  void send(std::span<const std::uint8_t> bytes) {
    socket_.send_to(boost::asio::buffer(bytes.data(), bytes.size()), server_);
  }

  // The next datagram from the server, or nullopt if none arrives within `timeout`.
  std::optional<std::vector<std::uint8_t>> receive(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      std::vector<std::uint8_t> bytes(2048);
      boost::asio::ip::udp::endpoint from;
      boost::system::error_code error;
      const std::size_t size = socket_.receive_from(boost::asio::buffer(bytes), from, 0, error);
      if (!error && from == server_) {
        bytes.resize(size);
        return bytes;
      }
      if (error && error != boost::asio::error::would_block) return std::nullopt;
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return std::nullopt;
      pollfd readable{socket_.native_handle(), POLLIN, 0};
      ::poll(&readable, 1, static_cast<int>(left.count()));
    }
  }

  // Every datagram until none has arrived for `quiet`.
  std::vector<std::vector<std::uint8_t>> receive_until_quiet(std::chrono::milliseconds quiet) {
    std::vector<std::vector<std::uint8_t>> all;
    while (auto bytes = receive(quiet)) all.push_back(std::move(*bytes));
    return all;
  }

 private:
  boost::asio::ip::udp::endpoint server_;
  boost::asio::io_context io_;  // only to own the socket; never run
  boost::asio::ip::udp::socket socket_;
};

}  // namespace streamsync::server::testing
