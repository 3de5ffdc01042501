#pragma once

// The server's routing: a pure function from request to response (Beast's advanced
// server style), testable without a socket. Every answer is counted in the metrics under
// its route pattern; an exception from below (a failing database) becomes a 500 and a log
// line, never a dead connection.

#include <string>

#include "api/api_context.hpp"
#include "http/http_types.hpp"

namespace streamsync::server {

struct Routed {
  Response response;
  std::string route;  // the pattern, e.g. "/api/v1/channels/{id}", for metrics
};

Routed route_request(ApiContext& ctx, const Request& request);

// route_request plus metrics and exception safety: what the HTTP session calls.
Response handle_request(ApiContext& ctx, const Request& request);

}  // namespace streamsync::server
