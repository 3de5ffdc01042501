#include "support/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>

namespace streamsync::test {

namespace beast = boost::beast;
namespace http = beast::http;

HttpResponse http_request(std::uint16_t port, http::verb method, const std::string& target,
                          const Headers& headers, const std::string& body) {
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(30));
  stream.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  http::request<http::string_body> request{method, target, 11};
  request.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  if (!body.empty() || method == http::verb::post || method == http::verb::put)
    request.prepare_payload();
  // A server may answer (413, say) and close before the whole body is written: the write
  // fails, the answer is still there to read.
  beast::error_code write_error;
  http::write(stream, request, write_error);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(1ULL << 30);
  if (method == http::verb::head) parser.skip(true);
  http::read(stream, buffer, parser);
  beast::error_code ignored;
  stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  return parser.release();
}

HttpResponse http_json(std::uint16_t port, http::verb method, const std::string& target,
                       const std::string& json, const std::string& bearer_token) {
  Headers headers{{"Content-Type", "application/json"}};
  if (!bearer_token.empty()) headers.emplace_back("Authorization", "Bearer " + bearer_token);
  return http_request(port, method, target, headers, json);
}

}  // namespace streamsync::test
