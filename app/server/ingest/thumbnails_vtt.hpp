#pragma once

// The WebVTT track of the thumbnail sprite (the de-facto format of web players' scrub
// previews): cue i spans [i * interval, (i + 1) * interval), the last one ending at the
// duration, and its text is "<sprite>#xywh=x,y,w,h", the tile's rectangle in pixels.

#include <cstdint>
#include <string>

#include "ingest/ladder.hpp"

namespace streamsync::server {

// The whole file: "WEBVTT", a blank line, then one cue per tile of sprite, times as
// hh:mm:ss.mmm. sprite_uri: as the cues should name the image, e.g. "sprite.jpg".
std::string thumbnails_vtt(const SpritePlan& sprite, std::int64_t duration_us,
                           const std::string& sprite_uri);

}  // namespace streamsync::server
