#include "impair_relay/token_bucket.hpp"

#include <algorithm>
#include <cmath>

namespace streamsync::impair {

TokenBucket::TokenBucket(double rate_bytes_per_s, double burst_bytes)
    : rate_bytes_per_us_(rate_bytes_per_s > 0 ? rate_bytes_per_s / 1e6 : 0),
      burst_bytes_(std::max(burst_bytes, 0.0)),
      balance_bytes_(std::max(burst_bytes, 0.0)) {}

double TokenBucket::balance_at(std::int64_t now_us) const {
  if (!started_) return balance_bytes_;
  const auto elapsed_us = static_cast<double>(std::max<std::int64_t>(now_us - updated_us_, 0));
  return std::min(burst_bytes_, balance_bytes_ + elapsed_us * rate_bytes_per_us_);
}

std::int64_t TokenBucket::reserve(std::int64_t now_us, std::size_t bytes) {
  if (!limited()) return now_us;
  balance_bytes_ = balance_at(now_us) - static_cast<double>(bytes);
  updated_us_ = now_us;
  started_ = true;
  return now_us + backlog_us(now_us);
}

std::int64_t TokenBucket::backlog_us(std::int64_t now_us) const {
  if (!limited()) return 0;
  const double balance = balance_at(now_us);
  if (balance >= 0) return 0;
  return static_cast<std::int64_t>(std::ceil(-balance / rate_bytes_per_us_));
}

}  // namespace streamsync::impair
