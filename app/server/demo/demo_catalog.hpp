#pragma once

// What `streamsync-server --demo` shows: the demo videos to make and the round start of
// the "Demo" channel's looping timeline.

#include <cstdint>
#include <vector>

#include "demo/demo_video_spec.hpp"

namespace streamsync::server {

// Two videos, told apart at a glance and by ear: "Test pattern A" (30 s, testsrc2,
// 440 Hz) and "Test pattern B" (20 s, smptehdbars, 660 Hz), ids "demo-pattern-a" and
// "demo-pattern-b", both 30 fps on the default 720p/360p ladder. Both last whole GOPs
// (2 s), so every segment is full length.
std::vector<DemoVideoSpec> default_demo_specs();

// The demo channel's start_at_us for a server started at now_us (UTC microseconds since
// the Unix epoch): the start of the current UTC hour. Every demo server, and every
// restart within the hour, thus agrees on the timeline. Floors correctly for negative
// times too.
std::int64_t demo_start_at_us(std::int64_t now_us);

}  // namespace streamsync::server
