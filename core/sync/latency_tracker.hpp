#pragma once

// LatencyTracker: remembers the last few measured latencies of an operation (a seek, a
// resume) so the controller can start it early by the right amount.

#include <cstddef>
#include <cstdint>
#include <deque>

namespace streamsync {

class LatencyTracker {
 public:
  explicit LatencyTracker(std::int64_t initial_us, std::size_t capacity = 8);

  void add(std::int64_t latency_us);

  // The slowest remembered latency. The initial guess counts as one of them until
  // kTrustAfter latencies have been measured: one fast early seek says little about the next.
  std::int64_t worst_us() const;
  // The median remembered latency; the initial guess until one has been measured.
  std::int64_t median_us() const;

  std::size_t count() const { return latencies_us_.size(); }

  static constexpr std::size_t kTrustAfter = 3;

 private:
  std::int64_t initial_us_;
  std::size_t capacity_;
  std::deque<std::int64_t> latencies_us_;
};

}  // namespace streamsync
