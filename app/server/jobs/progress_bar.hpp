#pragma once

// A one-line progress report for `streamsync-server ingest`: a redrawn bar on a terminal,
// a line per 10 % otherwise (logs, CI).

#include <ostream>

namespace streamsync::server {

// fraction 0..1, speed as a multiple of real time, eta_s < 0 when unknown.
void print_progress(std::ostream& out, double fraction, double speed, double eta_s, bool terminal);

}  // namespace streamsync::server
