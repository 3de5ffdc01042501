#pragma once

// The server's clock, passed in wherever time is read, so tests can inject their own.

#include <cstdint>
#include <functional>

namespace streamsync::server {

// Server time: UTC microseconds since the Unix epoch. Called on I/O threads (twice per batch of
// NTP requests); it must be cheap and must not block.
using WallClock = std::function<std::int64_t()>;

// The real wall clock (std::chrono::system_clock), in Unix µs. NtpServer uses kernel
// receive timestamps only when given exactly this function (see NtpServerConfig).
std::int64_t system_wall_clock_us();

}  // namespace streamsync::server
