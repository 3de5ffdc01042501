#include "sim_viewer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace streamsync::sim {
namespace {

// How long the server holds a request between its two timestamps.
constexpr std::int64_t kServerHoldUs = 30;
// The app runs its sync tick with the display, ~60 Hz, with some scheduling jitter.
constexpr std::int64_t kTickUs = 16'667;
constexpr std::int64_t kTickJitterUs = 2'000;

}  // namespace

SimViewer::SimViewer(SimViewerConfig config, const Timeline& timeline, const ServerClock& server)
    : config_(config),
      timeline_(timeline),
      server_(server),
      rng_(config.seed),
      player_(config.player, config.seed * 7919 + 1),
      poll_(config.poll),
      controller_(config.policy) {
  controller_.set_frame_duration_us(player_.frame_duration_us());
}

void SimViewer::step(std::int64_t now_true_us) {
  if (now_true_us < config_.join_at_true_us) return;
  const std::int64_t now_mono_us = config_.clock.mono_us(now_true_us);
  if (!joined_) {
    joined_ = true;
    poll_.request_burst(now_mono_us);
    next_tick_true_us_ = now_true_us;
  }
  player_.advance_to(now_true_us);
  if (resume_at_mono_us_ && now_mono_us >= *resume_at_mono_us_) {
    player_.resume(now_true_us);
    resume_at_mono_us_.reset();
  }
  if (now_mono_us >= poll_.next_poll_at_us()) poll_time_server(now_true_us, now_mono_us);
  receive_time_replies(now_true_us);
  if (now_true_us >= next_tick_true_us_) {
    run_sync_tick(now_true_us, now_mono_us);
    next_tick_true_us_ =
        now_true_us + kTickUs +
        std::uniform_int_distribution<std::int64_t>(-kTickJitterUs, kTickJitterUs)(rng_);
  }
}

void SimViewer::poll_time_server(std::int64_t now_true_us, std::int64_t now_mono_us) {
  const bool has_estimate = estimator_.state() != ClockState::unsynced;
  poll_.on_sent(now_mono_us, has_estimate ? estimator_.error_bound_us(now_mono_us) : INT64_MAX);
  std::bernoulli_distribution lost(config_.path.loss);
  if (lost(rng_) || lost(rng_)) return;  // request or reply dropped: no sample this time
  const auto out_us = std::llround(config_.path.to_server.draw_us(rng_));
  const auto back_us = std::llround(config_.path.to_client.draw_us(rng_));
  const std::int64_t received_true_us = now_true_us + out_us;
  const std::int64_t sent_true_us = received_true_us + kServerHoldUs;
  NtpExchange exchange;
  exchange.client_sent_mono_us = now_mono_us;
  exchange.server_received_us = server_.now_us(received_true_us);
  exchange.server_sent_us = server_.now_us(sent_true_us);
  exchange.client_received_mono_us = config_.clock.mono_us(sent_true_us + back_us);
  in_flight_.push_back({sent_true_us + back_us, exchange});
}

void SimViewer::receive_time_replies(std::int64_t now_true_us) {
  auto arrived =
      std::stable_partition(in_flight_.begin(), in_flight_.end(),
                            [&](const InFlight& f) { return f.arrives_true_us > now_true_us; });
  for (auto it = arrived; it != in_flight_.end(); ++it) {
    const auto sample = make_clock_sample(it->exchange);
    if (!sample) continue;
    const std::int64_t now_mono_us = config_.clock.mono_us(now_true_us);
    switch (estimator_.add(*sample)) {
      case SampleVerdict::accepted:
        break;
      case SampleVerdict::suspect:
        poll_.request_burst(now_mono_us, 2);  // confirm or refute it quickly
        break;
      case SampleVerdict::step:
        poll_.request_burst(now_mono_us);
        break;
    }
  }
  in_flight_.erase(arrived, in_flight_.end());
}

void SimViewer::run_sync_tick(std::int64_t now_true_us, std::int64_t now_mono_us) {
  if (player_.activity() == PlayerActivity::playing) {
    controller_.on_position(now_mono_us, player_.reported_position_us());
  }
  if (estimator_.state() != ClockState::synced) return;
  const Resolution now = timeline_.resolve(estimator_.server_now_us(now_mono_us));
  if (now.state != PlaybackState::playing) return;
  const SyncDecision decision =
      controller_.update(now_mono_us, now.media_position_us, player_.activity());
  apply(decision.command, now_true_us);
}

void SimViewer::apply(const SyncCommand& command, std::int64_t now_true_us) {
  switch (command.kind) {
    case SyncCommand::Kind::none:
      return;
    case SyncCommand::Kind::set_rate:
      player_.set_rate(now_true_us, command.rate);
      return;
    case SyncCommand::Kind::seek:
      resume_at_mono_us_.reset();
      player_.set_rate(now_true_us, command.rate);
      player_.seek_paused(now_true_us, command.position_us);
      return;
    case SyncCommand::Kind::resume:
      resume_at_mono_us_ = command.at_mono_us;
      return;
  }
}

}  // namespace streamsync::sim
