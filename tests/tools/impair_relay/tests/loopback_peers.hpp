#pragma once

// LoopbackPeers: the targets behind the relay in the end-to-end tests, served on a thread
// of their own so the test thread is free to be the client.
//   UDP echo: answers each datagram with the datagram plus its arrival time (steady-clock µs,
//     8 bytes appended), so a test splits each round trip into its up and down halves (one
//     machine, one clock). It remembers the source address of each datagram: with the
//     relay in between, that is the relay's upstream socket for one client.
//   TCP echo: writes back every byte it reads and shuts its side down at end of stream.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace streamsync::impair::testing {

class LoopbackPeers {
 public:
  LoopbackPeers();  // listening on 127.0.0.1, ephemeral ports
  ~LoopbackPeers();
  LoopbackPeers(const LoopbackPeers&) = delete;
  LoopbackPeers& operator=(const LoopbackPeers&) = delete;

  std::uint16_t udp_port() const { return udp_port_; }
  std::uint16_t tcp_port() const { return tcp_port_; }

  // The source address of every datagram received so far, in order.
  std::vector<boost::asio::ip::udp::endpoint> udp_sources() const;

 private:
  void receive_datagram();
  void accept_connection();

  boost::asio::io_context io_;
  boost::asio::ip::udp::socket udp_;
  boost::asio::ip::tcp::acceptor tcp_;
  std::uint16_t udp_port_ = 0;
  std::uint16_t tcp_port_ = 0;
  boost::asio::ip::udp::endpoint sender_;
  std::vector<char> datagram_;
  mutable std::mutex mutex_;
  std::vector<boost::asio::ip::udp::endpoint> udp_sources_;
  std::thread thread_;
};

}  // namespace streamsync::impair::testing
