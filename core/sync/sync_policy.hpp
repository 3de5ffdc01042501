#pragma once

// SyncPolicy: the knobs of the sync loop, with defaults that hold a viewer within a frame
// of the schedule without audible correction. Settable from the settings dialog, the
// command line or a channel's policy; validate() before use.

#include <cstdint>
#include <optional>
#include <string>

namespace streamsync {

struct SyncPolicy {
  // |error| at or below this is in sync: play at the trimmed rate, change nothing.
  std::int64_t deadband_us = 7'000;
  // Largest speed change used to catch up or fall back (0.05 = 0.95x..1.05x). With pitch
  // correction 5% is inaudible to most listeners.
  double max_rate_deviation = 0.05;
  // Rate deviation per second of error: at 1.0, 20 ms ahead plays at 0.98x.
  double rate_gain_per_s = 1.0;
  // A correction runs until |error| < deadband × this, so it does not stop at the edge of
  // the deadband and start again a moment later.
  double hysteresis = 0.3;
  // Rate changes are at least this far apart and at least this large; together they
  // bound the number of changes per minute.
  std::int64_t min_rate_change_interval_us = 500'000;
  double min_rate_step = 0.005;
  // |error| at or above this is fixed by a seek rather than by rate.
  std::int64_t seek_threshold_us = 1'000'000;
  // After a seek the player holds its first frame; this much lead is assumed until seek
  // latencies have been measured.
  std::int64_t initial_seek_latency_us = 500'000;
  // From unpausing a held frame to playback really moving on, assumed until the first
  // resume has been measured. Negative for a player that starts ahead of its held frame.
  std::int64_t initial_resume_latency_us = 0;
  // Extra lead on top of the slowest recent seek.
  std::int64_t seek_margin_us = 50'000;
  // How long to wait for a commanded rate to reach the screen before measuring again.
  std::int64_t rate_settle_us = 150'000;
  // Inside the deadband a slow servo keeps the error near zero instead of letting it wander
  // to the deadband edge: every servo_window_us it measures how fast the error creeps (the
  // player clock's drift, trimmed out of the base rate for good) and adds a pull that
  // removes the remaining error over the next window. Changes below min_servo_step_ppm
  // are skipped, so a well-trimmed player is left alone.
  std::int64_t servo_window_us = 20'000'000;
  double min_servo_step_ppm = 5.0;
  double max_drift_trim_ppm = 1000.0;
  double max_servo_pull_ppm = 500.0;
};

// Names the first field that is out of range, with what is allowed; nullopt when valid.
std::optional<std::string> validate(const SyncPolicy& policy);

}  // namespace streamsync
