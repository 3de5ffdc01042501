#pragma once

// The control port's text protocol: one command per UDP datagram, one reply datagram back
// to the sender. A pure function of the command and the path, tested without sockets.
//
//   cut                   black-hole everything (datagrams dropped, TCP bytes held) until restore
//   restore               end a cut; held TCP bytes flow again, in order
//   set NAME=VALUE ...    change settings, named as on the command line without the dashes:
//                         "set delay-ms=80 jitter-ms=5", "set up-loss=0.05 down-bandwidth-kbps=2000"
//   status                the current settings, the cut state and the counters
//
// Replies start with "ok" (then the state, as `status` shows it) or "error: ".

#include <string>
#include <string_view>

#include "impair_relay/impaired_path.hpp"

namespace streamsync::impair {

std::string run_control_command(std::string_view command, ImpairedPath& path);

// "cut=no up: delay_ms=50 ... down: delay_ms=50 ... up_datagrams=10 ...": what `status` replies.
std::string describe_state(const ImpairedPath& path);

}  // namespace streamsync::impair
