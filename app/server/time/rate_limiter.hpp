#pragma once

// SourceRateLimiter: how often one source address may be answered by the NTP service.
//
// A UDP server that answers anyone can be aimed at a victim by spoofing its address. Limiting
// each source to a token bucket caps what we send towards any one address, and pacing the
// kiss-o'-death replies (RFC 5905 §7.4, code "RATE") keeps those from becoming a stream of their
// own. Pure: no sockets, no clocks; the caller passes the time into every call.

#include <array>
#include <boost/asio/ip/address.hpp>
#include <cstddef>
#include <cstdint>
#include <list>
#include <unordered_map>

namespace streamsync::server {

// Limits per source address. The defaults let a client burst (chrony's and ntpd's iburst send
// 4-8 requests in a few seconds) and then poll far faster than any real client needs.
struct RateLimitConfig {
  double requests_per_s = 8;  // sustained rate each source may be answered at; > 0
  double burst = 16;          // bucket size: requests answered back to back; >= 1
  // Sources remembered at once; beyond it the least recently seen is forgotten (and would
  // start again with a full bucket). Bounds memory against floods from spoofed addresses.
  std::size_t max_sources = 65536;  // >= 1
  // A refused source is sent at most one kiss-o'-death per this interval; else silence.
  std::int64_t kod_interval_us = 5'000'000;  // >= 0
};

// What to do with one request.
enum class RateDecision : std::uint8_t {
  answer,         // within the limit: reply as usual
  kiss_of_death,  // over the limit: send one kiss-o'-death "RATE"
  drop_silently,  // over the limit and a kiss-o'-death went out recently: send nothing
};

// Per-source token bucket. IPv4 addresses and their IPv4-mapped IPv6 forms are one source (a
// dual-stack socket reports IPv4 peers in the mapped form); an IPv6 scope id is ignored.
//
// Time is any microsecond count that does not jump, passed into each call; the NTP server uses
// std::chrono::steady_clock so that stepping the wall clock cannot starve or refill buckets.
// A `now_us` earlier than a source's last call adds no tokens rather than removing any.
//
// Not thread-safe: one owner calls it (the NTP server calls it from its io_context thread).
// O(1) per call; memory is O(max_sources).
class SourceRateLimiter {
 public:
  // Throws std::invalid_argument if `config` breaks the bounds documented on RateLimitConfig:
  // that is a start-up misconfiguration.
  explicit SourceRateLimiter(const RateLimitConfig& config = {});

  // Takes one token from `source`'s bucket at time `now_us` and says whether to answer, send a
  // kiss-o'-death, or stay silent. A source not seen before starts with a full bucket.
  RateDecision allow(const boost::asio::ip::address& source, std::int64_t now_us);

  // Sources currently remembered; never above config().max_sources.
  std::size_t source_count() const { return by_source_.size(); }

  const RateLimitConfig& config() const { return config_; }

 private:
  using Key = std::array<std::uint8_t, 16>;  // IPv6 bytes; IPv4 as IPv4-mapped IPv6

  // Keyed with a per-instance random seed, so that a flood of chosen (spoofed) addresses cannot
  // be made to collide into one hash bucket.
  struct KeyHash {
    std::uint64_t seed = 0;
    std::size_t operator()(const Key& key) const;
  };

  struct Bucket {
    Key key{};
    double tokens = 0;
    std::int64_t refilled_at_us = 0;
    bool kod_sent = false;  // whether kod_sent_at_us holds a time
    std::int64_t kod_sent_at_us = 0;
  };
  using Recency = std::list<Bucket>;  // most recently seen first

  static Key key_of(const boost::asio::ip::address& source);
  Bucket& touch(const Key& key, std::int64_t now_us);
  void refill(Bucket& bucket, std::int64_t now_us) const;
  bool may_send_kod(Bucket& bucket, std::int64_t now_us) const;

  RateLimitConfig config_;
  Recency recency_;
  std::unordered_map<Key, Recency::iterator, KeyHash> by_source_;
};

}  // namespace streamsync::server
