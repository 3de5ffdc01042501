#include "sync/sync_controller.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace streamsync {
namespace {

// A seek that has not finished after this long is sent again.
constexpr std::int64_t kSeekTimeoutUs = 10'000'000;
// Rate changes smaller than this (drift trims) leave the position filter's fit valid.
constexpr double kFilterResetRateChange = 1e-3;
// Longest a held frame waits for the target; longer means the target moved (new item,
// new schedule) and the hold is stale.
constexpr std::int64_t kMaxHoldUs = 5'000'000;

}  // namespace

std::string_view to_string(SyncStatus status) {
  switch (status) {
    case SyncStatus::unsynced:
      return "unsynced";
    case SyncStatus::in_sync:
      return "in sync";
    case SyncStatus::correcting:
      return "correcting";
    case SyncStatus::seeking:
      return "seeking";
    case SyncStatus::buffering:
      return "buffering";
  }
  return "unknown";
}

SyncController::SyncController(SyncPolicy policy, PositionFilterConfig filter_config)
    : policy_(policy),
      filter_(filter_config),
      seek_latency_(policy.initial_seek_latency_us),
      resume_latency_(policy.initial_resume_latency_us) {}

void SyncController::set_frame_duration_us(std::int64_t frame_duration_us) {
  filter_.set_frame_duration_us(frame_duration_us);
}

void SyncController::request_resync() {
  phase_ = Phase::need_seek;
}

std::int64_t SyncController::seek_lead_us() const {
  return seek_latency_.worst_us() + policy_.seek_margin_us;
}

void SyncController::on_position(std::int64_t mono_us, std::int64_t position_us) {
  if (phase_ != Phase::tracking || mono_us < ignore_positions_until_mono_us_) return;
  filter_.add(mono_us, position_us);
}

SyncDecision SyncController::update(std::int64_t now_mono_us, std::int64_t target_position_us,
                                    PlayerActivity activity) {
  if (activity == PlayerActivity::buffering && phase_ != Phase::seeking) return on_buffering();
  if (buffering_) {
    // The stall is over: whatever played before it no longer says where the player is.
    buffering_ = false;
    phase_ = Phase::need_seek;
  }
  switch (phase_) {
    case Phase::need_seek:
      return start_seek(now_mono_us, target_position_us);
    case Phase::seeking:
      return on_seeking(now_mono_us, target_position_us, activity);
    case Phase::holding:
      return on_holding(now_mono_us);
    case Phase::tracking:
      return on_tracking(now_mono_us, target_position_us);
  }
  return decide({}, last_status_);
}

void SyncController::on_held_frame(std::int64_t position_us) {
  if (phase_ == Phase::seeking) hold_position_us_ = position_us;
}

SyncDecision SyncController::on_buffering() {
  buffering_ = true;
  correcting_ = false;
  last_error_us_.reset();
  return decide({}, SyncStatus::buffering);
}

SyncDecision SyncController::start_seek(std::int64_t now_mono_us, std::int64_t target_position_us) {
  // Seeking resets the speed too: the held frame resumes at the base rate.
  rate_ = base_rate();
  correcting_ = false;
  last_error_us_.reset();
  drift_meter_.reset();
  hold_position_us_ = target_position_us + seek_lead_us();
  seek_sent_at_mono_us_ = now_mono_us;
  phase_ = Phase::seeking;
  ++stats_.seeks;
  SyncCommand command;
  command.kind = SyncCommand::Kind::seek;
  command.position_us = hold_position_us_;
  command.rate = rate_;
  return decide(command, SyncStatus::seeking);
}

