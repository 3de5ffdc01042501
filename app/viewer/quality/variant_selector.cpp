#include "quality/variant_selector.hpp"

#include <algorithm>
#include <cmath>

namespace streamsync::viewer {

const char* to_string(QualityReason reason) {
  switch (reason) {
    case QualityReason::start:
      return "start";
    case QualityReason::hold:
      return "hold";
    case QualityReason::stall:
      return "stall";
    case QualityReason::low_buffer:
      return "low_buffer";
    case QualityReason::step_up:
      return "step_up";
    case QualityReason::pinned:
      return "pinned";
    case QualityReason::unpinned:
      return "unpinned";
  }
  return "unknown";
}

VariantSelector::VariantSelector(QualityTuning tuning) : tuning_(tuning) {}

Expected<QualityDecision, std::string> VariantSelector::set_ladder(
    std::vector<QualityRung> ladder) {
  if (ladder.empty()) return Unexpected{std::string("ladder: no renditions")};
  for (std::size_t i = 0; i < ladder.size(); ++i) {
    const std::string field = "ladder[" + std::to_string(i) + "].bandwidth_bps";
    if (ladder[i].bandwidth_bps <= 0) return Unexpected{field + " must be > 0"};
    if (i > 0 && ladder[i].bandwidth_bps < ladder[i - 1].bandwidth_bps) {
      return Unexpected{field + " is below the rung before it: the ladder must be lowest first"};
    }
  }
  if (ladder == ladder_) return QualityDecision{current_, QualityReason::hold, false};

  ladder_ = std::move(ladder);
  current_ = 0;
  started_ = false;
  // The new video's first segments prove nothing about it yet.
  stable_since_us_.reset();
  QualityReason reason = QualityReason::start;
  if (const std::optional<std::size_t> index = pinned_index()) {
    current_ = *index;
    reason = QualityReason::pinned;
  } else if (const std::optional<double> estimate_bps = throughput_estimate_bps()) {
    current_ = highest_within(tuning_.safe_fraction, *estimate_bps);
    started_ = true;
  }
  return QualityDecision{current_, reason, false};
}

QualityDecision VariantSelector::observe(const QualityObservation& observation) {
  const std::int64_t now_us = observation.now_us;
  if (observation.throughput_bps && *observation.throughput_bps >= 0) {
    const double since_last_s = last_observation_us_
                                    ? static_cast<double>(now_us - *last_observation_us_) * 1e-6
                                    : tuning_.max_sample_weight_s;
    add_throughput_sample(static_cast<double>(*observation.throughput_bps),
                          std::clamp(since_last_s, 0.0, tuning_.max_sample_weight_s));
  }
  last_observation_us_ = now_us;
  update_stability(observation);

  if (ladder_.empty()) return {0, QualityReason::hold, false};
  if (pinned()) return {current_, QualityReason::pinned, false};

  const std::optional<double> estimate_bps = throughput_estimate_bps();
  if (!started_ && estimate_bps) {
    started_ = true;
    return decide(highest_within(tuning_.safe_fraction, *estimate_bps), QualityReason::start,
                  now_us);
  }
  if (const std::optional<QualityReason> reason = emergency(observation)) {
    // Straight to a rung the estimate carries with room to refill the buffer, rather than
    // one rung at a time: each extra step would risk another stall.
    const std::size_t safe =
        estimate_bps ? highest_within(tuning_.safe_fraction, *estimate_bps) : current_ - 1;
    return decide(std::min(safe, current_ - 1), *reason, now_us);
  }
  if (may_step_up(observation)) return decide(current_ + 1, QualityReason::step_up, now_us);
  return {current_, QualityReason::hold, false};
}

QualityDecision VariantSelector::pin(std::string rung_name, std::int64_t now_us) {
  pinned_name_ = std::move(rung_name);
  if (ladder_.empty()) return {0, QualityReason::hold, false};
  if (const std::optional<std::size_t> index = pinned_index()) {
    return decide(*index, QualityReason::pinned, now_us);
  }
  const std::optional<double> estimate_bps = throughput_estimate_bps();
  if (!estimate_bps) return {current_, QualityReason::unpinned, false};
  started_ = true;
  return decide(highest_within(tuning_.safe_fraction, *estimate_bps), QualityReason::unpinned,
                now_us);
}

bool VariantSelector::pinned() const {
  return pinned_index().has_value();
}

std::optional<std::size_t> VariantSelector::pinned_index() const {
  if (pinned_name_.empty()) return std::nullopt;
  for (std::size_t i = 0; i < ladder_.size(); ++i) {
    if (ladder_[i].name == pinned_name_) return i;
  }
  return std::nullopt;
}

std::optional<double> VariantSelector::throughput_estimate_bps() const {
  if (!fast_bps_ || !slow_bps_) return std::nullopt;
  return std::min(*fast_bps_, *slow_bps_);
}

void VariantSelector::add_throughput_sample(double throughput_bps, double weight_s) {
  if (!fast_bps_ || !slow_bps_) {
    fast_bps_ = throughput_bps;
    slow_bps_ = throughput_bps;
    return;
  }
  // Exponential average over time: after half_life seconds of samples the old value
  // counts half.
  const auto blend = [&](double average, double half_life_s) {
    const double alpha = 1.0 - std::exp2(-weight_s / half_life_s);
    return average + alpha * (throughput_bps - average);
  };
  fast_bps_ = blend(*fast_bps_, tuning_.fast_half_life_s);
  slow_bps_ = blend(*slow_bps_, tuning_.slow_half_life_s);
}

void VariantSelector::update_stability(const QualityObservation& observation) {
  if (observation.stalled || observation.buffer_s < tuning_.step_up_buffer_s) {
    stable_since_us_.reset();
  } else if (!stable_since_us_) {
    stable_since_us_ = observation.now_us;
  }
}

std::size_t VariantSelector::highest_within(double fraction, double throughput_bps) const {
  std::size_t chosen = 0;
  for (std::size_t i = 0; i < ladder_.size(); ++i) {
    if (static_cast<double>(ladder_[i].bandwidth_bps) <= fraction * throughput_bps) chosen = i;
  }
  return chosen;
}

std::optional<QualityReason> VariantSelector::emergency(
    const QualityObservation& observation) const {
  if (current_ == 0) return std::nullopt;
  const bool low_buffer = observation.buffer_s < tuning_.low_buffer_s;
  if (!observation.stalled && !low_buffer) return std::nullopt;
  const QualityReason reason =
      observation.stalled ? QualityReason::stall : QualityReason::low_buffer;
  const std::optional<double> estimate_bps = throughput_estimate_bps();
  // Without any measurement only a real stall is evidence enough to step down; a low
  // buffer alone is also what every start and every switch looks like.
  if (!estimate_bps) return observation.stalled ? std::optional(reason) : std::nullopt;
  // A stall or a low buffer on a rung the network carries with headroom has another cause
  // (a seek, a server hiccup): a lower rung would not help.
  const auto bandwidth_bps = static_cast<double>(ladder_[current_].bandwidth_bps);
  if (*estimate_bps >= bandwidth_bps / tuning_.sustainable_fraction) return std::nullopt;
  return reason;
}

bool VariantSelector::may_step_up(const QualityObservation& observation) const {
  if (current_ + 1 >= ladder_.size()) return false;
  const std::optional<double> estimate_bps = throughput_estimate_bps();
  if (!estimate_bps || !stable_since_us_) return false;
  if (observation.now_us - *stable_since_us_ < tuning_.step_up_stable_us) return false;
  if (last_switch_us_ && observation.now_us - *last_switch_us_ < tuning_.min_switch_interval_us) {
    return false;
  }
  const auto next_bps = static_cast<double>(ladder_[current_ + 1].bandwidth_bps);
  return *estimate_bps >= tuning_.step_up_headroom * next_bps;
}

QualityDecision VariantSelector::decide(std::size_t index, QualityReason reason,
                                        std::int64_t now_us) {
  if (index == current_) return {current_, reason, false};
  current_ = index;
  last_switch_us_ = now_us;
  // The new rung has to prove itself from here before the next step up.
  stable_since_us_ = now_us;
  return {current_, reason, true};
}

}  // namespace streamsync::viewer
