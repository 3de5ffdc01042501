#pragma once

// Statistics over simulation traces.

#include <cmath>
#include <cstdint>
#include <optional>
#include <vector>

#include "scenario.hpp"

namespace streamsync::sim {

// q-quantile (0..1) of the values, by nearest rank; 0 for none.
double percentile(std::vector<double> values, double q);

// The first t >= from_us (µs since start) from which `value` stays within ±band_us for
// hold_us, with no gap (NaN) in between. Seconds after from_us; nullopt if never.
template <class Value>
std::optional<double> settle_time_s(const std::vector<TracePoint>& trace, std::int64_t from_us,
                                    double band_us, std::int64_t hold_us, Value value) {
  std::optional<std::int64_t> inside_since_us;
  for (const TracePoint& p : trace) {
    if (p.t_us < from_us) continue;
    const double v = value(p);
    if (std::isnan(v) || std::abs(v) > band_us) {
      inside_since_us.reset();
      continue;
    }
    if (!inside_since_us) inside_since_us = p.t_us;
    if (p.t_us - *inside_since_us >= hold_us)
      return static_cast<double>(*inside_since_us - from_us) / 1e6;
  }
  return std::nullopt;
}

}  // namespace streamsync::sim
