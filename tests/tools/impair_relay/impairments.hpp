#pragma once

// What the relay does to the traffic of each direction. Plain values: the command line
// fills them at start, the control port's `set` changes them while the relay runs.
//
// "up" is client → target (requests, NTP queries), "down" is target → client (responses,
// media, NTP replies). Asymmetric paths are the case NTP cannot see, so every setting
// exists per direction.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace streamsync::impair {

enum class Direction { up, down };

constexpr std::string_view to_string(Direction direction) {
  return direction == Direction::up ? "up" : "down";
}

struct LinkImpairment {
  double delay_ms = 0;        // mean one-way delay added to every datagram or TCP chunk
  double jitter_ms = 0;       // standard deviation of the normal distribution around delay_ms
  double loss = 0;            // probability in [0, 1]: a datagram is dropped, a TCP chunk retransmitted
  double bandwidth_kbps = 0;  // token-bucket rate in kilobits (1000 bits) per second; 0: no cap
};

struct Impairments {
  LinkImpairment up;
  LinkImpairment down;

  LinkImpairment& operator[](Direction direction) {
    return direction == Direction::up ? up : down;
  }
  const LinkImpairment& operator[](Direction direction) const {
    return direction == Direction::up ? up : down;
  }
};

// One setting by its command-line name without the leading dashes, and its text value.
using Setting = std::pair<std::string, std::string>;

// Applies settings named as on the command line: "delay-ms", "jitter-ms", "loss",
// "bandwidth-kbps" set both directions; "up-..." and "down-..." set one. The two-direction
// ones are applied first whatever the order given, so "--up-delay-ms 40 --delay-ms 10"
// means up 40, down 10. Returns the first error ("loss: a number from 0 to 1") and leaves
// `impairments` unchanged then.
std::optional<std::string> apply_settings(Impairments& impairments,
                                          const std::vector<Setting>& settings);

// True for the names apply_settings() knows.
bool is_setting_name(std::string_view name);

// "delay_ms=50 jitter_ms=10 loss=0.01 bandwidth_kbps=0", for logs and the control port.
std::string describe(const LinkImpairment& link);

}  // namespace streamsync::impair
