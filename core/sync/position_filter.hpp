#pragma once

// PositionFilter: turns the player's frame-quantised, jittery position reports into a
// smooth position estimate. mpv's time-pos is the timestamp of the frame on screen: it
// moves in whole frames and is read at random moments within a frame, so a single report
// is up to one frame behind. A line through the recent (monotonic time, position) reports
// removes most of that; its slope is pulled towards the commanded rate (a prior), so a
// handful of reports right after a reset already give a usable estimate.

#include <cstddef>
#include <cstdint>
#include <deque>

namespace streamsync {

struct PositionFilterConfig {
  std::size_t window_samples = 48;
  std::int64_t window_us = 1'500'000;
  std::size_t settled_after_samples = 6;    // before this the estimate is not trusted
  std::int64_t discontinuity_us = 120'000;  // a report this far off the line restarts the fit
  double rate_prior_sd = 0.002;             // how far the real rate may be from the commanded one
};

class PositionFilter {
 public:
  explicit PositionFilter(PositionFilterConfig config = {});

  // Starts over, e.g. after a seek, a stall or a rate change; `rate` is the commanded rate
  // (0 while paused).
  void reset(double rate);

  // Frame duration of the stream; a report is the start of the frame on screen, on
  // average half a frame behind the true position. 0 when unknown.
  void set_frame_duration_us(std::int64_t frame_duration_us) {
    frame_duration_us_ = frame_duration_us;
  }

  enum class AddResult { accepted, discontinuity };

  // A position report taken at client monotonic time mono_us. A report far from the line
  // (a seek or stall nobody announced) restarts the fit from this report.
  AddResult add(std::int64_t mono_us, std::int64_t position_us);

  bool settled() const { return samples_.size() >= config_.settled_after_samples; }
  std::size_t sample_count() const { return samples_.size(); }

  // Estimated true position at mono_us. Precondition: sample_count() > 0.
  std::int64_t position_at_us(std::int64_t mono_us) const;

  // Fitted playback rate (media µs per monotonic µs).
  double rate() const { return slope_; }

  // RMS distance of the reports from the line, in µs.
  double residual_rms_us() const { return residual_rms_us_; }

 private:
  struct Sample {
    std::int64_t mono_us;
    std::int64_t position_us;
  };

  void refit();
  double line_at(std::int64_t mono_us) const;  // relative to base_position_us_

  PositionFilterConfig config_;
  std::deque<Sample> samples_;
  double nominal_rate_ = 1.0;
  std::int64_t frame_duration_us_ = 0;
  std::int64_t base_mono_us_ = 0;
  std::int64_t base_position_us_ = 0;
  double mean_x_us_ = 0;
  double mean_y_us_ = 0;
  double slope_ = 1.0;
  double residual_rms_us_ = 0;
};

}  // namespace streamsync
