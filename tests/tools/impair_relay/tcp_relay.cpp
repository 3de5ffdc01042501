#include "impair_relay/tcp_relay.hpp"

#include <memory>

#include "impair_relay/tcp_pipe.hpp"
#include "observability/logger.hpp"

namespace streamsync::impair {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

TcpRelay::TcpRelay(asio::io_context& io, const tcp::endpoint& listen, const tcp::endpoint& target,
                   ImpairedPath& path)
    : io_(io), acceptor_(io, listen), target_(target), path_(path), retry_timer_(io) {}

void TcpRelay::start() {
  do_accept();
}

void TcpRelay::do_accept() {
  acceptor_.async_accept(io_, [this](const boost::system::error_code& ec, tcp::socket client) {
    on_accept(ec, std::move(client));
  });
}

void TcpRelay::on_accept(const boost::system::error_code& ec, tcp::socket client) {
  if (ec == asio::error::operation_aborted) return;  // shutting down
  if (ec) {
    // Out of descriptors and the like: keep serving the connections that exist, and try
    // again a little later rather than spinning on the same error.
    server::log_warn("tcp accept failed", {{"error", ec.message()}});
    retry_timer_.expires_after(std::chrono::milliseconds(100));
    retry_timer_.async_wait([this](const boost::system::error_code& wait_ec) {
      if (!wait_ec) do_accept();
    });
    return;
  }
  connect_to_target(std::make_shared<TcpSocketPair>(std::move(client)));
  do_accept();
}

void TcpRelay::connect_to_target(const std::shared_ptr<TcpSocketPair>& sockets) {
  sockets->target.async_connect(target_, [this, sockets](const boost::system::error_code& ec) {
    if (ec) {
      server::log_warn("tcp target unreachable", {{"error", ec.message()}});
      return sockets->close();  // the client sees the connection close, as with a refused port
    }
    // The relay schedules every byte itself; Nagle's algorithm would add delays of its own.
    boost::system::error_code ignored;
    sockets->client.set_option(tcp::no_delay(true), ignored);
    sockets->target.set_option(tcp::no_delay(true), ignored);
    std::make_shared<TcpPipe>(sockets, Direction::up, path_)->start();
    std::make_shared<TcpPipe>(sockets, Direction::down, path_)->start();
  });
}

}  // namespace streamsync::impair
