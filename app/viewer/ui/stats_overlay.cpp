#include "ui/stats_overlay.hpp"

#include <QFontDatabase>
#include <QStringList>

namespace streamsync::viewer {
namespace {

constexpr std::int64_t kRefreshNs = 250'000'000;
constexpr int kNameWidth = 15;

QString ms_from_us(std::int64_t us, bool with_sign) {
  const QString number = QString::number(static_cast<double>(us) / 1000.0, 'f', 3);
  return (with_sign && us > 0 ? QStringLiteral("+") : QString()) + number + QStringLiteral(" ms");
}

QString signed_number(double value, int decimals) {
  return (value > 0 ? QStringLiteral("+") : QString()) + QString::number(value, 'f', decimals);
}

}  // namespace

QString stats_text(const SyncTick& tick) {
  QStringList lines;
  const auto add = [&](const char* name, const QString& value) {
    lines.append(QString::fromLatin1(name).leftJustified(kNameWidth) + value);
  };
  const QString none = QStringLiteral("–");

  add("clock offset", ms_from_us(tick.clock_offset_us, true));
  add("clock error",
      QStringLiteral("±") + ms_from_us(tick.clock_error_bound_us, false) +
          (tick.clock_over_http ? QStringLiteral(" (HTTP)") : QStringLiteral(" (NTP)")));
  add("rtt", ms_from_us(tick.rtt_us, false));
  add("drift", signed_number(tick.drift_ppm, 1) + QStringLiteral(" ppm"));
  add("sync error",
      tick.error_ms ? signed_number(*tick.error_ms, 2) + QStringLiteral(" ms") : none);
  add("rate", QString::number(tick.rate, 'f', 4));
  add("buffer", QString::number(tick.buffer_s, 'f', 1) + QStringLiteral(" s"));
  const QString variant = tick.variant.empty() ? none : QString::fromStdString(tick.variant);
  add("variant", tick.bitrate_bps > 0
                     ? variant + QStringLiteral(" @ %1 Mb/s")
                                     .arg(static_cast<double>(tick.bitrate_bps) / 1e6, 0, 'f', 2)
                     : variant);
  add("dropped frames", QString::number(tick.dropped_frames));
  add("decoder", tick.decoder.empty() ? none : QString::fromStdString(tick.decoder));
  add("seeks", QString::number(tick.seeks));
  add("rate changes", QString::number(tick.rate_changes));
  add("stalls", QString::number(tick.stalls));
  add("quality sw.", QString::number(tick.quality_switches));
  return lines.join(QLatin1Char('\n'));
}

StatsOverlay::StatsOverlay(QWidget* parent) : QLabel(parent) {
  setObjectName(QStringLiteral("statsOverlay"));
  setTextFormat(Qt::PlainText);
  setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  setAlignment(Qt::AlignLeft | Qt::AlignTop);
  setMargin(8);
  setAutoFillBackground(true);
  QPalette colours = palette();
  colours.setColor(QPalette::Window, QColor(0, 0, 0, 170));
  colours.setColor(QPalette::WindowText, Qt::white);
  setPalette(colours);
  // Double-clicks and the mouse belong to the video page under the panel.
  setAttribute(Qt::WA_TransparentForMouseEvents);
  setText(tr("No statistics yet"));
}

void StatsOverlay::show_tick(const SyncTick& tick) {
  if (shown_at_ns_ && tick.mono_ns >= *shown_at_ns_ && tick.mono_ns - *shown_at_ns_ < kRefreshNs)
    return;
  shown_at_ns_ = tick.mono_ns;
  setText(stats_text(tick));
}

}  // namespace streamsync::viewer
