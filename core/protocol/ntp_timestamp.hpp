#pragma once

// NTP timestamps (RFC 5905 §6) and their conversion to and from Unix time in microseconds.
//
// An NTP timestamp is 64 bits: whole seconds since 1900-01-01T00:00:00Z and a binary fraction
// of a second. The seconds field wraps every 2^32 s (~136 years); each block is an "era", and
// era 0 ends at 2036-02-07T06:28:16Z. The wire carries no era, so turning a timestamp back into
// an absolute time needs a rough idea of "now" (the pivot).

#include <cstdint>

namespace streamsync {

// Seconds from the NTP epoch (1900-01-01) to the Unix epoch (1970-01-01).
constexpr std::int64_t kNtpToUnixEpochSeconds = 2208988800;

// NTP 64-bit timestamp format: seconds since 1900 modulo 2^32 (the era is not stored) and a
// fraction of a second in units of 2^-32 s (~233 ps).
struct NtpTimestamp {
  std::uint32_t seconds = 0;
  std::uint32_t fraction = 0;

  bool operator==(const NtpTimestamp&) const = default;

  // RFC 5905 uses the all-zero timestamp to mean "unknown / not set".
  constexpr bool is_zero() const { return seconds == 0 && fraction == 0; }

  // The 64-bit wire value: seconds in the high 32 bits, fraction in the low 32 bits.
  constexpr std::uint64_t to_u64() const {
    return (std::uint64_t{seconds} << 32) | std::uint64_t{fraction};
  }
  static constexpr NtpTimestamp from_u64(std::uint64_t value) {
    return {static_cast<std::uint32_t>(value >> 32), static_cast<std::uint32_t>(value)};
  }
};

// The NTP timestamp of a Unix time in microseconds. Any int64 is accepted, before 1900 and after
// 2036 included: the seconds wrap into whichever era the time falls in. The fraction is the
// microseconds rounded to the nearest 2^-32 s, exactly (integer arithmetic).
NtpTimestamp ntp_from_unix_us(std::int64_t unix_us);

// The Unix time in microseconds of `timestamp`, in the era that puts it closest to
// `pivot_unix_us` (the caller's rough current time). The fraction is rounded to the nearest
// microsecond, so ntp_from_unix_us followed by unix_us_from_ntp gives back the same microsecond
// whenever the pivot is less than 2^31 s (~68 years) away from it. Any pivot is accepted; near
// the ends of int64 the closest era that is representable is chosen.
std::int64_t unix_us_from_ntp(NtpTimestamp timestamp, std::int64_t pivot_unix_us);

}  // namespace streamsync
