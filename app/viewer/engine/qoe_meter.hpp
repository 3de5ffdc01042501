#pragma once

// QoeMeter: condenses the sync ticks between two heartbeats into what the server shows
// operators about this viewer (ViewerHeartbeat): the latest and the 95th-percentile sync
// error, rate, buffer, quality, drops and stalls.

#include <vector>

#include "engine/sync_tick.hpp"
#include "protocol/api_messages.hpp"

namespace streamsync::viewer {

class QoeMeter {
 public:
  void add(const SyncTick& tick);
  // The heartbeat for channel_id over the ticks since the last call; starts a new interval.
  ViewerHeartbeat take(const std::string& channel_id);

 private:
  std::vector<double> abs_errors_ms_;
  SyncTick last_;
};

}  // namespace streamsync::viewer
