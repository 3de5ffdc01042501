#pragma once

// TcpRelay: accepts clients on the listen port and, for each, connects to the target and
// runs one TcpPipe per direction through the shared ImpairedPath.
//
// Not modelled: the handshake. The kernel completes the client's connect() before the relay
// accepts, so a new connection's first request costs one round trip less than on a real
// path; during a cut, connections still open but carry nothing until restore.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>

#include "impair_relay/impaired_path.hpp"

namespace streamsync::impair {

struct TcpSocketPair;

class TcpRelay {
 public:
  // Listens at once; throws boost::system::system_error when it cannot (port taken, ...).
  TcpRelay(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& listen,
           const boost::asio::ip::tcp::endpoint& target, ImpairedPath& path);

  boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }
  void start();

 private:
  void do_accept();
  void on_accept(const boost::system::error_code& ec, boost::asio::ip::tcp::socket client);
  void connect_to_target(const std::shared_ptr<TcpSocketPair>& sockets);

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::ip::tcp::endpoint target_;
  ImpairedPath& path_;
  boost::asio::steady_timer retry_timer_;  // after a failed accept
};

}  // namespace streamsync::impair
