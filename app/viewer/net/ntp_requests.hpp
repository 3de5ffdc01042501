#pragma once

// NtpRequests: the client half of NTP exchanges, without the socket. It builds each
// request, remembers when it left (on the local monotonic clock), and turns a datagram into
// the exchange it completes, a kiss-o'-death, or a reason to drop it.
//
// The request's transmit timestamp is 64 random bits, not the client's time: the server
// only echoes it (as origin) and t1 stays here, so a reply is matched by a value an off-path
// spoofer cannot guess, and the client's monotonic clock (its uptime) is not disclosed.

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <random>
#include <span>
#include <string>
#include <variant>

#include "clock/clock_sample.hpp"
#include "protocol/ntp_packet.hpp"

namespace streamsync::viewer {

// The server refused service (stratum 0): "RATE" means poll less often; "DENY" or "RSTR"
// mean stop asking over NTP.
struct NtpKiss {
  std::string code;
};

// Not an answer to one of our requests, or not one we can use.
struct NtpDropped {
  std::string reason;
};

using NtpOutcome = std::variant<NtpExchange, NtpKiss, NtpDropped>;

class NtpRequests {
 public:
  NtpRequests();

  // The datagram of a request leaving now (local monotonic µs).
  std::array<std::uint8_t, kNtpPacketSize> make_request(std::int64_t sent_mono_us);

  // A datagram from the server, read at received_mono_us. pivot_unix_us is a rough current
  // time (the wall clock will do) that places the server's NTP timestamps in their era.
  // Each request is answered at most once: a duplicate reply is dropped.
  NtpOutcome on_datagram(std::span<const std::uint8_t> bytes, std::int64_t received_mono_us,
                         std::int64_t pivot_unix_us);

  std::size_t pending() const { return pending_.size(); }
  void clear() { pending_.clear(); }

 private:
  struct Pending {
    NtpTimestamp transmit;
    std::int64_t sent_mono_us = 0;
  };
  void forget_stale(std::int64_t now_mono_us);

  std::deque<Pending> pending_;  // oldest first
  std::mt19937_64 random_;
};

}  // namespace streamsync::viewer
