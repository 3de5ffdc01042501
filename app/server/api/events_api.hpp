#pragma once

// WebSocket /api/v1/events?channel=ID: a viewer's live feed of schedule revisions and
// presence counts for one channel. The first message is a "hello" with server time.

#include <boost/beast/core/tcp_stream.hpp>

#include "api/api_context.hpp"
#include "http/http_types.hpp"

namespace streamsync::server {

// Takes over the connection of an upgrade request. Unknown paths or channels are answered
// with a plain HTTP error and the connection is closed.
void accept_events(ApiContext& ctx, boost::beast::tcp_stream&& stream, Request&& upgrade);

}  // namespace streamsync::server
