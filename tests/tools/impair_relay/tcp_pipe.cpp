#include "impair_relay/tcp_pipe.hpp"

#include <boost/asio/write.hpp>

#include "impair_relay/steady_time.hpp"

namespace streamsync::impair {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

TcpSocketPair::TcpSocketPair(tcp::socket client_socket)
    : client(std::move(client_socket)), target(client.get_executor()) {}

void TcpSocketPair::close() {
  if (closed) return;
  closed = true;
  boost::system::error_code ignored;
  client.close(ignored);
  target.close(ignored);
}

TcpPipe::TcpPipe(std::shared_ptr<TcpSocketPair> sockets, Direction direction, ImpairedPath& path)
    : sockets_(std::move(sockets)),
      direction_(direction),
      path_(path),
      read_timer_(sockets_->client.get_executor()),
      write_timer_(sockets_->client.get_executor()) {}

tcp::socket& TcpPipe::source() {
  return direction_ == Direction::up ? sockets_->client : sockets_->target;
}

tcp::socket& TcpPipe::sink() {
  return direction_ == Direction::up ? sockets_->target : sockets_->client;
}

void TcpPipe::start() {
  read_when_allowed();
}

void TcpPipe::fail() {
  sockets_->close();
  queue_.clear();
  queued_bytes_ = 0;
}

void TcpPipe::read_when_allowed() {
  if (reading_ || source_ended_ || sockets_->closed) return;
  if (queued_bytes_ >= kMaxQueuedBytes) return;  // on_write() calls again as the queue drains
  const std::int64_t backlog_us = path_.queue_backlog_us(direction_, steady_now_us());
  reading_ = true;
  if (backlog_us > kMaxShaperBacklog_us) {
    read_timer_.expires_after(std::chrono::microseconds(backlog_us - kMaxShaperBacklog_us));
    read_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      self->reading_ = false;
      if (!ec) self->read_when_allowed();
    });
    return;
  }
  source().async_read_some(asio::buffer(buffer_),
                           [self = shared_from_this()](const boost::system::error_code& ec,
                                                       std::size_t bytes) { self->on_read(ec, bytes); });
}

void TcpPipe::on_read(const boost::system::error_code& ec, std::size_t bytes) {
  reading_ = false;
  if (sockets_->closed) return;
  const std::int64_t now_us = steady_now_us();
  if (ec == asio::error::eof) {
    // The end of stream leaves after the last byte, with a delay of its own (the FIN).
    source_ended_ = true;
    queue_.push_back({order_.next(path_.chunk_release_us(direction_, now_us, 0)), {}});
  } else if (ec) {
    return fail();  // reset or aborted: the peer sees the connection drop too
  } else {
    queue_.push_back({order_.next(path_.chunk_release_us(direction_, now_us, bytes)),
                      std::vector<char>(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(bytes))});
    queued_bytes_ += bytes;
    read_when_allowed();
  }
  write_when_due();
}

void TcpPipe::write_when_due() {
  if (writing_ || queue_.empty() || sockets_->closed) return;
  writing_ = true;
  const std::int64_t now_us = steady_now_us();
  const Chunk& head = queue_.front();
  if (path_.is_cut() || head.release_us > now_us) {
    const std::int64_t wake_us = path_.is_cut() ? now_us + kCutPoll_us : head.release_us;
    write_timer_.expires_at(steady_time_point(wake_us));
    write_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      self->writing_ = false;
      if (!ec) self->write_when_due();
    });
    return;
  }
  if (head.bytes.empty()) {
    // Half-close, as the source did; the other direction may still be carrying data.
    boost::system::error_code ignored;
    sink().shutdown(tcp::socket::shutdown_send, ignored);
    queue_.pop_front();
    writing_ = false;
    return;
  }
  asio::async_write(sink(), asio::buffer(head.bytes),
                    [self = shared_from_this()](const boost::system::error_code& write_ec,
                                                std::size_t) { self->on_write(write_ec); });
}

void TcpPipe::on_write(const boost::system::error_code& ec) {
  writing_ = false;
  if (sockets_->closed) return;
  if (ec) return fail();
  queued_bytes_ -= queue_.front().bytes.size();
  queue_.pop_front();
  write_when_due();
  read_when_allowed();
}

}  // namespace streamsync::impair
