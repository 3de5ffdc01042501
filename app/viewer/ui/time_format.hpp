#pragma once

// How the viewer writes times: countdowns and positions as m:ss (h:mm:ss from an hour
// on), instants as the local wall-clock time of day.

#include <QString>
#include <cstdint>

namespace streamsync::viewer {

// "0:12", "1:23", "1:02:03". Whole seconds, rounded up, so a countdown shows 0:01 until
// the very last moment and never a negative time.
QString format_countdown(std::int64_t remaining_us);

// A position or length in media: "0:00", "12:34", "1:02:03". Whole seconds, rounded down.
QString format_position(std::int64_t position_us);

// The local time of day of a server instant (µs since the Unix epoch): "20:15:00".
QString format_time_of_day(std::int64_t server_time_us);

}  // namespace streamsync::viewer
