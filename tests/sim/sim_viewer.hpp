#pragma once

// SimViewer: one viewer in the simulator, wired the way the app wires the real one: the
// time service feeds ClockEstimator on PollPolicy's schedule; the app tick feeds player
// reports to SyncController and applies its commands.

#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include "clock/clock_estimator.hpp"
#include "clock/poll_policy.hpp"
#include "sim_clock.hpp"
#include "sim_network.hpp"
#include "sim_player.hpp"
#include "sync/sync_controller.hpp"
#include "timeline/timeline.hpp"

namespace streamsync::sim {

struct SimViewerConfig {
  ClientClock clock;
  PathModel path;
  SimPlayerConfig player;
  SyncPolicy policy;
  PollPolicyConfig poll;
  std::int64_t join_at_true_us = 0;
  std::uint64_t seed = 1;
};

class SimViewer {
 public:
  SimViewer(SimViewerConfig config, const Timeline& timeline, const ServerClock& server);

  // Advances to true time now_true_us (called every simulator tick, increasing).
  void step(std::int64_t now_true_us);

  bool joined() const { return joined_; }
  const SimPlayer& player() const { return player_; }
  const ClockEstimator& clock_estimator() const { return estimator_; }
  const SyncController& controller() const { return controller_; }
  std::int64_t mono_us(std::int64_t true_us) const { return config_.clock.mono_us(true_us); }
  void add_stall(Stall stall) { player_.add_stall(stall); }

 private:
  struct InFlight {
    std::int64_t arrives_true_us;
    NtpExchange exchange;
  };

  void poll_time_server(std::int64_t now_true_us, std::int64_t now_mono_us);
  void receive_time_replies(std::int64_t now_true_us);
  void run_sync_tick(std::int64_t now_true_us, std::int64_t now_mono_us);
  void apply(const SyncCommand& command, std::int64_t now_true_us);

  SimViewerConfig config_;
  const Timeline& timeline_;
  const ServerClock& server_;
  std::mt19937_64 rng_;
  SimPlayer player_;
  ClockEstimator estimator_;
  PollPolicy poll_;
  SyncController controller_;
  std::vector<InFlight> in_flight_;
  std::optional<std::int64_t> resume_at_mono_us_;
  std::int64_t next_tick_true_us_ = 0;
  bool joined_ = false;
};

}  // namespace streamsync::sim
