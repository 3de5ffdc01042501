#pragma once

// HttpSession: one HTTP/1.1 connection: read a request, answer it, repeat while keep-alive.
// Shaped after Boost.Beast's advanced_server example: do_x/on_x pairs, error_code first,
// early return; the response is kept alive in the session until its write completes.

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <filesystem>
#include <memory>
#include <optional>

#include "http/server_handlers.hpp"

namespace streamsync::server {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket&& socket,
              std::shared_ptr<const ServerHandlers> handlers);

  void run();

 private:
  void do_read();
  void on_header(boost::beast::error_code ec, std::size_t bytes);
  void read_body();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void read_upload(const std::filesystem::path& file);
  void on_upload(boost::beast::error_code ec, std::size_t bytes);
  // Answers (or closes on) a failed body read; false when there was no error.
  bool answer_read_error(boost::beast::error_code ec, const RequestHeader& header,
                         std::uint64_t limit_bytes);
  void send(Response&& response);
  void on_write(bool close, boost::beast::error_code ec, std::size_t bytes);
  void do_close();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::shared_ptr<const ServerHandlers> handlers_;
  // A request's header is read first; its body then goes to memory or, for uploads, a file.
  std::optional<beast_http::request_parser<beast_http::empty_body>> header_parser_;
  std::optional<beast_http::request_parser<beast_http::string_body>> parser_;
  std::optional<beast_http::request_parser<beast_http::file_body>> upload_parser_;
  std::filesystem::path upload_file_;
  std::shared_ptr<void> in_flight_;  // the response being written
  bool answering_ = false;           // counted in requests_in_flight
};

}  // namespace streamsync::server
