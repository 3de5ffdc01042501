#pragma once

// Listener: accepts TCP connections and starts an HttpSession on its own strand for each.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>

#include "http/server_handlers.hpp"

namespace streamsync::server {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Binds and listens; throws std::system_error with the endpoint in the message when the
  // address is taken or not ours (a start-up misconfiguration).
  Listener(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint,
           std::shared_ptr<const ServerHandlers> handlers);

  void run();
  void stop();  // stops accepting; open sessions finish their current request
  boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

 private:
  void do_accept();
  void on_accept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::shared_ptr<const ServerHandlers> handlers_;
};

}  // namespace streamsync::server
