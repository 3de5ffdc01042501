#pragma once

// The one place that decides which socket errors are noise: a peer that went away, a
// timeout on an idle connection, or our own shutdown are not worth a log line.

#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/websocket/error.hpp>

namespace streamsync::server {

inline bool is_harmless(const boost::beast::error_code& ec) {
  return ec == boost::asio::error::operation_aborted ||
         ec == boost::asio::error::connection_reset || ec == boost::asio::error::broken_pipe ||
         ec == boost::asio::error::eof || ec == boost::beast::error::timeout ||
         ec == boost::beast::http::error::end_of_stream ||
         ec == boost::beast::websocket::error::closed;
}

}  // namespace streamsync::server
