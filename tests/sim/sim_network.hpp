#pragma once

// Simulated network path: one-way delays drawn from a distribution, and loss. Seeded, so
// every run of a scenario is the same run.

#include <cstdint>
#include <random>

namespace streamsync::sim {

struct DelayModel {
  enum class Shape {
    normal,   // mean ± sd, normal (truncated at min_us)
    uniform,  // mean ± sd uniformly, like netem's "delay MEAN JITTER" without a distribution table
  };
  Shape shape = Shape::normal;
  double mean_us = 100;
  double sd_us = 50;
  double min_us = 10;  // no packet arrives faster than this

  double draw_us(std::mt19937_64& rng) const;
};

struct PathModel {
  DelayModel to_server;
  DelayModel to_client;
  double loss = 0.0;  // probability each direction drops a packet
};

}  // namespace streamsync::sim
