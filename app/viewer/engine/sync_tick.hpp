#pragma once

// SyncTick: everything one step of the viewer's sync loop knows, published to the status
// indicator, the stats overlay, the heartbeat and the headless JSON-lines report. A plain
// value: the engine fills it, everyone else only reads it.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace streamsync::viewer {

// What the viewer is doing, as the status indicator shows it (most specific first).
enum class ViewerState {
  connecting,    // no clock or no schedule yet
  countdown,     // the channel starts later: starts_in_us says when
  seeking,       // a seek is on its way or its first frame is held for the resume instant
  buffering,     // stalled for data
  correcting,    // playing, rate-corrected towards the target
  in_sync,       // playing within the deadband
  ended,         // a non-looping channel played to its end
  reconnecting,  // the server stopped answering; playing buffered media in sync meanwhile
  offline,       // the server stayed unreachable and the buffer ran out
};

// snake_case name, as written to reports ("in_sync").
const char* to_string(ViewerState state);

struct SyncTick {
  // The machine's real monotonic clock (CLOCK_MONOTONIC / steady_clock), never shifted by
  // --clock-skew-ms/--clock-drift-ppm, so reports of processes on one machine compare.
  std::int64_t mono_ns = 0;
  // This client's own notion of monotonic time (skewed/drifted when asked to be).
  std::int64_t local_mono_us = 0;
  // Estimated server time of the tick; nullopt until the clock has a sample.
  std::optional<std::int64_t> server_us;

  ViewerState state = ViewerState::connecting;
  std::size_t item = 0;               // schedule item index on air (target)
  std::string video_id;               // the item's video
  std::int64_t item_in_point_us = 0;  // where the item starts in its video's media
  std::int64_t item_duration_us = 0;  // how long it is on air
  double pos_s = 0;                   // filtered player position in the item's media
  double raw_pos_s = 0;               // mpv's own time-pos
  double target_s = 0;                // where the schedule says the item is
  std::optional<double> error_ms;     // pos − target (positive: ahead); nullopt while unknown
  double rate = 1.0;                  // the playback rate the player was last told
  std::optional<std::int64_t> starts_in_us;  // countdown: until the channel starts

  // Clock (core ClockEstimator), for the stats overlay.
  std::int64_t clock_offset_us = 0;       // server − local monotonic
  std::int64_t clock_error_bound_us = 0;  // 95 %
  std::int64_t rtt_us = 0;                // fastest round trip in the window
  double drift_ppm = 0;
  bool clock_over_http = false;  // UDP got no answers: using /api/v1/time

  // Player.
  double buffer_s = 0;
  std::string variant;           // rung name ("720p"), "" before the first load
  std::int64_t bitrate_bps = 0;  // of the playing variant
  std::int64_t dropped_frames = 0;
  std::string decoder;  // "hw (vaapi)" / "sw"
  int seeks = 0;
  int rate_changes = 0;
  int stalls = 0;
  int quality_switches = 0;
};

}  // namespace streamsync::viewer
