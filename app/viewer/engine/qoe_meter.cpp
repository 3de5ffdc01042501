#include "engine/qoe_meter.hpp"

#include <algorithm>
#include <cmath>

namespace streamsync::viewer {

void QoeMeter::add(const SyncTick& tick) {
  if (tick.error_ms) abs_errors_ms_.push_back(std::abs(*tick.error_ms));
  last_ = tick;
}

ViewerHeartbeat QoeMeter::take(const std::string& channel_id) {
  ViewerHeartbeat heartbeat;
  heartbeat.channel_id = channel_id;
  heartbeat.sync_error_ms = last_.error_ms.value_or(0);
  if (!abs_errors_ms_.empty()) {
    const auto p95 =
        abs_errors_ms_.begin() +
        static_cast<std::ptrdiff_t>(0.95 * static_cast<double>(abs_errors_ms_.size() - 1));
    std::nth_element(abs_errors_ms_.begin(), p95, abs_errors_ms_.end());
    heartbeat.sync_error_p95_ms = *p95;
  }
  heartbeat.rate = last_.rate;
  heartbeat.buffer_s = last_.buffer_s;
  heartbeat.bitrate_bps = last_.bitrate_bps;
  heartbeat.variant = last_.variant;
  heartbeat.dropped_frames = last_.dropped_frames;
  heartbeat.stalls = last_.stalls;
  abs_errors_ms_.clear();
  return heartbeat;
}

}  // namespace streamsync::viewer
