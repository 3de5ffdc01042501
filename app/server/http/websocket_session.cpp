#include "http/websocket_session.hpp"

#include <boost/asio/post.hpp>
#include <boost/beast/websocket.hpp>

#include "http/session_errors.hpp"

namespace streamsync::server {

namespace beast = boost::beast;
namespace websocket = beast::websocket;

namespace {

// Idle peers are pinged after half of this and dropped after all of it without a pong.
constexpr std::chrono::seconds kIdleTimeout{30};
// Messages waiting for a slow peer; beyond this the peer is dropped rather than letting
// the queue grow without bound.
constexpr std::size_t kMaxQueuedMessages = 256;

}  // namespace

WebSocketSession::WebSocketSession(beast::tcp_stream&& stream) : ws_(std::move(stream)) {}

void WebSocketSession::run(Request&& upgrade, OnOpen on_open, OnClose on_close) {
  upgrade_ = std::move(upgrade);
  on_open_ = std::move(on_open);
  on_close_ = std::move(on_close);
  websocket::stream_base::timeout timeout{std::chrono::seconds(30), kIdleTimeout, true};
  ws_.set_option(timeout);
  ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
    response.set(beast_http::field::server, "streamsync-server");
  }));
  ws_.async_accept(upgrade_,
                   [self = shared_from_this()](beast::error_code ec) { self->on_accept(ec); });
}

void WebSocketSession::on_accept(beast::error_code ec) {
  if (ec) return finish();
  opened_ = true;
  if (on_open_) on_open_(shared_from_this());
  do_read();
}

void WebSocketSession::do_read() {
  ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
    self->on_read(ec, bytes);
  });
}

void WebSocketSession::on_read(beast::error_code ec, std::size_t) {
  if (ec) return finish();
  buffer_.consume(buffer_.size());  // clients have nothing to say yet; their frames are ignored
  do_read();
}

void WebSocketSession::send(std::shared_ptr<const std::string> text) {
  boost::asio::post(ws_.get_executor(),
                    [self = shared_from_this(), text = std::move(text)]() mutable {
                      if (self->finished_) return;
                      if (self->queue_.size() >= kMaxQueuedMessages) {
                        beast::get_lowest_layer(self->ws_)
                            .close();  // too slow to keep up: the read fails and finish() runs
                        return;
                      }
                      self->queue_.push_back(std::move(text));
                      if (self->queue_.size() == 1) self->do_write();
                    });
}

void WebSocketSession::do_write() {
  ws_.text(true);
  ws_.async_write(boost::asio::buffer(*queue_.front()),
                  [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
                    self->on_write(ec, bytes);
                  });
}

void WebSocketSession::on_write(beast::error_code ec, std::size_t) {
  if (ec) return finish();
  queue_.pop_front();
  if (!queue_.empty()) do_write();
}

void WebSocketSession::finish() {
  if (finished_) return;
  finished_ = true;
  queue_.clear();
  if (opened_ && on_close_) on_close_();
}

}  // namespace streamsync::server
