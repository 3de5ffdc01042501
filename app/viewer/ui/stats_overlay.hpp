#pragma once

// StatsOverlay: the numbers behind the status line, for the curious and for bug reports
// (key I): clock offset and error bound, round trip, drift, sync error, rate, buffer,
// variant and bitrate, dropped frames, decoder, and counts of seeks, rate changes, stalls
// and quality switches. A semi-transparent monospace panel that lets clicks through to
// the video under it.

#include <QLabel>
#include <QString>
#include <cstdint>
#include <optional>

#include "engine/sync_tick.hpp"

namespace streamsync::viewer {

// The overlay's text for a tick: one "name  value" line per figure (pure, for tests).
QString stats_text(const SyncTick& tick);

class StatsOverlay : public QLabel {
  Q_OBJECT

 public:
  explicit StatsOverlay(QWidget* parent = nullptr);

 public slots:
  // Redraws at most every 250 ms of the tick's monotonic clock: faster than that the
  // digits only flicker, and ticks come with every display frame.
  void show_tick(const streamsync::viewer::SyncTick& tick);

 private:
  std::optional<std::int64_t> shown_at_ns_;
};

}  // namespace streamsync::viewer
