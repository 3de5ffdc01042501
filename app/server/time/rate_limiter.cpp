#include "time/rate_limiter.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <random>
#include <stdexcept>

namespace streamsync::server {
namespace {

constexpr double kMicrosPerSecond = 1e6;

// splitmix64's finalizer: every input bit affects every output bit.
std::uint64_t mix(std::uint64_t value) {
  value ^= value >> 30;
  value *= 0xbf58476d1ce4e5b9ULL;
  value ^= value >> 27;
  value *= 0x94d049bb133111ebULL;
  value ^= value >> 31;
  return value;
}

void check(const RateLimitConfig& config) {
  // `!(x > 0)` rather than `x <= 0` so that NaN is refused too.
  if (!(config.requests_per_s > 0) || !std::isfinite(config.requests_per_s)) {
    throw std::invalid_argument("NTP rate limit: requests_per_s must be a positive number");
  }
  if (!(config.burst >= 1) || !std::isfinite(config.burst)) {
    throw std::invalid_argument("NTP rate limit: burst must be at least 1");
  }
  if (config.max_sources < 1) {
    throw std::invalid_argument("NTP rate limit: max_sources must be at least 1");
  }
  if (config.kod_interval_us < 0) {
    throw std::invalid_argument("NTP rate limit: kod_interval_us must not be negative");
  }
}

std::uint64_t random_seed() {
  std::random_device device;
  return (std::uint64_t{device()} << 32) ^ std::uint64_t{device()};
}

}  // namespace

std::size_t SourceRateLimiter::KeyHash::operator()(const Key& key) const {
  std::uint64_t high = 0;
  std::uint64_t low = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    high = (high << 8) | key[i];
    low = (low << 8) | key[i + 8];
  }
  return static_cast<std::size_t>(mix(mix(high ^ seed) ^ low));
}

SourceRateLimiter::SourceRateLimiter(const RateLimitConfig& config)
    : config_(config), by_source_(0, KeyHash{random_seed()}) {
  check(config_);
}

SourceRateLimiter::Key SourceRateLimiter::key_of(const boost::asio::ip::address& source) {
  if (source.is_v4()) {
    return boost::asio::ip::make_address_v6(boost::asio::ip::v4_mapped, source.to_v4()).to_bytes();
  }
  return source.to_v6().to_bytes();
}

RateDecision SourceRateLimiter::allow(const boost::asio::ip::address& source, std::int64_t now_us) {
  Bucket& bucket = touch(key_of(source), now_us);
  refill(bucket, now_us);
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return RateDecision::answer;
  }
  return may_send_kod(bucket, now_us) ? RateDecision::kiss_of_death : RateDecision::drop_silently;
}

SourceRateLimiter::Bucket& SourceRateLimiter::touch(const Key& key, std::int64_t now_us) {
  if (auto found = by_source_.find(key); found != by_source_.end()) {
    recency_.splice(recency_.begin(), recency_, found->second);
    return recency_.front();
  }
  if (by_source_.size() >= config_.max_sources) {
    // Reuse the least recently seen node: no allocation once the table is full.
    by_source_.erase(recency_.back().key);
    recency_.splice(recency_.begin(), recency_, std::prev(recency_.end()));
    recency_.front() = Bucket{};
  } else {
    recency_.emplace_front();
  }
  Bucket& bucket = recency_.front();
  bucket.key = key;
  bucket.tokens = config_.burst;
  bucket.refilled_at_us = now_us;
  by_source_.emplace(key, recency_.begin());
  return bucket;
}

void SourceRateLimiter::refill(Bucket& bucket, std::int64_t now_us) const {
  // A clock that went backwards earns nothing; restarting from `now_us` keeps the next refill
  // from waiting for the old time to come round again.
  const std::int64_t elapsed_us = std::max<std::int64_t>(0, now_us - bucket.refilled_at_us);
  const double earned = static_cast<double>(elapsed_us) * config_.requests_per_s / kMicrosPerSecond;
  bucket.tokens = std::min(config_.burst, bucket.tokens + earned);
  bucket.refilled_at_us = now_us;
}

bool SourceRateLimiter::may_send_kod(Bucket& bucket, std::int64_t now_us) const {
  if (bucket.kod_sent && now_us < bucket.kod_sent_at_us) {
    // The clock went backwards: restart the interval rather than wait for the old time to come
    // round again, and send nothing, so that a jumping clock never adds kiss-o'-deaths.
    bucket.kod_sent_at_us = now_us;
    return false;
  }
  if (bucket.kod_sent && now_us - bucket.kod_sent_at_us < config_.kod_interval_us) return false;
  bucket.kod_sent = true;
  bucket.kod_sent_at_us = now_us;
  return true;
}

}  // namespace streamsync::server
