#pragma once

// Operational endpoints: the HTTP time fallback, /healthz and /metrics.

#include "api/api_context.hpp"
#include "api/request_target.hpp"
#include "http/http_types.hpp"

namespace streamsync::server {

// GET /api/v1/time?t1=<client µs>: t2 is read when the handler starts, t3 right before
// the response is built; a client computes offset and delay exactly as with NTP.
StringResponse time_now(ApiContext& ctx, const Request& request, const RequestTarget& target);
StringResponse health(ApiContext& ctx, const Request& request);
StringResponse metrics(ApiContext& ctx, const Request& request);

}  // namespace streamsync::server
