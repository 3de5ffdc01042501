#pragma once

// UdpRelay: receives datagrams on the listen port and forwards each, delayed or dropped by
// the shared ImpairedPath, to the target. Every client address gets a session: an upstream
// socket of its own, connected to the target, so the target's replies (which go to that
// socket) find their way back to the right client, as through a NAT. Sessions idle for
// `idle_timeout` in both directions are closed.
//
// Each datagram is scheduled on its own, so jitter reorders datagrams as a real path does.

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "impair_relay/impaired_path.hpp"

namespace streamsync::impair {

class UdpRelay {
 public:
  // Binds at once; throws boost::system::system_error when it cannot.
  UdpRelay(boost::asio::io_context& io, const boost::asio::ip::udp::endpoint& listen,
           const boost::asio::ip::udp::endpoint& target, ImpairedPath& path,
           std::chrono::seconds idle_timeout);

  boost::asio::ip::udp::endpoint local_endpoint() const { return listener_.local_endpoint(); }
  void start();

 private:
  static constexpr std::size_t kMaxDatagramBytes = 65'536;

  struct Session {
    explicit Session(boost::asio::io_context& io) : upstream(io) {}
    boost::asio::ip::udp::socket upstream;  // connected to the target
    boost::asio::ip::udp::endpoint client;
    std::int64_t last_active_us = 0;
    std::array<char, kMaxDatagramBytes> buffer{};
  };

  void receive_from_clients();
  void on_client_datagram(const boost::system::error_code& ec, std::size_t bytes);
  std::shared_ptr<Session> session_for(const boost::asio::ip::udp::endpoint& client,
                                       std::int64_t now_us);
  void receive_from_target(const std::shared_ptr<Session>& session);
  void forward(Direction direction, const std::shared_ptr<Session>& session,
               std::vector<char> datagram, std::int64_t now_us);
  void send(Direction direction, Session& session, const std::vector<char>& datagram);
  void schedule_sweep();
  void close_idle_sessions(std::int64_t now_us);

  boost::asio::io_context& io_;
  boost::asio::ip::udp::socket listener_;
  boost::asio::ip::udp::endpoint target_;
  ImpairedPath& path_;
  std::chrono::seconds idle_timeout_;
  boost::asio::steady_timer sweep_timer_;
  std::map<boost::asio::ip::udp::endpoint, std::shared_ptr<Session>> sessions_;
  boost::asio::ip::udp::endpoint sender_;
  std::array<char, kMaxDatagramBytes> buffer_{};
};

}  // namespace streamsync::impair
