#include "sync/latency_tracker.hpp"

#include <algorithm>
#include <vector>

namespace streamsync {

LatencyTracker::LatencyTracker(std::int64_t initial_us, std::size_t capacity)
    : initial_us_(initial_us), capacity_(capacity == 0 ? 1 : capacity) {}

void LatencyTracker::add(std::int64_t latency_us) {
  latencies_us_.push_back(std::max<std::int64_t>(latency_us, 0));
  if (latencies_us_.size() > capacity_) latencies_us_.pop_front();
}

std::int64_t LatencyTracker::worst_us() const {
  const std::int64_t floor_us = latencies_us_.size() < kTrustAfter ? initial_us_ : 0;
  if (latencies_us_.empty()) return floor_us;
  return std::max(floor_us, *std::max_element(latencies_us_.begin(), latencies_us_.end()));
}

std::int64_t LatencyTracker::median_us() const {
  if (latencies_us_.empty()) return initial_us_;
  std::vector<std::int64_t> sorted(latencies_us_.begin(), latencies_us_.end());
  const auto middle = sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 2);
  std::nth_element(sorted.begin(), middle, sorted.end());
  return *middle;
}

}  // namespace streamsync
