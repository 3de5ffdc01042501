#pragma once

// Reading and comparing the headless viewer's JSON-lines reports (one line per sync tick,
// app/viewer/engine/tick_report.hpp). Used by the viewer's integration tests and the
// end-to-end benchmark: how far apart are the frames of several viewers at the same
// instant, and how soon did each one get in sync.
//
// All viewers of a test run on one machine, so their mono_ns (the real monotonic clock,
// never skewed) is one time axis: two viewers are compared at the same mono_ns.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "util/expected.hpp"

namespace streamsync::reports {

struct TickSample {
  std::int64_t mono_ns = 0;
  std::optional<std::int64_t> server_us;
  std::size_t item = 0;
  std::string video_id;
  double pos_s = 0;
  double raw_pos_s = 0;
  double target_s = 0;
  std::optional<double> error_ms;
  double rate = 1;
  std::string state;
  std::string variant;
  int seeks = 0;
  int rate_changes = 0;
  int stalls = 0;
  int quality_switches = 0;
  std::int64_t dropped_frames = 0;

  // Playing under rate control: in_sync or correcting (a position is known).
  bool tracking() const { return (state == "in_sync" || state == "correcting") && error_ms; }
};

using Report = std::vector<TickSample>;

// The report at path; the error names the line that is not a tick. A last line cut off
// by a killed process is skipped.
Expected<Report, std::string> load_report(const std::string& path);

// |position of a − position of b| in ms at each tick of `a` in [from_ns, to_ns) where both
// are tracking the same video: b's position is interpolated between its two ticks around
// that instant (at most max_gap_ns apart).
std::vector<double> pair_errors_ms(const Report& a, const Report& b, std::int64_t from_ns,
                                   std::int64_t to_ns, std::int64_t max_gap_ns = 100'000'000);

// All pairs of reports pooled.
std::vector<double> all_pair_errors_ms(const std::vector<Report>& reports, std::int64_t from_ns,
                                       std::int64_t to_ns);

// How many ticks the report has in [from_ns, to_ns).
std::size_t ticks_between(const Report& report, std::int64_t from_ns, std::int64_t to_ns);

// The share of the comparisons all_pair_errors_ms could have made in [from_ns, to_ns)
// (one per tick of the first report of each pair) that it made: below 1 by the time some
// viewer was not tracking (seeking, stalled, between items). Counted in ticks, not from
// an assumed tick rate, so a slow machine's fewer ticks do not read as a gap. 0 for no
// ticks.
double pair_comparison_share(const std::vector<Report>& reports, std::size_t comparisons,
                             std::int64_t from_ns, std::int64_t to_ns);

// Seconds spent in each state over [from_ns, to_ns), each tick counting until the next.
std::map<std::string, double> state_seconds(const Report& report, std::int64_t from_ns,
                                            std::int64_t to_ns);

// The p-th percentile (0..100) by nearest rank; nullopt for no values.
std::optional<double> percentile(std::vector<double> values, double p);

// The first instant at or after from_ns from which the viewer is tracking with
// |error| <= threshold_ms for hold_ns without interruption; nullopt if never.
std::optional<std::int64_t> converged_at_ns(const Report& report, std::int64_t from_ns,
                                            double threshold_ms, std::int64_t hold_ns);

// Whether any tick in [from_ns, to_ns) has this state.
bool has_state(const Report& report, const std::string& state, std::int64_t from_ns,
               std::int64_t to_ns);

}  // namespace streamsync::reports
