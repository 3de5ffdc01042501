#pragma once

// /media/channels/{id}/master.m3u8 and /media/channels/{id}/{variant}/live.m3u8: a
// channel as live HLS for any player (ffplay, VLC, Safari), built from the schedule and
// the items' VOD segments, without transcoding. StreamSync viewers play the VOD titles
// directly and sync themselves; this is for everything else.

#include "api/api_context.hpp"
#include "api/request_target.hpp"
#include "http/http_types.hpp"

namespace streamsync::server {

Response channel_media(ApiContext& ctx, const Request& request, const RequestTarget& target);

}  // namespace streamsync::server
