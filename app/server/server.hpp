#pragma once

// Server: the composer. Opens the catalog in the data directory, prepares demo content
// when asked, and runs the HTTP API/media listener and the NTP time service on one
// io_context until SIGINT or SIGTERM. The one place that wires the parts together.

#include "config/server_config.hpp"

namespace streamsync::server {

// Runs the configured command (serve, token ...); returns the process exit code.
// Throws only for misconfiguration found at start-up (a port in use, an unreadable data
// directory, a database from a newer server), with a message for the operator.
int run_server_command(const ServerConfig& config);

}  // namespace streamsync::server
