#include "protocol/ntp_timestamp.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>

namespace streamsync {
namespace {

constexpr std::int64_t kSecondUs = 1'000'000;
constexpr std::int64_t kEraSeconds = std::int64_t{1} << 32;
constexpr std::int64_t kYearUs = 31'556'952 * kSecondUs;  // mean Gregorian year
// Less than 2^31 s: the widest pivot distance at which the era is still unambiguous.
constexpr std::int64_t kMaxPivotDistanceUs = (kEraSeconds / 2 - 1) * kSecondUs;

// Unix times of calendar instants (UTC), in microseconds.
constexpr std::int64_t kYear1900Us = -kNtpToUnixEpochSeconds * kSecondUs;
constexpr std::int64_t kYear1950Us = -631'152'000 * kSecondUs;
constexpr std::int64_t kYear1960Us = -315'619'200 * kSecondUs;
constexpr std::int64_t kYear1980Us = 315'532'800 * kSecondUs;
constexpr std::int64_t kYear2030Us = 1'893'456'000 * kSecondUs;
constexpr std::int64_t kYear2040Us = 2'208'988'800 * kSecondUs;
constexpr std::int64_t kYear2100Us = 4'102'444'800 * kSecondUs;
// 2036-02-07T06:28:16Z: NTP era 0 ends, era 1 begins.
constexpr std::int64_t kEra1StartUs = 2'085'978'496 * kSecondUs;

// round(999'999 * 2^32 / 1e6): the largest fraction ntp_from_unix_us produces.
constexpr std::uint32_t kFraction999999Us = 4'294'963'001;

TEST(NtpTimestamp, UnixEpochIsNtpSeconds2208988800) {
  EXPECT_EQ(ntp_from_unix_us(0), (NtpTimestamp{2'208'988'800, 0}));
  EXPECT_EQ(unix_us_from_ntp({2'208'988'800, 0}, 0), 0);
}

TEST(NtpTimestamp, NtpEpochIs1900) {
  EXPECT_EQ(ntp_from_unix_us(kYear1900Us), (NtpTimestamp{0, 0}));
  EXPECT_EQ(unix_us_from_ntp({0, 0}, kYear1950Us), kYear1900Us);
}

TEST(NtpTimestamp, Era1StartsOn2036February7) {
  EXPECT_EQ(ntp_from_unix_us(kEra1StartUs), (NtpTimestamp{0, 0}));
  EXPECT_EQ(ntp_from_unix_us(kEra1StartUs - 1), (NtpTimestamp{0xFFFF'FFFF, kFraction999999Us}));
  EXPECT_EQ(ntp_from_unix_us(kEra1StartUs + 1), (NtpTimestamp{0, 4295}));
}

TEST(NtpTimestamp, FractionIsRoundedBinaryFraction) {
  EXPECT_EQ(ntp_from_unix_us(500'000).fraction, 0x8000'0000u);
  EXPECT_EQ(ntp_from_unix_us(250'000).fraction, 0x4000'0000u);
  EXPECT_EQ(ntp_from_unix_us(1).fraction, 4295u);  // 4294.967296 rounded
  EXPECT_EQ(ntp_from_unix_us(999'999).fraction, kFraction999999Us);
  EXPECT_EQ(unix_us_from_ntp({2'208'988'800, 0x8000'0000}, 0), 500'000);
}

TEST(NtpTimestamp, FractionRoundsToNearestMicrosecond) {
  // 0xFFFF'FFFF is 999'999.9998 µs: it rounds up into the next second.
  EXPECT_EQ(unix_us_from_ntp({2'208'988'800, 0xFFFF'FFFF}, 0), kSecondUs);
  EXPECT_EQ(unix_us_from_ntp({2'208'988'800, 2147}, 0), 0);  // 0.49990 µs
  EXPECT_EQ(unix_us_from_ntp({2'208'988'800, 2148}, 0), 1);  // 0.50013 µs
}

TEST(NtpTimestamp, NegativeUnixTimeUsesFloorDivision) {
  EXPECT_EQ(ntp_from_unix_us(-1), (NtpTimestamp{2'208'988'799, kFraction999999Us}));
  EXPECT_EQ(ntp_from_unix_us(-kSecondUs), (NtpTimestamp{2'208'988'799, 0}));
  EXPECT_EQ(ntp_from_unix_us(-1'500'000), (NtpTimestamp{2'208'988'798, 0x8000'0000}));
  EXPECT_EQ(ntp_from_unix_us(kYear1900Us - 1), (NtpTimestamp{0xFFFF'FFFF, kFraction999999Us}));
}

TEST(NtpTimestamp, U64PacksSecondsHighFractionLow) {
  const NtpTimestamp timestamp{0x0123'4567, 0x89AB'CDEF};
  EXPECT_EQ(timestamp.to_u64(), 0x0123'4567'89AB'CDEFu);
  EXPECT_EQ(NtpTimestamp::from_u64(0x0123'4567'89AB'CDEF), timestamp);
}

TEST(NtpTimestamp, IsZeroOnlyWhenBothFieldsAreZero) {
  EXPECT_TRUE((NtpTimestamp{0, 0}).is_zero());
  EXPECT_FALSE((NtpTimestamp{0, 1}).is_zero());
  EXPECT_FALSE((NtpTimestamp{1, 0}).is_zero());
}

TEST(NtpTimestamp, EraOfSecondZeroFollowsPivot) {
  const NtpTimestamp second_zero{0, 0};
  EXPECT_EQ(unix_us_from_ntp(second_zero, kYear2030Us), kEra1StartUs);
  EXPECT_EQ(unix_us_from_ntp(second_zero, kYear2040Us), kEra1StartUs);
  EXPECT_EQ(unix_us_from_ntp(second_zero, kYear1950Us), kYear1900Us);
}

TEST(NtpTimestamp, EraOfLastSecondFollowsPivot) {
  const NtpTimestamp last_second{0xFFFF'FFFF, 0};
  const std::int64_t end_of_era0_us = kEra1StartUs - kSecondUs;
  const std::int64_t end_of_era_minus1_us = kYear1900Us - kSecondUs;
  EXPECT_EQ(unix_us_from_ntp(last_second, kYear2040Us), end_of_era0_us);
  EXPECT_EQ(unix_us_from_ntp(last_second, kYear1980Us), end_of_era0_us);
  // 1960 is 76 years before 2036 but only 60 after 1899.
  EXPECT_EQ(unix_us_from_ntp(last_second, kYear1960Us), end_of_era_minus1_us);
}

TEST(NtpTimestamp, PivotMoreThanHalfAnEraAwayPicksAnotherEra) {
  const std::int64_t unix_us = kYear1900Us + 10 * kYearUs;
  const NtpTimestamp timestamp = ntp_from_unix_us(unix_us);
  EXPECT_EQ(unix_us_from_ntp(timestamp, unix_us + 80 * kYearUs), unix_us + kEraSeconds * kSecondUs);
}

// ntp_from_unix_us then unix_us_from_ntp with pivots at, and at the far edges of, the window.
void expect_round_trip(std::int64_t unix_us) {
  const NtpTimestamp timestamp = ntp_from_unix_us(unix_us);
  EXPECT_EQ(unix_us_from_ntp(timestamp, unix_us), unix_us);
  EXPECT_EQ(unix_us_from_ntp(timestamp, unix_us - kMaxPivotDistanceUs), unix_us);
  EXPECT_EQ(unix_us_from_ntp(timestamp, unix_us + kMaxPivotDistanceUs), unix_us);
}

TEST(NtpTimestamp, RoundTripsEdgeValues) {
  for (const std::int64_t base : {kYear1900Us, std::int64_t{0}, kEra1StartUs, kYear2100Us}) {
    for (const std::int64_t delta : {-kSecondUs, -kSecondUs + 1, std::int64_t{-1}, std::int64_t{0},
                                     std::int64_t{1}, kSecondUs - 1, kSecondUs}) {
      SCOPED_TRACE(base + delta);
      expect_round_trip(base + delta);
    }
  }
}

TEST(NtpTimestamp, RoundTripsAtInt64Limits) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  EXPECT_EQ(unix_us_from_ntp(ntp_from_unix_us(kMax), kMax), kMax);
  EXPECT_EQ(unix_us_from_ntp(ntp_from_unix_us(kMin), kMin), kMin);
  // The era after the pivot's would overflow int64, so the one before is chosen.
  const NtpTimestamp at_max = ntp_from_unix_us(kMax);
  const NtpTimestamp one_second_past_max{at_max.seconds + 1, at_max.fraction};
  EXPECT_EQ(unix_us_from_ntp(one_second_past_max, kMax), kMax - (kEraSeconds - 1) * kSecondUs);
}

TEST(NtpTimestamp, RoundTripsEveryMicrosecondOfRandomSweep) {
  std::mt19937_64 random(20240517);
  std::uniform_int_distribution<std::int64_t> unix_us_in_range(kYear1900Us, kYear2100Us);
  std::uniform_int_distribution<std::int64_t> pivot_offset_us(-kMaxPivotDistanceUs,
                                                              kMaxPivotDistanceUs);
  int failures = 0;
  for (int i = 0; i < 1'000'000 && failures < 10; ++i) {
    const std::int64_t unix_us = unix_us_in_range(random);
    const std::int64_t pivot_us = unix_us + pivot_offset_us(random);
    const std::int64_t back_us = unix_us_from_ntp(ntp_from_unix_us(unix_us), pivot_us);
    if (back_us != unix_us) {
      ++failures;
      ADD_FAILURE() << unix_us << " came back as " << back_us << " (pivot " << pivot_us << ")";
    }
  }
  EXPECT_EQ(failures, 0);
}

}  // namespace
}  // namespace streamsync
