#include "protocol/ntp_timestamp.hpp"

#include <cstdlib>
#include <limits>

namespace streamsync {
namespace {

constexpr std::int64_t kMicrosPerSecond = 1'000'000;
constexpr std::int64_t kEraSeconds = std::int64_t{1} << 32;

// `value` split into whole `unit`s, rounded towards minus infinity, and the remainder in
// [0, unit), so that times before an epoch split the same way as times after it. Computed
// without multiplying back, which could overflow at the ends of int64.
struct Split {
  std::int64_t whole;
  std::int64_t rest;
};

constexpr Split split(std::int64_t value, std::int64_t unit) {
  Split result{value / unit, value % unit};
  if (result.rest < 0) {
    result.whole -= 1;
    result.rest += unit;
  }
  return result;
}

// round(micros * 2^32 / 1e6) for micros in [0, 1e6); at most 4294963001, so it fits.
constexpr std::uint32_t fraction_from_micros(std::int64_t micros) {
  const std::uint64_t scaled = static_cast<std::uint64_t>(micros) << 32;
  return static_cast<std::uint32_t>((scaled + kMicrosPerSecond / 2) / kMicrosPerSecond);
}

// round(fraction * 1e6 / 2^32); 1'000'000 for the fractions within half a microsecond of the
// next second. One microsecond is ~4295 fraction units, so this inverts fraction_from_micros.
constexpr std::int64_t micros_from_fraction(std::uint32_t fraction) {
  const std::uint64_t scaled = std::uint64_t{fraction} * kMicrosPerSecond;
  return static_cast<std::int64_t>((scaled + (std::uint64_t{1} << 31)) >> 32);
}

bool can_add(std::int64_t value, std::int64_t offset) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  return offset >= 0 ? value <= kMax - offset : value >= kMin - offset;
}

}  // namespace

NtpTimestamp ntp_from_unix_us(std::int64_t unix_us) {
  const auto [unix_s, micros] = split(unix_us, kMicrosPerSecond);
  const std::int64_t ntp_s = unix_s + kNtpToUnixEpochSeconds;
  // Narrowing to unsigned is modulo 2^32: it drops the era, negative eras included.
  return {static_cast<std::uint32_t>(ntp_s), fraction_from_micros(micros)};
}

std::int64_t unix_us_from_ntp(NtpTimestamp timestamp, std::int64_t pivot_unix_us) {
  const auto [pivot_s, pivot_micros] = split(pivot_unix_us, kMicrosPerSecond);
  const std::int64_t pivot_era = split(pivot_s + kNtpToUnixEpochSeconds, kEraSeconds).whole;
  const std::int64_t micros = micros_from_fraction(timestamp.fraction);

  // The closest era is the pivot's own or a neighbour. Distances are taken relative to the
  // pivot, which keeps them small; only the final sum could leave int64, so such a candidate
  // is skipped (one of the three always fits). Ties go to the earlier era.
  bool found = false;
  std::int64_t best_offset_us = 0;
  for (std::int64_t era = pivot_era - 1; era <= pivot_era + 1; ++era) {
    const std::int64_t unix_s = era * kEraSeconds + timestamp.seconds - kNtpToUnixEpochSeconds;
    const std::int64_t offset_us = (unix_s - pivot_s) * kMicrosPerSecond + micros - pivot_micros;
    if (!can_add(pivot_unix_us, offset_us)) continue;
    if (!found || std::abs(offset_us) < std::abs(best_offset_us)) best_offset_us = offset_us;
    found = true;
  }
  return pivot_unix_us + best_offset_us;
}

}  // namespace streamsync
