#include "sim_player.hpp"

#include <algorithm>
#include <cmath>

namespace streamsync::sim {

SimPlayer::SimPlayer(SimPlayerConfig config, std::uint64_t seed) : config_(config), rng_(seed) {}

std::int64_t SimPlayer::draw(std::int64_t min_us, std::int64_t max_us) {
  return std::uniform_int_distribution<std::int64_t>(min_us, max_us)(rng_);
}

bool SimPlayer::stalled(std::int64_t true_us) const {
  return std::any_of(stalls_.begin(), stalls_.end(), [&](const Stall& s) {
    return true_us >= s.start_true_us && true_us < s.end_true_us;
  });
}

void SimPlayer::advance_to(std::int64_t now_true_us) {
  const auto dt_us = static_cast<double>(now_true_us - now_true_us_);
  buffering_ = stalled(now_true_us);
  if (!paused_ && !seeking_ && !buffering_)
    position_us_ += dt_us * rate_ * (1.0 + config_.media_clock_ppm * 1e-6);
  now_true_us_ = now_true_us;

  if (pending_rate_ && now_true_us >= pending_rate_->at_true_us) {
    rate_ = pending_rate_->value;
    pending_rate_.reset();
  }
  if (pending_seek_ && now_true_us >= pending_seek_->at_true_us) {
    position_us_ = pending_seek_->value;
    seeking_ = false;
    pending_seek_.reset();
  }
  if (pending_resume_at_true_us_ && now_true_us >= *pending_resume_at_true_us_) {
    paused_ = false;
    pending_resume_at_true_us_.reset();
  }
}

void SimPlayer::set_rate(std::int64_t now_true_us, double rate) {
  pending_rate_ =
      Pending{now_true_us + draw(config_.rate_delay_min_us, config_.rate_delay_max_us), rate};
}

void SimPlayer::seek_paused(std::int64_t now_true_us, std::int64_t position_us) {
  paused_ = true;
  seeking_ = true;
  pending_resume_at_true_us_.reset();
  pending_seek_ =
      Pending{now_true_us + draw(config_.seek_latency_min_us, config_.seek_latency_max_us),
              static_cast<double>(position_us)};
}

void SimPlayer::resume(std::int64_t now_true_us) {
  pending_resume_at_true_us_ =
      now_true_us + draw(config_.resume_latency_min_us, config_.resume_latency_max_us);
}

PlayerActivity SimPlayer::activity() const {
  if (seeking_) return PlayerActivity::seeking;
  if (buffering_) return PlayerActivity::buffering;
  return paused_ ? PlayerActivity::paused : PlayerActivity::playing;
}

std::int64_t SimPlayer::frame_duration_us() const {
  return std::llround(1e6 / config_.fps);
}

std::int64_t SimPlayer::reported_position_us() const {
  const double frame_us = 1e6 / config_.fps;
  return static_cast<std::int64_t>(std::floor(position_us_ / frame_us) * frame_us);
}

}  // namespace streamsync::sim
