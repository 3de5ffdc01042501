#include "ui/sync_status_indicator.hpp"

#include <cmath>

#include "ui/time_format.hpp"

namespace streamsync::viewer {
namespace {

// "1.02", "0.995": two decimals, a third only when it says something.
QString format_rate(double rate) {
  QString text = QString::number(rate, 'f', 3);
  if (text.endsWith(QLatin1Char('0'))) text.chop(1);
  return text;
}

QString signed_ms(double error_ms) {
  const long rounded = std::lround(error_ms);
  return rounded > 0 ? QStringLiteral("+%1").arg(rounded) : QString::number(rounded);
}

}  // namespace

QString status_text(const SyncTick& tick) {
  switch (tick.state) {
    case ViewerState::connecting:
      return SyncStatusIndicator::tr("Joining…");
    case ViewerState::countdown:
      return SyncStatusIndicator::tr("Starts in %1")
          .arg(format_countdown(tick.starts_in_us.value_or(0)));
    case ViewerState::seeking:
      return SyncStatusIndicator::tr("Seeking…");
    case ViewerState::buffering:
      return SyncStatusIndicator::tr("Buffering…");
    case ViewerState::correcting:
      if (!tick.error_ms)
        return SyncStatusIndicator::tr("Correcting (rate %1)").arg(format_rate(tick.rate));
      return SyncStatusIndicator::tr("Correcting %1 ms (rate %2)")
          .arg(signed_ms(*tick.error_ms), format_rate(tick.rate));
    case ViewerState::in_sync:
      if (!tick.error_ms) return SyncStatusIndicator::tr("In sync");
      return SyncStatusIndicator::tr("In sync ±%1 ms").arg(std::lround(std::abs(*tick.error_ms)));
    case ViewerState::ended:
      return SyncStatusIndicator::tr("Ended");
    case ViewerState::reconnecting:
      return SyncStatusIndicator::tr("Reconnecting…");
    case ViewerState::offline:
      return SyncStatusIndicator::tr("Offline");
  }
  return {};
}

StatusTone status_tone(ViewerState state) {
  switch (state) {
    case ViewerState::in_sync:
      return StatusTone::good;
    case ViewerState::connecting:
    case ViewerState::seeking:
    case ViewerState::buffering:
    case ViewerState::correcting:
    case ViewerState::reconnecting:
      return StatusTone::working;
    case ViewerState::offline:
      return StatusTone::bad;
    case ViewerState::countdown:
    case ViewerState::ended:
      return StatusTone::plain;
  }
  return StatusTone::plain;
}

QColor status_colour(StatusTone tone) {
  // Dark enough to read on a light status bar, bright enough on a dark one.
  switch (tone) {
    case StatusTone::good:
      return QColor(0x2e, 0x9d, 0x3a);
    case StatusTone::working:
      return QColor(0xd0, 0x8a, 0x00);
    case StatusTone::bad:
      return QColor(0xd3, 0x2f, 0x2f);
    case StatusTone::plain:
      return {};
  }
  return {};
}

SyncStatusIndicator::SyncStatusIndicator(QWidget* parent) : QLabel(parent) {
  setObjectName(QStringLiteral("syncStatus"));
  setTextFormat(Qt::PlainText);
  show_idle();
}

void SyncStatusIndicator::show_tick(const SyncTick& tick) {
  show_status(status_text(tick), status_tone(tick.state));
}

void SyncStatusIndicator::show_joining() {
  show_status(tr("Joining…"), StatusTone::working);
}

void SyncStatusIndicator::show_idle() {
  show_status(tr("Not watching"), StatusTone::plain);
}

void SyncStatusIndicator::show_status(const QString& text, StatusTone tone) {
  // Both are no-ops when nothing changed, which is most ticks.
  setText(text);
  tone_ = tone;
  const QColor colour = status_colour(tone);
  if (!colour.isValid()) {
    setPalette(QPalette());  // back to the inherited colours
    return;
  }
  QPalette coloured = palette();
  coloured.setColor(QPalette::WindowText, colour);
  setPalette(coloured);
}

}  // namespace streamsync::viewer
