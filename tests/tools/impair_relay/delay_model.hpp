#pragma once

// DelayModel: the random part of one direction of the path: how long each datagram or TCP
// chunk is held, and whether it is lost. The random source is the caller's (a seeded
// std::mt19937_64), so a seed replays the same sequence of draws and tests can count
// outcomes over many samples without sockets or clocks.
//
// InOrderRelease: the rule that turns independent per-chunk delays into a TCP path.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>

#include "impair_relay/impairments.hpp"

namespace streamsync::impair {

// What a lost TCP segment costs: the sender retransmits after its retransmission timeout,
// whose floor on Linux (TCP_RTO_MIN) is 200 ms. Bytes are never dropped from a stream.
inline constexpr std::int64_t kTcpRetransmitTimeout_us = 200'000;

class DelayModel {
 public:
  explicit DelayModel(const LinkImpairment& link);

  // delay + normal(0, jitter), clamped at 0 (a packet cannot leave before it came).
  // Each call is independent, so datagrams may overtake each other, as on a real path.
  std::int64_t sample_delay_us(std::mt19937_64& random);

  // True with probability `loss`: the datagram is dropped; a TCP chunk is delivered
  // kTcpRetransmitTimeout_us late instead (ImpairedPath::chunk_release_us).
  bool sample_lost(std::mt19937_64& random);

 private:
  double delay_us_;
  std::normal_distribution<double> jitter_us_;  // mean 0; unused when the deviation is 0
  bool has_jitter_;
  std::bernoulli_distribution lost_;
};

// Release times for one direction of one TCP connection. A byte stream cannot overtake
// itself: a chunk leaves at max(previous chunk's release, its own arrival + delay), so one
// late (or retransmitted) chunk holds back all that follow, which is the head-of-line
// blocking a jittery path shows TCP.
class InOrderRelease {
 public:
  // earliest_us: arrival + sampled delay. Returns the release time (never decreasing).
  std::int64_t next(std::int64_t earliest_us) {
    last_release_us_ = std::max(last_release_us_, earliest_us);
    return last_release_us_;
  }

 private:
  std::int64_t last_release_us_ = std::numeric_limits<std::int64_t>::min();
};

}  // namespace streamsync::impair
