#pragma once

// WebSocketSession: a server-side WebSocket that mostly pushes (events to viewers).
// Sends are thread-safe (posted onto the session's strand and queued, one write at a
// time); the read loop only exists to answer control frames and notice the peer leaving.
// Keep-alive: Beast pings an idle peer and drops it when the pong does not come.

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "http/http_types.hpp"

namespace streamsync::server {

class WebSocketSession : public std::enable_shared_from_this<WebSocketSession> {
 public:
  using OnOpen = std::function<void(const std::shared_ptr<WebSocketSession>&)>;
  using OnClose = std::function<void()>;

  explicit WebSocketSession(boost::beast::tcp_stream&& stream);

  // Completes the handshake for `upgrade`; on_open runs once the socket is open (register
  // the session there), on_close once it is gone (only if on_open ran).
  void run(Request&& upgrade, OnOpen on_open, OnClose on_close);

  // Queues a text message. Safe from any thread.
  void send(std::shared_ptr<const std::string> text);

 private:
  void on_accept(boost::beast::error_code ec);
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void do_write();
  void on_write(boost::beast::error_code ec, std::size_t bytes);
  void finish();

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  Request upgrade_;
  OnOpen on_open_;
  OnClose on_close_;
  bool opened_ = false;
  bool finished_ = false;
};

}  // namespace streamsync::server
