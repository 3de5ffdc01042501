#include "media/time_text.hpp"

#include <array>
#include <chrono>
#include <cstdio>

namespace streamsync::server {
namespace {

using namespace std::chrono;

constexpr std::array<std::string_view, 7> kWeekdays = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> kLongWeekdays = {
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

// Floor division, so that times before the epoch split into a day and a time of day >= 0.
std::int64_t floor_div(std::int64_t value, std::int64_t divisor) {
  const std::int64_t quotient = value / divisor;
  return (value % divisor < 0) ? quotient - 1 : quotient;
}

struct CivilTime {
  year_month_day date;
  std::int64_t seconds_of_day = 0;
};

CivilTime civil_from_unix_seconds(std::int64_t unix_seconds) {
  constexpr std::int64_t kDay = 86'400;
  const std::int64_t days = floor_div(unix_seconds, kDay);
  return {year_month_day{sys_days{std::chrono::days{days}}}, unix_seconds - days * kDay};
}

// A cursor over the text being parsed: each take_* consumes on success only.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}
  bool done() const { return text_.empty(); }
  bool literal(std::string_view expected) {
    if (text_.substr(0, expected.size()) != expected) return false;
    text_.remove_prefix(expected.size());
    return true;
  }
  // Exactly `digits` decimal digits (a leading space counts as 0 when space_pad: asctime).
  std::optional<int> number(std::size_t digits, bool space_pad = false) {
    if (text_.size() < digits) return std::nullopt;
    int value = 0;
    for (std::size_t i = 0; i < digits; ++i) {
      const char c = text_[i];
      if (space_pad && i == 0 && c == ' ') continue;
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + (c - '0');
    }
    text_.remove_prefix(digits);
    return value;
  }
  // The index of the name in names that the text starts with.
  template <std::size_t N>
  std::optional<unsigned> name(const std::array<std::string_view, N>& names) {
    for (unsigned i = 0; i < N; ++i) {
      if (literal(names[i])) return i;
    }
    return std::nullopt;
  }

 private:
  std::string_view text_;
};

std::optional<std::int64_t> to_unix_seconds(int year_value, unsigned month_index, int day_value,
                                            int hour, int minute, int second) {
  const year_month_day date{year{year_value}, month{month_index + 1},
                            day{static_cast<unsigned>(day_value)}};
  if (!date.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  const std::int64_t days = sys_days{date}.time_since_epoch().count();
  return days * 86'400 + hour * 3'600 + minute * 60 + second;
}

// "HH:MM:SS" into the three out-parameters.
bool time_of_day(Scanner& scan, int& hour, int& minute, int& second) {
  const auto h = scan.number(2);
  if (!h || !scan.literal(":")) return false;
  const auto m = scan.number(2);
  if (!m || !scan.literal(":")) return false;
  const auto s = scan.number(2);
  if (!s) return false;
  hour = *h;
  minute = *m;
  second = *s;
  return true;
}

std::optional<std::int64_t> parse_imf_fixdate(std::string_view text) {
  Scanner scan(text);
  int hour = 0, minute = 0, second = 0;
  if (!scan.name(kWeekdays) || !scan.literal(", ")) return std::nullopt;
  const auto d = scan.number(2);
  if (!d || !scan.literal(" ")) return std::nullopt;
  const auto mon = scan.name(kMonths);
  if (!mon || !scan.literal(" ")) return std::nullopt;
  const auto y = scan.number(4);
  if (!y || !scan.literal(" ") || !time_of_day(scan, hour, minute, second)) return std::nullopt;
  if (!scan.literal(" GMT") || !scan.done()) return std::nullopt;
  return to_unix_seconds(*y, *mon, *d, hour, minute, second);
}

std::optional<std::int64_t> parse_rfc850(std::string_view text) {
  Scanner scan(text);
  int hour = 0, minute = 0, second = 0;
  if (!scan.name(kLongWeekdays) || !scan.literal(", ")) return std::nullopt;
  const auto d = scan.number(2);
  if (!d || !scan.literal("-")) return std::nullopt;
  const auto mon = scan.name(kMonths);
  if (!mon || !scan.literal("-")) return std::nullopt;
  const auto yy = scan.number(2);
  if (!yy || !scan.literal(" ") || !time_of_day(scan, hour, minute, second)) return std::nullopt;
  if (!scan.literal(" GMT") || !scan.done()) return std::nullopt;
  // RFC 9110 asks for the most recent past year with those digits; a fixed 1970..2069
  // window gives the same answer until 2070 without consulting a clock.
  const int full_year = *yy < 70 ? 2000 + *yy : 1900 + *yy;
  return to_unix_seconds(full_year, *mon, *d, hour, minute, second);
}

std::optional<std::int64_t> parse_asctime(std::string_view text) {
  Scanner scan(text);
  int hour = 0, minute = 0, second = 0;
  if (!scan.name(kWeekdays) || !scan.literal(" ")) return std::nullopt;
  const auto mon = scan.name(kMonths);
  if (!mon || !scan.literal(" ")) return std::nullopt;
  const auto d = scan.number(2, /*space_pad=*/true);
  if (!d || !scan.literal(" ") || !time_of_day(scan, hour, minute, second)) return std::nullopt;
  if (!scan.literal(" ")) return std::nullopt;
  const auto y = scan.number(4);
  if (!y || !scan.done()) return std::nullopt;
  return to_unix_seconds(*y, *mon, *d, hour, minute, second);
}

}  // namespace

std::string format_http_date(std::int64_t unix_seconds) {
  const CivilTime civil = civil_from_unix_seconds(unix_seconds);
  const weekday day_of_week{sys_days{civil.date}};
  const std::int64_t s = civil.seconds_of_day;
  std::array<char, 40> text{};
  std::snprintf(text.data(), text.size(), "%s, %02u %s %04d %02d:%02d:%02d GMT",
                kWeekdays[day_of_week.c_encoding()].data(), static_cast<unsigned>(civil.date.day()),
                kMonths[static_cast<unsigned>(civil.date.month()) - 1].data(),
                static_cast<int>(civil.date.year()), static_cast<int>(s / 3600),
                static_cast<int>(s / 60 % 60), static_cast<int>(s % 60));
  return text.data();
}

std::optional<std::int64_t> parse_http_date(std::string_view text) {
  if (auto seconds = parse_imf_fixdate(text)) return seconds;
  if (auto seconds = parse_rfc850(text)) return seconds;
  return parse_asctime(text);
}

std::string format_iso8601_ms(std::int64_t unix_us) {
  const std::int64_t unix_ms = floor_div(unix_us, 1'000);
  const std::int64_t unix_seconds = floor_div(unix_ms, 1'000);
  const CivilTime civil = civil_from_unix_seconds(unix_seconds);
  const std::int64_t s = civil.seconds_of_day;
  std::array<char, 40> text{};
  std::snprintf(text.data(), text.size(), "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<int>(civil.date.year()), static_cast<unsigned>(civil.date.month()),
                static_cast<unsigned>(civil.date.day()), static_cast<int>(s / 3600),
                static_cast<int>(s / 60 % 60), static_cast<int>(s % 60),
                static_cast<int>(unix_ms - unix_seconds * 1'000));
  return text.data();
}

}  // namespace streamsync::server
