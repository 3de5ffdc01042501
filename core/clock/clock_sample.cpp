#include "clock/clock_sample.hpp"

namespace streamsync {

std::string_view to_string(ClockSampleError error) {
  switch (error) {
    case ClockSampleError::reply_before_request:
      return "reply received before the request was sent";
    case ClockSampleError::server_time_reversed:
      return "server transmit time is before its receive time";
    case ClockSampleError::negative_delay:
      return "negative round-trip delay";
    case ClockSampleError::delay_too_large:
      return "round-trip delay above the limit";
  }
  return "unknown clock sample error";
}

Expected<ClockSample, ClockSampleError> make_clock_sample(const NtpExchange& x,
                                                          std::int64_t max_delay_us) {
  if (x.client_received_mono_us < x.client_sent_mono_us) {
    return Unexpected{ClockSampleError::reply_before_request};
  }
  if (x.server_sent_us < x.server_received_us) {
    return Unexpected{ClockSampleError::server_time_reversed};
  }
  const std::int64_t round_trip_us = x.client_received_mono_us - x.client_sent_mono_us;
  const std::int64_t server_hold_us = x.server_sent_us - x.server_received_us;
  const std::int64_t delay_us = round_trip_us - server_hold_us;
  if (delay_us < 0) return Unexpected{ClockSampleError::negative_delay};
  if (delay_us > max_delay_us) return Unexpected{ClockSampleError::delay_too_large};

  // Each difference mixes two clocks (server Unix time, client monotonic time); they are
  // both far below 2^62 µs, so the sums cannot overflow.
  const std::int64_t outbound_us = x.server_received_us - x.client_sent_mono_us;
  const std::int64_t inbound_us = x.server_sent_us - x.client_received_mono_us;
  ClockSample sample;
  sample.offset_us = outbound_us / 2 + inbound_us / 2 + (outbound_us % 2 + inbound_us % 2) / 2;
  sample.delay_us = delay_us;
  sample.mono_us = x.client_sent_mono_us + round_trip_us / 2;
  return sample;
}

}  // namespace streamsync
