#pragma once

// TokenBucket: the bandwidth cap of one direction. Tokens are bytes; they accrue at the
// configured rate up to `burst_bytes`. A packet takes its bytes when it arrives and may
// borrow: the balance goes negative and the packet leaves once the debt is repaid. That
// is exactly a FIFO queue in front of a link of that rate, which is what a capped access
// line is; callers bound the queue (UDP drops, TCP stops reading) by asking backlog_us().
//
// Times are plain microseconds on any monotonic clock, passed in, so the bucket is tested
// without waiting.

#include <cstddef>
#include <cstdint>

namespace streamsync::impair {

class TokenBucket {
 public:
  // rate_bytes_per_s <= 0: no cap; every packet leaves when it arrives.
  TokenBucket(double rate_bytes_per_s, double burst_bytes);

  // Takes `bytes` at now_us and returns when they have all left the link (>= now_us).
  // now_us must not decrease from call to call.
  std::int64_t reserve(std::int64_t now_us, std::size_t bytes);

  // How long a packet arriving at now_us would wait behind those already queued; 0 while the
  // bucket holds tokens or there is no cap.
  std::int64_t backlog_us(std::int64_t now_us) const;

  bool limited() const { return rate_bytes_per_us_ > 0; }

 private:
  double balance_at(std::int64_t now_us) const;

  double rate_bytes_per_us_;
  double burst_bytes_;
  double balance_bytes_;  // negative: debt still queued
  std::int64_t updated_us_ = 0;
  bool started_ = false;
};

}  // namespace streamsync::impair
