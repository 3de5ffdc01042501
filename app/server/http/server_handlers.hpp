#pragma once

// What the HTTP layer hands requests to. Plain HTTP goes to a pure function; a WebSocket
// upgrade hands the connection over, with the upgrade request, to whoever owns sockets
// of that kind.

#include <atomic>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <variant>

#include "http/http_types.hpp"

namespace streamsync::server {

// Requests whose body is streamed to a file instead of memory (video uploads).
struct UploadRoute {
  // Not an upload (read it as usual), the file its body goes to, or an answer that refuses
  // it before a byte of the body is read (401, 413 by Content-Length, 415).
  using Decision = std::variant<std::monostate, std::filesystem::path, StringResponse>;
  std::function<Decision(const RequestHeader&)> accept;
  // The body is complete in `body_file`; answer the request. The file is the handler's now.
  std::function<Response(const RequestHeader&, const std::filesystem::path& body_file)> finish;
  // Larger bodies get 413 and their partial file is removed.
  std::uint64_t limit_bytes = std::uint64_t{8} << 30;
};

struct ServerHandlers {
  std::function<Response(const Request&)> http;
  std::function<void(boost::beast::tcp_stream&&, Request&&)> websocket_upgrade;
  std::optional<UploadRoute> upload;
  // Largest request body accepted; beyond it the answer is 413.
  std::uint64_t body_limit_bytes = 1 << 20;
  // A connection idle (or a request unfinished) for this long is closed.
  std::chrono::seconds idle_timeout{30};
  // Requests read and not yet answered: shutdown waits for this to reach zero.
  std::shared_ptr<std::atomic<int>> requests_in_flight = std::make_shared<std::atomic<int>>(0);
};

}  // namespace streamsync::server
