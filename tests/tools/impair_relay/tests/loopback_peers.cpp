#include "loopback_peers.hpp"

#include <array>
#include <boost/asio/write.hpp>
#include <cstring>

#include "impair_relay/steady_time.hpp"

namespace streamsync::impair::testing {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using udp = asio::ip::udp;

const auto kLoopback = asio::ip::address_v4::loopback();

// One echoed TCP connection: read, write back, repeat; at end of stream, half-close.
class EchoConnection : public std::enable_shared_from_this<EchoConnection> {
 public:
  explicit EchoConnection(tcp::socket socket) : socket_(std::move(socket)) {}

  void read() {
    socket_.async_read_some(asio::buffer(buffer_), [self = shared_from_this()](
                                                       const boost::system::error_code& ec,
                                                       std::size_t bytes) {
      if (ec == asio::error::eof) {
        boost::system::error_code ignored;
        self->socket_.shutdown(tcp::socket::shutdown_send, ignored);
        return;
      }
      if (ec) return;
      asio::async_write(self->socket_, asio::buffer(self->buffer_.data(), bytes),
                        [self](const boost::system::error_code& write_ec, std::size_t) {
                          if (!write_ec) self->read();
                        });
    });
  }

 private:
  tcp::socket socket_;
  std::array<char, 64 * 1024> buffer_{};
};

}  // namespace

LoopbackPeers::LoopbackPeers()
    : udp_(io_, udp::endpoint(kLoopback, 0)),
      tcp_(io_, tcp::endpoint(kLoopback, 0)),
      udp_port_(udp_.local_endpoint().port()),
      tcp_port_(tcp_.local_endpoint().port()),
      datagram_(65'536) {
  receive_datagram();
  accept_connection();
  thread_ = std::thread([this] { io_.run(); });
}

LoopbackPeers::~LoopbackPeers() {
  io_.stop();
  thread_.join();
}

std::vector<udp::endpoint> LoopbackPeers::udp_sources() const {
  const std::lock_guard lock(mutex_);
  return udp_sources_;
}

void LoopbackPeers::receive_datagram() {
  udp_.async_receive_from(
      asio::buffer(datagram_.data(), datagram_.size() - 8), sender_,
      [this](const boost::system::error_code& ec, std::size_t bytes) {
        if (ec == asio::error::operation_aborted) return;
        if (!ec) {
          const std::int64_t arrival_us = steady_now_us();
          {
            // Before the reply: a test that got its reply must find the source recorded.
            const std::lock_guard lock(mutex_);
            udp_sources_.push_back(sender_);
          }
          std::memcpy(datagram_.data() + bytes, &arrival_us, sizeof arrival_us);
          boost::system::error_code ignored;
          udp_.send_to(asio::buffer(datagram_.data(), bytes + sizeof arrival_us), sender_, 0, ignored);
        }
        receive_datagram();
      });
}

void LoopbackPeers::accept_connection() {
  tcp_.async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (!ec) std::make_shared<EchoConnection>(std::move(socket))->read();
    accept_connection();
  });
}

}  // namespace streamsync::impair::testing
