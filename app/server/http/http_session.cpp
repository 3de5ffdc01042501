#include "http/http_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <limits>
#include <system_error>

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
  header_parser_.emplace();
  // The header parser must not judge the body: the body parser that follows does. (Not
  // boost::none: Beast 1.74 compares the declared length against the optional and takes
  // "none" as the smallest value, refusing every body.)
  header_parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
  stream_.expires_after(handlers_->idle_timeout);
  beast_http::async_read_header(
      stream_, buffer_, *header_parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
        self->on_header(ec, bytes);
      });
}

void HttpSession::on_header(beast::error_code ec, std::size_t) {
  if (ec == beast_http::error::end_of_stream) return do_close();
  if (ec) {
    if (is_harmless(ec)) return do_close();
    // Malformed request: say so once, then close; the stream is no longer in step.
    Request head{beast_http::verb::get, "/", 11};
    head.keep_alive(false);
    return send(error_response(head, beast_http::status::bad_request, "bad_request",
                               "malformed HTTP request: " + ec.message()));
  }
  if (!handlers_->upload) return read_body();
  UploadRoute::Decision decision = handlers_->upload->accept(header_parser_->get());
  if (std::holds_alternative<std::monostate>(decision)) return read_body();
  if (auto* refusal = std::get_if<StringResponse>(&decision)) {
    refusal->keep_alive(false);  // the body was not read: the connection cannot be reused
    return send(std::move(*refusal));
  }
  read_upload(std::get<std::filesystem::path>(decision));
}

void HttpSession::read_body() {
  // Checked here because a limit set after the header was parsed only applies to chunked
  // bodies in Beast 1.74; a declared length is judged now, before reading a byte of it.
  const auto declared = header_parser_->content_length();
  if (declared && *declared > handlers_->body_limit_bytes) {
    answer_read_error(beast_http::error::body_limit, header_parser_->get().base(),
                      handlers_->body_limit_bytes);
    return;
  }
  parser_.emplace(std::move(*header_parser_));
  parser_->body_limit(handlers_->body_limit_bytes);
  beast_http::async_read(stream_, buffer_, *parser_,
                         [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
                           self->on_read(ec, bytes);
                         });
}

bool HttpSession::answer_read_error(beast::error_code ec, const RequestHeader& header,
                                    std::uint64_t limit_bytes) {
  if (!ec) return false;
  Request head{header};
  head.keep_alive(false);
  if (ec == beast_http::error::body_limit) {
    send(error_response(
        head, beast_http::status::payload_too_large, "payload_too_large",
        "request body above the limit of " + std::to_string(limit_bytes) + " bytes"));
  } else if (is_harmless(ec) || ec == beast_http::error::partial_message) {
    do_close();  // the client went away mid-body: nobody to answer
  } else {
    send(error_response(head, beast_http::status::bad_request, "bad_request",
                        "malformed HTTP request body: " + ec.message()));
  }
  return true;
}

void HttpSession::on_read(beast::error_code ec, std::size_t) {
  if (answer_read_error(ec, parser_->get().base(), handlers_->body_limit_bytes)) return;
  Request request = parser_->release();
  if (beast::websocket::is_upgrade(request) && handlers_->websocket_upgrade) {
    stream_.expires_never();  // the WebSocket session runs its own timeouts
    return handlers_->websocket_upgrade(std::move(stream_), std::move(request));
  }
  ++*handlers_->requests_in_flight;
  answering_ = true;
  send(handlers_->http(request));
}

void HttpSession::read_upload(const std::filesystem::path& file) {
  const auto declared = header_parser_->content_length();
  if (declared && *declared > handlers_->upload->limit_bytes) {
    answer_read_error(beast_http::error::body_limit, header_parser_->get().base(),
                      handlers_->upload->limit_bytes);
    return;
  }
  upload_parser_.emplace(std::move(*header_parser_));
  upload_parser_->body_limit(handlers_->upload->limit_bytes);
  beast::error_code ec;
  upload_parser_->get().body().open(file.c_str(), beast::file_mode::write, ec);
  upload_file_ = file;
  if (ec) {
    Request head{upload_parser_->get().base()};
    head.keep_alive(false);
    return send(error_response(head, beast_http::status::internal_server_error, "internal_error",
                               "cannot store the upload: " + ec.message()));
  }
  // Uploads take as long as the network needs; only silence ends them.
  stream_.expires_after(std::chrono::minutes(5));
  const auto read = [self = shared_from_this()] {
    beast_http::async_read(
        self->stream_, self->buffer_, *self->upload_parser_,
        [self](beast::error_code read_ec, std::size_t bytes) { self->on_upload(read_ec, bytes); });
  };
  if (beast::iequals(upload_parser_->get()[beast_http::field::expect], "100-continue")) {
    auto go_on = std::make_shared<beast_http::response<beast_http::empty_body>>(
        beast_http::status::continue_, 11);
    return beast_http::async_write(stream_, *go_on,
                                   [go_on, read](beast::error_code, std::size_t) { read(); });
  }
  read();
}

void HttpSession::on_upload(beast::error_code ec, std::size_t) {
  upload_parser_->get().body().close();
  if (ec) {
    // Nothing of a failed upload is kept.
    std::error_code ignored;
    std::filesystem::remove(upload_file_, ignored);
    answer_read_error(ec, upload_parser_->get().base(), handlers_->upload->limit_bytes);
    return;
  }
  ++*handlers_->requests_in_flight;
  answering_ = true;
  send(handlers_->upload->finish(upload_parser_->get().base(), upload_file_));
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
