#pragma once

// ControlServer: the --control UDP port. Each datagram is one command for
// run_control_command() (control_command.hpp); the reply goes back to its sender and the
// command is logged, so a benchmark's log shows when each fault began and ended.

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include "impair_relay/impaired_path.hpp"

namespace streamsync::impair {

class ControlServer {
 public:
  // Binds at once; throws boost::system::system_error when it cannot.
  ControlServer(boost::asio::io_context& io, const boost::asio::ip::udp::endpoint& listen,
                ImpairedPath& path);

  boost::asio::ip::udp::endpoint local_endpoint() const { return socket_.local_endpoint(); }
  void start();

 private:
  void on_command(const boost::system::error_code& ec, std::size_t bytes);

  boost::asio::ip::udp::socket socket_;
  ImpairedPath& path_;
  boost::asio::ip::udp::endpoint sender_;
  std::array<char, 4096> buffer_{};
};

}  // namespace streamsync::impair
