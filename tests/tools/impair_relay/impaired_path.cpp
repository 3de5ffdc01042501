#include "impair_relay/impaired_path.hpp"

#include <algorithm>

namespace streamsync::impair {
namespace {

TokenBucket make_bucket(const LinkImpairment& link) {
  const double rate_bytes_per_s = link.bandwidth_kbps * 1000.0 / 8.0;
  // 10 ms of traffic, and at least two full-size Ethernet frames: enough that back-to-back
  // small packets are not spaced out, small enough that a measured rate is the cap.
  const double burst_bytes = std::max(rate_bytes_per_s * 0.010, 3000.0);
  return TokenBucket(rate_bytes_per_s, burst_bytes);
}

}  // namespace

ImpairedPath::Link::Link(const LinkImpairment& impairment)
    : model(impairment), bucket(make_bucket(impairment)) {}

ImpairedPath::ImpairedPath(const Impairments& settings, std::uint64_t seed)
    : settings_(settings), links_{Link(settings.up), Link(settings.down)}, random_(seed) {}

void ImpairedPath::apply(const Impairments& settings) {
  settings_ = settings;
  for (const Direction direction : {Direction::up, Direction::down}) {
    Link& link = links_[index(direction)];
    link.model = DelayModel(settings[direction]);
    link.bucket = make_bucket(settings[direction]);
  }
}

std::optional<std::int64_t> ImpairedPath::datagram_release_us(Direction direction,
                                                               std::int64_t now_us,
                                                               std::size_t bytes) {
  Link& link = links_[index(direction)];
  ++link.counters.datagrams;
  // Draw before deciding, so that a cut does not shift the random sequence of later packets.
  const bool lost = link.model.sample_lost(random_);
  if (cut_ || lost || link.bucket.backlog_us(now_us) > kUdpQueueLimit_us) {
    ++link.counters.datagrams_dropped;
    return std::nullopt;
  }
  const std::int64_t sent_us = link.bucket.reserve(now_us, bytes);
  return sent_us + link.model.sample_delay_us(random_);
}

std::int64_t ImpairedPath::chunk_release_us(Direction direction, std::int64_t now_us,
                                            std::size_t bytes) {
  Link& link = links_[index(direction)];
  link.counters.tcp_bytes += bytes;
  const bool lost = link.model.sample_lost(random_);
  if (lost) ++link.counters.tcp_retransmits;
  const std::int64_t sent_us = link.bucket.reserve(now_us, bytes);
  return sent_us + link.model.sample_delay_us(random_) + (lost ? kTcpRetransmitTimeout_us : 0);
}

std::int64_t ImpairedPath::queue_backlog_us(Direction direction, std::int64_t now_us) const {
  return links_[index(direction)].bucket.backlog_us(now_us);
}

}  // namespace streamsync::impair
