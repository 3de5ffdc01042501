#pragma once

// VariantSelector: adaptive quality. Chooses the HLS rendition to play from measured
// download throughput and buffer health: quickly down when playback is in danger, slowly
// up once it has been stable, and never back and forth between two neighbouring rungs.
// Pure logic with the clock passed in (now_us, any monotonic µs), so the engine, the
// simulator and the tests run the same code. One selector lives as long as the viewer
// watches a channel: the throughput it learns is the network's, whatever video plays.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "util/expected.hpp"

namespace streamsync::viewer {

// One rung of a video's ladder, as far as quality choice cares.
struct QualityRung {
  std::string name;                // "720p", as the UI shows it and settings pin it
  std::int64_t bandwidth_bps = 0;  // EXT-X-STREAM-INF BANDWIDTH: peak bits per second
  friend bool operator==(const QualityRung&, const QualityRung&) = default;
};

// One periodic look at the player (any rate: samples are weighted by the time they cover).
struct QualityObservation {
  std::int64_t now_us = 0;
  // Download throughput measured since the previous observation; nullopt when nothing was
  // downloaded (a full buffer idles the network, which says nothing about its speed).
  std::optional<std::int64_t> throughput_bps;
  double buffer_s = 0;   // media buffered ahead of the play position
  bool stalled = false;  // playback stopped for data since the previous observation
};

enum class QualityReason {
  start,       // the start rule: a new ladder, or the first throughput measured
  hold,        // nothing to change
  stall,       // stepped down: stalled and the throughput cannot carry the rung
  low_buffer,  // stepped down: buffer running out and the throughput cannot carry the rung
  step_up,     // stepped up after stable playback with throughput to spare
  pinned,      // the user's choice
  unpinned,    // back to automatic choice
};

// snake_case name, for logs and reports ("low_buffer").
const char* to_string(QualityReason reason);

struct QualityDecision {
  std::size_t index = 0;  // into the ladder, lowest bandwidth first
  QualityReason reason = QualityReason::hold;
  bool switched = false;  // index differs from the previous decision on this ladder
};

// The rules' constants. The defaults follow what dash.js and Shaka Player settled on for
// VOD-like HLS with 2 s segments.
struct QualityTuning {
  // Start (and step down) to a rung using at most this share of the throughput estimate:
  // 30 % headroom absorbs the usual throughput variance and refills the buffer at
  // 1/0.7 − 1 ≈ 0.43 s of media per second.
  double safe_fraction = 0.7;
  // A rung is in trouble when it needs more than this share of the estimate: with less
  // than ~10 % headroom a buffer that is already low cannot recover.
  double sustainable_fraction = 0.9;
  // Below this many seconds of buffer (two 2 s segments) a slow rung is an emergency.
  double low_buffer_s = 4.0;
  // Stepping up needs this much buffer (four segments) to absorb a wrong guess...
  double step_up_buffer_s = 8.0;
  // ...held for this long without a stall or a switch...
  std::int64_t step_up_stable_us = 15'000'000;
  // ...and throughput this many times the next rung's bandwidth. With sustainable_fraction
  // it leaves a band (1/0.9 ≈ 1.11× to 1.4× a rung) where neither rule fires, so a
  // throughput between two rungs settles instead of oscillating.
  double step_up_headroom = 1.4;
  // At most one switch per this interval, except emergency down-steps: every switch costs
  // a segment download at the new rung and a moment of sync uncertainty.
  std::int64_t min_switch_interval_us = 10'000'000;
  // Throughput is smoothed twice: the fast average sees a drop within seconds, the slow
  // one is not fooled by a short burst; the estimate is the smaller of the two.
  double fast_half_life_s = 3.0;
  double slow_half_life_s = 8.0;
  // A sample weighs the time since the previous observation, capped so that one sample
  // after a long idle stretch does not wipe out everything learnt before it.
  double max_sample_weight_s = 2.0;
};

class VariantSelector {
 public:
  explicit VariantSelector(QualityTuning tuning = {});

  // The ladder of the video about to play, lowest bandwidth first (indices are the
  // caller's). The same ladder again changes nothing; a different one restarts the
  // choice: the pinned name if it has one, else the start rule (the highest rung within
  // safe_fraction of the estimate; the lowest while no throughput is known, moving up at
  // the first measurement). The throughput estimate is kept, and loading a new video is
  // no switch. Fails, naming the problem, for an empty ladder, a bandwidth ≤ 0 or one out
  // of order: a bad master playlist.
  Expected<QualityDecision, std::string> set_ladder(std::vector<QualityRung> ladder);

  // Feed one observation; returns the rung to play now (index 0 while there is no ladder).
  QualityDecision observe(const QualityObservation& observation);

  // Keep the rung with this name whatever the network does ("" = automatic choice). The
  // pin outlives ladders: a video without such a rung is chosen for automatically.
  // Observations update the estimate meanwhile, so unpinning chooses from it at once.
  QualityDecision pin(std::string rung_name, std::int64_t now_us);

  const QualityTuning& tuning() const { return tuning_; }
  const std::vector<QualityRung>& ladder() const { return ladder_; }
  std::size_t current() const { return current_; }
  // True while the current ladder has the pinned rung (and plays it).
  bool pinned() const;
  // min(fast, slow) smoothed throughput; nullopt before the first sample.
  std::optional<double> throughput_estimate_bps() const;

 private:
  void add_throughput_sample(double throughput_bps, double weight_s);
  void update_stability(const QualityObservation& observation);
  std::optional<std::size_t> pinned_index() const;
  // The highest rung whose bandwidth is at most fraction × throughput; the lowest if none.
  std::size_t highest_within(double fraction, double throughput_bps) const;
  std::optional<QualityReason> emergency(const QualityObservation& observation) const;
  bool may_step_up(const QualityObservation& observation) const;
  // Makes index current (a switch when it differs) and says why.
  QualityDecision decide(std::size_t index, QualityReason reason, std::int64_t now_us);

  QualityTuning tuning_;
  std::vector<QualityRung> ladder_;
  std::string pinned_name_;
  std::size_t current_ = 0;
  bool started_ = false;  // the start rule has run on this ladder with a known throughput

  std::optional<double> fast_bps_;
  std::optional<double> slow_bps_;
  std::optional<std::int64_t> last_observation_us_;
  std::optional<std::int64_t> last_switch_us_;
  // Start of the current stretch without stall, switch or buffer below step_up_buffer_s.
  std::optional<std::int64_t> stable_since_us_;
};

}  // namespace streamsync::viewer
