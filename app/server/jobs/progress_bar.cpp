#include "jobs/progress_bar.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace streamsync::server {

void print_progress(std::ostream& out, double fraction, double speed, double eta_s, bool terminal) {
  constexpr int kWidth = 30;
  const int percent = static_cast<int>(std::floor(std::clamp(fraction, 0.0, 1.0) * 100));
  char eta[32] = "--:--";
  if (eta_s >= 0) {
    const int seconds = static_cast<int>(std::lround(eta_s));
    std::snprintf(eta, sizeof eta, "%d:%02d", seconds / 60, seconds % 60);
  }
  char line[128];
  const int filled = percent * kWidth / 100;
  std::snprintf(line, sizeof line, "%3d%% [%s%s] %5.2fx  ETA %s", percent,
                std::string(static_cast<std::size_t>(filled), '#').c_str(),
                std::string(static_cast<std::size_t>(kWidth - filled), '.').c_str(), speed, eta);
  if (terminal) {
    out << '\r' << line << std::flush;
    return;
  }
  static thread_local int last_decile = -1;
  if (percent / 10 != last_decile) {
    last_decile = percent / 10;
    out << line << '\n';
  }
}

}  // namespace streamsync::server