SyncDecision SyncController::on_seeking(std::int64_t now_mono_us, std::int64_t target_position_us,
                                        PlayerActivity activity) {
  if (activity != PlayerActivity::paused) {
    if (now_mono_us - seek_sent_at_mono_us_ > kSeekTimeoutUs)
      return start_seek(now_mono_us, target_position_us);
    return decide({}, SyncStatus::seeking);
  }
  seek_latency_.add(now_mono_us - seek_sent_at_mono_us_);
  // The target advances one media µs per µs; resume when it reaches the held frame.
  const std::int64_t wait_us = hold_position_us_ - resume_latency_.median_us() - target_position_us;
  if (wait_us < -policy_.deadband_us || wait_us > kMaxHoldUs) {
    // Landed behind the target (the seek was slower than any measured before) or the
    // target jumped: seek again with what was just learned.
    return start_seek(now_mono_us, target_position_us);
  }
  return hold_until(now_mono_us + std::max<std::int64_t>(wait_us, 0), SyncStatus::seeking,
                    /*learn_resume_latency=*/true);
}

SyncDecision SyncController::hold_item_start(std::int64_t now_mono_us,
                                             std::int64_t held_position_us,
                                             std::int64_t target_position_us) {
  rate_ = base_rate();
  correcting_ = false;
  last_error_us_.reset();
  drift_meter_.reset();
  hold_position_us_ = held_position_us;
  const std::int64_t wait_us = held_position_us - target_position_us;
  const SyncStatus shown =
      last_status_ == SyncStatus::correcting ? SyncStatus::in_sync : last_status_;
  return hold_until(now_mono_us + std::clamp<std::int64_t>(wait_us, 0, kMaxHoldUs), shown,
                    /*learn_resume_latency=*/false);
}

SyncDecision SyncController::hold_until(std::int64_t resume_at_mono_us, SyncStatus shown,
                                        bool learn_resume_latency) {
  resume_at_mono_us_ = resume_at_mono_us;
  holding_status_ = shown;
  learn_resume_latency_after_hold_ = learn_resume_latency;
  phase_ = Phase::holding;
  SyncCommand command;
  command.kind = SyncCommand::Kind::resume;
  command.at_mono_us = resume_at_mono_us_;
  command.rate = rate_;
  return decide(command, shown);
}

SyncDecision SyncController::on_holding(std::int64_t now_mono_us) {
  if (now_mono_us < resume_at_mono_us_) return decide({}, holding_status_);
  phase_ = Phase::tracking;
  fine_tune_ = true;
  filter_.reset(rate_);
  ignore_positions_until_mono_us_ = resume_at_mono_us_;
  resume_latency_pending_ = learn_resume_latency_after_hold_;
  return decide({}, holding_status_);
}

void SyncController::learn_resume_latency() {
  // Where the fitted line stood at the resume instant says how late playback started.
  const double rate = std::max(filter_.rate(), 0.5);
  const auto late_media_us =
      static_cast<double>(hold_position_us_ - filter_.position_at_us(resume_at_mono_us_));
  resume_latency_.add(resume_latency_.median_us() +
                      static_cast<std::int64_t>(std::llround(late_media_us / rate)));
  resume_latency_pending_ = false;
}

SyncDecision SyncController::on_tracking(std::int64_t now_mono_us,
                                         std::int64_t target_position_us) {
  if (!filter_.settled()) return decide({}, last_status_);
  if (resume_latency_pending_) learn_resume_latency();

  const std::int64_t error_us = filter_.position_at_us(now_mono_us) - target_position_us;
  last_error_us_ = error_us;
  if (std::llabs(error_us) >= policy_.seek_threshold_us)
    return start_seek(now_mono_us, target_position_us);

  if (auto command = run_servo(now_mono_us, error_us)) return decide(*command, SyncStatus::in_sync);
  if (auto command = correct_rate(now_mono_us, error_us)) {
    return decide(*command, correcting_ ? SyncStatus::correcting : SyncStatus::in_sync);
  }
  return decide({}, correcting_ ? SyncStatus::correcting : SyncStatus::in_sync);
}

