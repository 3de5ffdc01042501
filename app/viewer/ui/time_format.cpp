#include "ui/time_format.hpp"

#include <QDateTime>
#include <algorithm>

namespace streamsync::viewer {
namespace {

QString hms(std::int64_t total_s) {
  const std::int64_t hours = total_s / 3600;
  const std::int64_t minutes = total_s / 60 % 60;
  const std::int64_t seconds = total_s % 60;
  const QChar zero(u'0');
  if (hours > 0) {
    return QStringLiteral("%1:%2:%3")
        .arg(hours)
        .arg(minutes, 2, 10, zero)
        .arg(seconds, 2, 10, zero);
  }
  return QStringLiteral("%1:%2").arg(minutes).arg(seconds, 2, 10, zero);
}

}  // namespace

QString format_countdown(std::int64_t remaining_us) {
  const std::int64_t remaining = std::max<std::int64_t>(remaining_us, 0);
  return hms((remaining + 999'999) / 1'000'000);
}

QString format_position(std::int64_t position_us) {
  return hms(std::max<std::int64_t>(position_us, 0) / 1'000'000);
}

QString format_time_of_day(std::int64_t server_time_us) {
  return QDateTime::fromMSecsSinceEpoch(server_time_us / 1000)
      .toLocalTime()
      .toString(QStringLiteral("HH:mm:ss"));
}

}  // namespace streamsync::viewer
