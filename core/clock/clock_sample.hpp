#pragma once

// One NTP-style exchange with the time server, reduced to what the clock filter needs.

#include <cstdint>
#include <string_view>

#include "util/expected.hpp"

namespace streamsync {

// The four timestamps of one request/response (RFC 5905 §8). The client's two are read
// from its monotonic clock, never its wall clock; the server's two are server time
// (UTC µs since the Unix epoch).
struct NtpExchange {
  std::int64_t client_sent_mono_us = 0;      // t1
  std::int64_t server_received_us = 0;       // t2
  std::int64_t server_sent_us = 0;           // t3
  std::int64_t client_received_mono_us = 0;  // t4
};

// What one exchange says about the mapping monotonic -> server time.
struct ClockSample {
  // θ = ((t2 − t1) + (t3 − t4)) / 2: server time minus client monotonic time, exact if
  // the request and the reply took equally long.
  std::int64_t offset_us = 0;
  // δ = (t4 − t1) − (t3 − t2): time spent on the network. The true offset lies within
  // offset_us ± delay_us / 2 whatever the asymmetry.
  std::int64_t delay_us = 0;
  // (t1 + t4) / 2: the client monotonic instant at which offset_us holds.
  std::int64_t mono_us = 0;
};

enum class ClockSampleError {
  reply_before_request,  // t4 < t1
  server_time_reversed,  // t3 < t2
  negative_delay,   // δ < 0: the server claims to have held the request longer than the round trip
  delay_too_large,  // δ above the limit: too stale to say anything useful
};

std::string_view to_string(ClockSampleError error);

// Longest round trip a sample may have; beyond it the ±δ/2 bound is worthless.
inline constexpr std::int64_t kMaxSampleDelayUs = 10'000'000;

Expected<ClockSample, ClockSampleError> make_clock_sample(
    const NtpExchange& exchange, std::int64_t max_delay_us = kMaxSampleDelayUs);

}  // namespace streamsync
