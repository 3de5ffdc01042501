#pragma once

// probe_udp(): many timestamped datagrams through the relay to LoopbackPeers' UDP echo, paced
// so that no socket buffer overflows, with every reply's timing. Sent from one socket, so
// the relay sees one client.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace streamsync::impair::testing {

struct Probe {
  std::int64_t sent_us = 0;                 // steady clock, by the prober
  std::optional<std::int64_t> echoed_us;    // arrival at the echo server
  std::optional<std::int64_t> received_us;  // reply back at the prober

  bool answered() const { return received_us.has_value(); }
  std::int64_t round_trip_us() const { return *received_us - sent_us; }
  std::int64_t up_us() const { return *echoed_us - sent_us; }
  std::int64_t down_us() const { return *received_us - *echoed_us; }
};

struct ProbePlan {
  std::size_t count = 100;
  std::size_t per_tick = 1;                              // datagrams sent together
  std::chrono::microseconds tick{std::chrono::milliseconds(5)};
  std::chrono::milliseconds linger{std::chrono::milliseconds(500)};  // wait for replies after the last send
};

std::vector<Probe> probe_udp(std::uint16_t port, const ProbePlan& plan);

// Of the answered probes; 0 when none was.
std::size_t answered_count(const std::vector<Probe>& probes);

// The p-th percentile (0..100, nearest rank) of `values_us`; values_us must not be empty.
std::int64_t percentile_us(std::vector<std::int64_t> values_us, double p);

template <class Field>
std::vector<std::int64_t> answered_values_us(const std::vector<Probe>& probes, Field field) {
  std::vector<std::int64_t> values;
  for (const Probe& probe : probes) {
    if (probe.answered()) values.push_back((probe.*field)());
  }
  return values;
}

}  // namespace streamsync::impair::testing
