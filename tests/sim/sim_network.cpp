#include "sim_network.hpp"

#include <algorithm>

namespace streamsync::sim {

double DelayModel::draw_us(std::mt19937_64& rng) const {
  double delay_us = mean_us;
  if (sd_us > 0) {
    if (shape == Shape::normal) {
      delay_us = std::normal_distribution<double>(mean_us, sd_us)(rng);
    } else {
      delay_us = std::uniform_real_distribution<double>(mean_us - sd_us, mean_us + sd_us)(rng);
    }
  }
  return std::max(delay_us, min_us);
}

}  // namespace streamsync::sim