std::optional<SyncCommand> SyncController::run_servo(std::int64_t now_mono_us,
                                                     std::int64_t error_us) {
  if (correcting_) return std::nullopt;
  drift_meter_.add(now_mono_us, error_us);
  if (drift_meter_.span_us() < policy_.servo_window_us) return std::nullopt;
  // The error crept at (player drift + trim + pull) ppm; what is left besides our own pull
  // is drift the trim has not caught yet.
  const double uncorrected_drift_ppm = drift_meter_.slope_ppm() - servo_pull_ppm_;
  const double trim_ppm = std::clamp(drift_trim_ppm_ - uncorrected_drift_ppm,
                                     -policy_.max_drift_trim_ppm, policy_.max_drift_trim_ppm);
  const double window_s = static_cast<double>(policy_.servo_window_us) / 1e6;
  const double pull_ppm = std::clamp(-drift_meter_.error_at_end_us() / window_s,
                                     -policy_.max_servo_pull_ppm, policy_.max_servo_pull_ppm);
  drift_meter_.reset();
  if (std::abs(trim_ppm + pull_ppm - drift_trim_ppm_ - servo_pull_ppm_) <
      policy_.min_servo_step_ppm) {
    return std::nullopt;
  }
  drift_trim_ppm_ = trim_ppm;
  servo_pull_ppm_ = pull_ppm;
  ++stats_.servo_adjustments;
  return set_rate(now_mono_us, base_rate());
}

std::optional<SyncCommand> SyncController::correct_rate(std::int64_t now_mono_us,
                                                        std::int64_t error_us) {
  const auto abs_error_us = static_cast<double>(std::llabs(error_us));
  const auto deadband_us = static_cast<double>(policy_.deadband_us);
  // Every rate change, the return to the base rate included, waits for the interval: that
  // is what bounds the changes per minute. The price is a little overshoot at the end.
  const bool too_soon =
      now_mono_us - last_rate_change_mono_us_ < policy_.min_rate_change_interval_us;
  if (!correcting_) {
    const double band_us = deadband_us * (fine_tune_ ? policy_.hysteresis : 1.0);
    fine_tune_ = false;
    if (abs_error_us <= band_us) return std::nullopt;
    correcting_ = true;
    correcting_ahead_ = error_us > 0;
    drift_meter_.reset();
  } else if ((error_us > 0) != correcting_ahead_ ||
             abs_error_us < deadband_us * policy_.hysteresis) {
    // Done: inside the hysteresis band, or past zero.
    if (rate_ == base_rate()) {
      correcting_ = false;  // the correction never got to change the rate
      return std::nullopt;
    }
    if (too_soon) return std::nullopt;
    correcting_ = false;
    return set_rate(now_mono_us, base_rate());
  }
  // Proportional, at least one min_rate_step (else a small error would be "corrected" by
  // nothing), at most max_rate_deviation.
  const double proportional = policy_.rate_gain_per_s * abs_error_us / 1e6;
  const double magnitude =
      std::clamp(proportional, policy_.min_rate_step, policy_.max_rate_deviation);
  const double wanted_rate = base_rate() * (1.0 + (correcting_ahead_ ? -magnitude : magnitude));
  if (too_soon || std::abs(wanted_rate - rate_) < policy_.min_rate_step) return std::nullopt;
  return set_rate(now_mono_us, wanted_rate);
}

SyncCommand SyncController::set_rate(std::int64_t now_mono_us, double rate) {
  if (std::abs(rate - rate_) > kFilterResetRateChange) {
    // Reports from before the new rate reached the screen would bend the line.
    filter_.reset(rate);
    ignore_positions_until_mono_us_ = now_mono_us + policy_.rate_settle_us;
  }
  rate_ = rate;
  last_rate_change_mono_us_ = now_mono_us;
  ++stats_.rate_changes;
  SyncCommand command;
  command.kind = SyncCommand::Kind::set_rate;
  command.rate = rate;
  return command;
}

SyncDecision SyncController::decide(SyncCommand command, SyncStatus status) {
  last_status_ = status;
  SyncDecision decision;
  decision.command = command;
  decision.status = status;
  decision.error_us = last_error_us_;
  decision.rate = rate_;
  return decision;
}

}  // namespace streamsync
