#pragma once

// A minimal blocking HTTP/1.1 client for tests (Boost.Beast), one connection per request.

#include <boost/beast/http.hpp>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace streamsync::test {

using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;
using Headers = std::vector<std::pair<std::string, std::string>>;

HttpResponse http_request(std::uint16_t port, boost::beast::http::verb method,
                          const std::string& target, const Headers& headers = {},
                          const std::string& body = {});

inline HttpResponse http_get(std::uint16_t port, const std::string& target,
                             const Headers& headers = {}) {
  return http_request(port, boost::beast::http::verb::get, target, headers);
}

// JSON body with Content-Type: application/json, plus a bearer token when given.
HttpResponse http_json(std::uint16_t port, boost::beast::http::verb method,
                       const std::string& target, const std::string& json,
                       const std::string& bearer_token = {});

}  // namespace streamsync::test
