#include "http/http_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "http/responses.hpp"
#include "http/session_errors.hpp"

namespace streamsync::server {

namespace beast = boost::beast;

HttpSession::HttpSession(boost::asio::ip::tcp::socket&& socket,
                         std::shared_ptr<const ServerHandlers> handlers)
    : stream_(std::move(socket)), handlers_(std::move(handlers)) {}

void HttpSession::run() {
  // Start on the connection's strand (the socket's executor) so that nothing runs concurrently.
  boost::asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->do_read(); });
}

void HttpSession::do_read() {
  parser_.emplace();
  parser_->body_limit(handlers_->body_limit_bytes);
  stream_.expires_after(handlers_->idle_timeout);
  beast_http::async_read(stream_, buffer_, *parser_,
                         [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
                           self->on_read(ec, bytes);
                         });
}

void HttpSession::on_read(beast::error_code ec, std::size_t) {
  if (ec == beast_http::error::end_of_stream) return do_close();
  if (ec == beast_http::error::body_limit) {
    Request head{parser_->get().method(), parser_->get().target(), parser_->get().version()};
    head.keep_alive(false);
    return send(error_response(head, beast_http::status::payload_too_large, "payload_too_large",
                               "request body above the limit of " +
                                   std::to_string(handlers_->body_limit_bytes) + " bytes"));
  }
  if (ec) {
    if (is_harmless(ec)) return do_close();
    // Malformed request: say so once, then close; the stream is no longer in step.
    Request head{beast_http::verb::get, "/", 11};
    head.keep_alive(false);
    return send(error_response(head, beast_http::status::bad_request, "bad_request",
                               "malformed HTTP request: " + ec.message()));
  }

  Request request = parser_->release();
  if (beast::websocket::is_upgrade(request) && handlers_->websocket_upgrade) {
    stream_.expires_never();  // the WebSocket session runs its own timeouts
    return handlers_->websocket_upgrade(std::move(stream_), std::move(request));
  }
  ++*handlers_->requests_in_flight;
  answering_ = true;
  send(handlers_->http(request));
}

void HttpSession::send(Response&& response) {
  std::visit(
      [this](auto&& typed) {
        using Message = std::decay_t<decltype(typed)>;
        auto message = std::make_shared<Message>(std::move(typed));
        in_flight_ = message;
        const bool close = message->need_eof();
        beast_http::async_write(
            stream_, *message,
            [self = shared_from_this(), close](beast::error_code ec, std::size_t bytes) {
              self->on_write(close, ec, bytes);
            });
      },
      std::move(response));
}

void HttpSession::on_write(bool close, beast::error_code ec, std::size_t) {
  in_flight_.reset();
  if (answering_) {
    answering_ = false;
    --*handlers_->requests_in_flight;
  }
  if (ec) return do_close();
  if (close) return do_close();
  do_read();
}

void HttpSession::do_close() {
  beast::error_code ec;
  stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);
}

}  // namespace streamsync::server
