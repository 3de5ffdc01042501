#pragma once

// TickReport: the headless viewer's JSON-lines report, one object per sync tick, for
// benchmarks and tests (issue #6 lists the keys). Written line-buffered, so a report of a
// process that is killed ends with whole lines.

#include <QFile>
#include <QString>

#include "engine/sync_tick.hpp"

namespace streamsync::viewer {

// One line (without the newline): mono_ns, server_us, item, pos_s, raw_pos_s, target_s,
// error_ms, rate, state, plus buffer_s, variant, seeks, rate_changes, stalls,
// quality_switches, dropped_frames, clock_error_bound_us. Unknown values are null.
std::string to_json_line(const SyncTick& tick);

class TickReport {
 public:
  // Opens (truncates) path; false with error() when it cannot.
  bool open(const QString& path);
  bool is_open() const { return file_.isOpen(); }
  void write(const SyncTick& tick);
  QString error() const { return file_.errorString(); }

 private:
  QFile file_;
};

}  // namespace streamsync::viewer
