#include "engine/tick_report.hpp"

#include <nlohmann/json.hpp>

namespace streamsync::viewer {

std::string to_json_line(const SyncTick& tick) {
  nlohmann::json line = {
      {"mono_ns", tick.mono_ns},
      {"server_us", tick.server_us ? nlohmann::json(*tick.server_us) : nlohmann::json(nullptr)},
      {"item", tick.item},
      {"video_id", tick.video_id},
      {"pos_s", tick.pos_s},
      {"raw_pos_s", tick.raw_pos_s},
      {"target_s", tick.target_s},
      {"error_ms", tick.error_ms ? nlohmann::json(*tick.error_ms) : nlohmann::json(nullptr)},
      {"rate", tick.rate},
      {"state", to_string(tick.state)},
      {"buffer_s", tick.buffer_s},
      {"variant", tick.variant},
      {"seeks", tick.seeks},
      {"rate_changes", tick.rate_changes},
      {"stalls", tick.stalls},
      {"quality_switches", tick.quality_switches},
      {"dropped_frames", tick.dropped_frames},
      {"clock_error_bound_us", tick.clock_error_bound_us},
  };
  return line.dump();
}

bool TickReport::open(const QString& path) {
  file_.setFileName(path);
  return file_.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Unbuffered);
}

void TickReport::write(const SyncTick& tick) {
  std::string line = to_json_line(tick);
  line += '\n';
  file_.write(line.data(), static_cast<qint64>(line.size()));
}

}  // namespace streamsync::viewer
