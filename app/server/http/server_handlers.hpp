#pragma once

// What the HTTP layer hands requests to. Plain HTTP goes to a pure function; a WebSocket
// upgrade hands the connection over, with the upgrade request, to whoever owns sockets
// of that kind.

#include <atomic>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "http/http_types.hpp"

namespace streamsync::server {

struct ServerHandlers {
  std::function<Response(const Request&)> http;
  std::function<void(boost::beast::tcp_stream&&, Request&&)> websocket_upgrade;
  // Largest request body accepted; beyond it the answer is 413.
  std::uint64_t body_limit_bytes = 1 << 20;
  // A connection idle (or a request unfinished) for this long is closed.
  std::chrono::seconds idle_timeout{30};
  // Requests read and not yet answered: shutdown waits for this to reach zero.
  std::shared_ptr<std::atomic<int>> requests_in_flight = std::make_shared<std::atomic<int>>(0);
};

}  // namespace streamsync::server
