#include "http/listener.hpp"

#include <boost/asio/strand.hpp>
#include <string>
#include <system_error>

#include "http/http_session.hpp"

namespace streamsync::server {

namespace asio = boost::asio;

namespace {

void check(const boost::system::error_code& ec, std::string_view what,
           const asio::ip::tcp::endpoint& endpoint) {
  if (!ec) return;
  throw std::system_error(ec, std::string(what) + " " + endpoint.address().to_string() + ":" +
                                  std::to_string(endpoint.port()));
}

}  // namespace

Listener::Listener(asio::io_context& io, const asio::ip::tcp::endpoint& endpoint,
                   std::shared_ptr<const ServerHandlers> handlers)
    : io_(io), acceptor_(asio::make_strand(io)), handlers_(std::move(handlers)) {
  boost::system::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  check(ec, "cannot open HTTP socket for", endpoint);
  acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  check(ec, "cannot set SO_REUSEADDR on", endpoint);
  acceptor_.bind(endpoint, ec);
  check(ec, "cannot bind HTTP to", endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  check(ec, "cannot listen on", endpoint);
}

void Listener::run() {
  do_accept();
}

void Listener::stop() {
  asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ignored;
    self->acceptor_.close(ignored);
  });
}

void Listener::do_accept() {
  acceptor_.async_accept(
      asio::make_strand(io_),
      [self = shared_from_this()](boost::system::error_code ec, asio::ip::tcp::socket socket) {
        self->on_accept(ec, std::move(socket));
      });
}

void Listener::on_accept(boost::system::error_code ec, asio::ip::tcp::socket socket) {
  if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;  // stopped
  // Other accept errors (e.g. out of file descriptors) concern one connection; keep accepting.
  if (!ec) std::make_shared<HttpSession>(std::move(socket), handlers_)->run();
  do_accept();
}

}  // namespace streamsync::server
