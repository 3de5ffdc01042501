#pragma once

// ImpairedPath: the path between the relay's clients and its targets, one object shared by
// the TCP relay, the UDP relay and the control port, as one access line carries all of a
// machine's traffic: per-direction delay model and bandwidth bucket, the cut switch, the
// random source and counters. It decides; the relays move bytes.
//
// Times are microseconds on the steady clock, passed in: no sockets or clocks here, so
// tests drive it directly. Not thread-safe: the relay runs one io_context on one thread.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>

#include "impair_relay/delay_model.hpp"
#include "impair_relay/impairments.hpp"
#include "impair_relay/token_bucket.hpp"

namespace streamsync::impair {

// A datagram is dropped rather than queued when the bandwidth queue ahead of it is longer
// than this: a router's buffer is finite, and an unbounded queue would turn a cap into
// ever-growing delay instead of loss.
inline constexpr std::int64_t kUdpQueueLimit_us = 200'000;

struct LinkCounters {
  std::uint64_t datagrams = 0;          // UDP datagrams that arrived
  std::uint64_t datagrams_dropped = 0;  // lost, cut, or over the queue limit
  std::uint64_t tcp_bytes = 0;          // TCP bytes that arrived (all are delivered)
  std::uint64_t tcp_retransmits = 0;    // TCP chunks that got the retransmission delay
};

class ImpairedPath {
 public:
  ImpairedPath(const Impairments& settings, std::uint64_t seed);

  // New settings from now on. Packets already scheduled keep their release times; the
  // bandwidth buckets start full.
  void apply(const Impairments& settings);
  const Impairments& settings() const { return settings_; }

  // When a datagram of `bytes` that arrived at now_us leaves the relay; nullopt when it is
  // dropped (the loss draw, a cut, or a full bandwidth queue).
  std::optional<std::int64_t> datagram_release_us(Direction direction, std::int64_t now_us,
                                                  std::size_t bytes);

  // When a TCP chunk of `bytes` that arrived at now_us may leave, before the in-order rule
  // (the connection applies InOrderRelease). Never dropped: loss becomes a retransmission
  // delay. The bandwidth queue is not bounded here; TCP stops reading instead.
  std::int64_t chunk_release_us(Direction direction, std::int64_t now_us, std::size_t bytes);

  // How long the direction's bandwidth queue is at now_us (0 without a cap).
  std::int64_t queue_backlog_us(Direction direction, std::int64_t now_us) const;

  // While cut, the path is a black hole: datagrams are dropped and TCP bytes are held.
  bool is_cut() const { return cut_; }
  void set_cut(bool cut) { cut_ = cut; }

  const LinkCounters& counters(Direction direction) const { return links_[index(direction)].counters; }

 private:
  struct Link {
    explicit Link(const LinkImpairment& impairment);
    DelayModel model;
    TokenBucket bucket;
    LinkCounters counters;
  };
  static std::size_t index(Direction direction) { return direction == Direction::up ? 0 : 1; }

  Impairments settings_;
  std::array<Link, 2> links_;
  std::mt19937_64 random_;
  bool cut_ = false;
};

}  // namespace streamsync::impair
