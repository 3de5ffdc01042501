#pragma once

// POST /api/v1/videos?title=<text>: a presenter uploads a video file as the raw request
// body (Content-Type video/* or application/octet-stream). The body is streamed to disk,
// never held in memory; the answer (202) names the new video and its ingest job.

#include <cstdint>

#include "api/api_context.hpp"
#include "http/server_handlers.hpp"

namespace streamsync::server {

UploadRoute make_upload_route(ApiContext& ctx, std::uint64_t limit_bytes);

}  // namespace streamsync::server
