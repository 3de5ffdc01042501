#pragma once

// The viewer without a window: the same ChannelSession and mpv (vo=null), a JSON-lines
// report per sync tick, state changes logged to stderr. For tests and benchmarks.

#include "command_line.hpp"

namespace streamsync::viewer {

// Runs the event loop of the QCoreApplication that exists; returns the exit code.
int run_headless(const LaunchOptions& options);

}  // namespace streamsync::viewer
