#pragma once

// SyncStatusIndicator: the always-visible line that says how well this viewer follows the
// channel: "In sync ±3 ms" (green), "Correcting +42 ms (rate 1.02)" (amber), "Seeking…",
// "Buffering…", "Joining…", "Reconnecting…" (amber), "Offline" (red), "Starts in 0:12",
// "Ended" (plain). It shows the latest SyncTick and nothing else.

#include <QColor>
#include <QLabel>
#include <QString>

#include "engine/sync_tick.hpp"

namespace streamsync::viewer {

// How the status should strike the eye.
enum class StatusTone {
  plain,    // nothing to judge: not watching, before the start, after the end
  good,     // in sync
  working,  // on its way: correcting, seeking, buffering, joining, reconnecting
  bad,      // offline
};

// The indicator's words and tone for a tick (pure, for the indicator and its tests).
QString status_text(const SyncTick& tick);
StatusTone status_tone(ViewerState state);
// The text colour of a tone; invalid for plain (the palette's own).
QColor status_colour(StatusTone tone);

class SyncStatusIndicator : public QLabel {
  Q_OBJECT

 public:
  explicit SyncStatusIndicator(QWidget* parent = nullptr);

  StatusTone tone() const { return tone_; }

 public slots:
  void show_tick(const streamsync::viewer::SyncTick& tick);
  // A channel was asked for; its first tick is still to come.
  void show_joining();
  // Not watching anything.
  void show_idle();

 private:
  void show_status(const QString& text, StatusTone tone);

  StatusTone tone_ = StatusTone::plain;
};

}  // namespace streamsync::viewer
