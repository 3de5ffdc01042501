#pragma once

// /api/v1/videos: the catalog's videos with their renditions and poster.

#include "api/api_context.hpp"
#include "http/http_types.hpp"

namespace streamsync::server {

StringResponse videos_collection(ApiContext& ctx, const Request& request);  // /videos
StringResponse video_resource(ApiContext& ctx, const Request& request,
                              const std::string& id);  // /videos/{id}

}  // namespace streamsync::server
