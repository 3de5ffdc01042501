#pragma once

// /api/v1/channels: list and inspect channels (anyone), create, update, delete and
// schedule them (presenters).

#include "api/api_context.hpp"
#include "api/request_target.hpp"
#include "http/http_types.hpp"

namespace streamsync::server {

StringResponse channels_collection(ApiContext& ctx, const Request& request);  // /channels
StringResponse channel_resource(ApiContext& ctx, const Request& request,
                                const std::string& id);  // /channels/{id}
StringResponse channel_schedule(ApiContext& ctx, const Request& request,
                                const std::string& id);  // .../schedule
StringResponse channel_viewers(ApiContext& ctx, const Request& request,
                               const std::string& id);  // .../viewers

}  // namespace streamsync::server
