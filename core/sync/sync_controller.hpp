#pragma once

// SyncController: closes the loop between where the channel is (target position, from
// the timeline and the server clock) and where the player is (its filtered position).
//
//  - |error| within the deadband: no audible correction; a slow servo (see SyncPolicy)
//    trims the player's clock drift out of the base rate and pulls the error to zero
//    with rate changes of a few hundred ppm at most;
//  - beyond it: a proportional rate change (clamped, with hysteresis) until back inside;
//  - beyond the seek threshold, after a join or after a stall: a seek. The seek lands
//    ahead of the target by the slowest recently measured seek latency; the player holds
//    that frame paused and is told to resume at the exact monotonic instant the target
//    reaches it, minus the measured resume latency. A seek thus ends in sync rather than
//    "roughly there, then seconds of rate correction";
//
// It never talks to a player: it returns commands and the caller applies them. Time is
// passed in (client monotonic µs), so the same code runs in the app and in the simulator.

#include <cstdint>
#include <optional>
#include <string_view>

#include "sync/drift_meter.hpp"
#include "sync/latency_tracker.hpp"
#include "sync/position_filter.hpp"
#include "sync/sync_policy.hpp"

namespace streamsync {

// What the player is doing, as it reports it.
enum class PlayerActivity {
  playing,
  paused,  // includes "seek finished, holding the first frame"
  seeking,
  buffering,  // stalled for data (mpv: paused-for-cache)
};

struct SyncCommand {
  enum class Kind {
    none,
    set_rate,  // play at `rate`
    seek,      // pause, seek exactly to `position_us` (media time), keep the frame on screen
    resume,    // unpause at client monotonic time `at_mono_us` (arm a timer for it)
  };
  Kind kind = Kind::none;
  double rate = 1.0;
  std::int64_t position_us = 0;
  std::int64_t at_mono_us = 0;
};

enum class SyncStatus { unsynced, in_sync, correcting, seeking, buffering };

std::string_view to_string(SyncStatus status);

struct SyncDecision {
  SyncCommand command;
  SyncStatus status = SyncStatus::unsynced;
  std::optional<std::int64_t> error_us;  // measured − target: positive means ahead
  double rate = 1.0;                     // the rate the player was last told
};

struct SyncStats {
  int seeks = 0;
  int rate_changes = 0;  // every set_rate command, servo adjustments included
  int servo_adjustments = 0;
};

class SyncController {
 public:
  explicit SyncController(SyncPolicy policy = {}, PositionFilterConfig filter_config = {});

  // A position report from the player (media µs) taken at client monotonic time mono_us.
  void on_position(std::int64_t mono_us, std::int64_t position_us);

  // Where the frame that a seek stopped on really is (media µs), reported while the player
  // holds it, before update(). A player may land elsewhere than asked — mpv can start a
  // freshly loaded HLS stream at the next segment boundary, 0.6 s past the asked position —
  // and the resume is timed from the frame on screen. Ignored outside a seek.
  void on_held_frame(std::int64_t position_us);

  // Frame duration of the current stream (for the position filter); 0 when unknown.
  void set_frame_duration_us(std::int64_t frame_duration_us);

  // Makes the next update() seek: on join, after loading another item, after a reconnect.
  void request_resync();

  // The player started the next item by itself and holds its first frame (queued items
  // start paused): it resumes when the target reaches held_position_us, at once if the
  // target is past it. held_position_us is where the caller knows that frame to play from,
  // its own start latency included: item starts differ from held seeks (by the stream's
  // first-frame offset, for one), so they teach the seek resume latency nothing. Unlike a
  // seek the status stays what it was: a transition on time is not a loss of sync. The
  // rate goes back to the base rate (a correction of the old item says nothing about the
  // new one).
  SyncDecision hold_item_start(std::int64_t now_mono_us, std::int64_t held_position_us,
                               std::int64_t target_position_us);

  // One step of the loop at now_mono_us, with the target media position at that instant.
  SyncDecision update(std::int64_t now_mono_us, std::int64_t target_position_us,
                      PlayerActivity activity);

  const SyncStats& stats() const { return stats_; }
  const SyncPolicy& policy() const { return policy_; }
  std::int64_t seek_lead_us() const;
  std::int64_t resume_latency_us() const { return resume_latency_.median_us(); }
  double drift_trim_ppm() const { return drift_trim_ppm_; }

 private:
  enum class Phase {
    need_seek,  // next step seeks
    seeking,    // seek sent, waiting for the player to hold the frame
    holding,    // frame held, resume armed
    tracking,   // playing: rate control
  };

  SyncDecision on_buffering();
  SyncDecision start_seek(std::int64_t now_mono_us, std::int64_t target_position_us);
  SyncDecision on_seeking(std::int64_t now_mono_us, std::int64_t target_position_us,
                          PlayerActivity activity);
  SyncDecision on_holding(std::int64_t now_mono_us);
  // Arms the resume of a held frame; `shown` is the status until it plays.
  SyncDecision hold_until(std::int64_t resume_at_mono_us, SyncStatus shown,
                          bool learn_resume_latency);
  SyncDecision on_tracking(std::int64_t now_mono_us, std::int64_t target_position_us);
  void learn_resume_latency();
  std::optional<SyncCommand> run_servo(std::int64_t now_mono_us, std::int64_t error_us);
  std::optional<SyncCommand> correct_rate(std::int64_t now_mono_us, std::int64_t error_us);
  SyncCommand set_rate(std::int64_t now_mono_us, double rate);
  double base_rate() const { return 1.0 + (drift_trim_ppm_ + servo_pull_ppm_) * 1e-6; }
  SyncDecision decide(SyncCommand command, SyncStatus status);

  SyncPolicy policy_;
  PositionFilter filter_;
  LatencyTracker seek_latency_;
  LatencyTracker resume_latency_;
  DriftMeter drift_meter_;
  SyncStats stats_;

  Phase phase_ = Phase::need_seek;
  bool buffering_ = false;
  double rate_ = 1.0;
  double drift_trim_ppm_ = 0.0;
  double servo_pull_ppm_ = 0.0;
  bool correcting_ = false;
  bool correcting_ahead_ = false;  // direction of the running correction: slowing down
  bool fine_tune_ = false;  // the first measurement after a seek corrects to the hysteresis band
  std::int64_t seek_sent_at_mono_us_ = 0;
  std::int64_t hold_position_us_ = 0;
  std::int64_t resume_at_mono_us_ = 0;
  SyncStatus holding_status_ = SyncStatus::seeking;  // shown while a frame is held
  bool learn_resume_latency_after_hold_ = true;      // a held seek's, not an item start's
  bool resume_latency_pending_ = false;
  std::int64_t ignore_positions_until_mono_us_ = 0;
  std::int64_t last_rate_change_mono_us_ = 0;
  std::optional<std::int64_t> last_error_us_;
  SyncStatus last_status_ = SyncStatus::unsynced;
};

}  // namespace streamsync
