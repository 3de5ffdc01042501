#pragma once

// The desktop app: settings, the first-run dialog, the main window, the player and its
// video surface, the channel list and the channel being watched.

#include "command_line.hpp"

namespace streamsync::viewer {

// Runs the event loop of the QApplication that exists; returns the exit code.
int run_gui(const LaunchOptions& options);

}  // namespace streamsync::viewer
