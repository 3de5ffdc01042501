#pragma once

// SimPlayer: a stand-in for mpv with the habits that make sync hard. It is a fake, named
// as such: it exists because the closed loop must be tested for hours of simulated time
// in seconds, with stalls and clock errors on demand.
//  - the picture moves in whole frames (30 or 60 fps): a report is the start of the
//    frame on screen;
//  - a speed change reaches the screen after a random delay (audio buffers);
//  - a seek takes 100-400 ms and then holds its frame paused; a resume takes a few ms;
//  - its media clock (the audio device's crystal) runs off by some ppm;
//  - stalls (waiting for data) freeze it.

#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include "sync/sync_controller.hpp"

namespace streamsync::sim {

struct SimPlayerConfig {
  double fps = 30.0;
  std::int64_t rate_delay_min_us = 10'000, rate_delay_max_us = 100'000;
  std::int64_t seek_latency_min_us = 100'000, seek_latency_max_us = 400'000;
  std::int64_t resume_latency_min_us = 5'000, resume_latency_max_us = 30'000;
  double media_clock_ppm = 0.0;  // relative to true time
};

struct Stall {
  std::int64_t start_true_us;
  std::int64_t end_true_us;
};

class SimPlayer {
 public:
  SimPlayer(SimPlayerConfig config, std::uint64_t seed);

  void add_stall(Stall stall) { stalls_.push_back(stall); }

  // Moves the world to true time now_true_us (monotonically increasing).
  void advance_to(std::int64_t now_true_us);

  void set_rate(std::int64_t now_true_us, double rate);
  void seek_paused(std::int64_t now_true_us, std::int64_t position_us);
  void resume(std::int64_t now_true_us);

  PlayerActivity activity() const;
  double true_position_us() const { return position_us_; }
  std::int64_t reported_position_us() const;  // start of the frame on screen
  std::int64_t frame_duration_us() const;

 private:
  bool stalled(std::int64_t true_us) const;
  std::int64_t draw(std::int64_t min_us, std::int64_t max_us);

  SimPlayerConfig config_;
  std::mt19937_64 rng_;
  std::vector<Stall> stalls_;
  std::int64_t now_true_us_ = 0;
  double position_us_ = 0;
  double rate_ = 1.0;
  bool paused_ = true;
  bool seeking_ = false;
  bool buffering_ = false;
  struct Pending {
    std::int64_t at_true_us;
    double value;
  };
  std::optional<Pending> pending_rate_;
  std::optional<Pending> pending_seek_;  // value = position
  std::optional<std::int64_t> pending_resume_at_true_us_;
};

}  // namespace streamsync::sim
