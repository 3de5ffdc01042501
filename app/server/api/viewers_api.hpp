#pragma once

// /api/v1/viewers: anonymous-with-identity viewers register a client-made UUID and a
// display name, then heartbeat what they watch and how well it plays.

#include "api/api_context.hpp"
#include "http/http_types.hpp"

namespace streamsync::server {

StringResponse register_viewer(ApiContext& ctx, const Request& request);  // POST /viewers
StringResponse viewer_heartbeat(ApiContext& ctx, const Request& request,
                                const std::string& id);  // .../heartbeat

// Publishes presence counts that changed since the last call (viewers that joined or went
// silent). Called after heartbeats and periodically.
void publish_presence_changes(ApiContext& ctx);

}  // namespace streamsync::server
