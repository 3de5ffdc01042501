#pragma once

// ServerConfig: what streamsync-server runs with, from the command line, then the
// environment (STREAMSYNC_*), then defaults. `streamsync-server --help` prints it all.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "util/expected.hpp"

namespace streamsync::server {

struct Endpoint {
  std::string host;  // an IPv4 or IPv6 address ("0.0.0.0", "::", "127.0.0.1")
  std::uint16_t port = 0;
};

enum class Command {
  serve,         // the server
  token_create,  // token create NAME: print a new presenter token
  token_list,    // token list
  token_revoke,  // token revoke ID
  ingest,        // ingest FILE...: transcode files into the catalog, with a progress bar
  help,
  version,
};

struct ServerConfig {
  Command command = Command::serve;
  std::vector<std::string> command_args;  // NAME or ID for the token commands, FILEs for ingest
  std::filesystem::path data_dir;
  Endpoint http{"0.0.0.0", 8080};
  Endpoint ntp{"0.0.0.0", 12123};
  bool demo = false;
  std::string log_level = "info";
  int threads = 2;  // I/O threads
  // NTP requests per second answered per source address (bursts of twice that); raise it
  // when many viewers share one address (NAT) or to benchmark from one machine.
  double ntp_rate_limit_per_s = 8;
  // Ingest.
  std::string title;       // ingest --title; default: the file's name
  std::string encoder;     // --encoder: "" picks (hardware when it works, else libx264)
  int ingest_workers = 1;  // concurrent FFmpeg runs
  std::uint64_t upload_limit_bytes = std::uint64_t{8} << 30;
  bool keep_uploads = false;  // keep uploaded files after their job ends
};

// "8080", "127.0.0.1:8080", "[::1]:8080", ":8080" (all addresses).
Expected<Endpoint, std::string> parse_endpoint(std::string_view text,
                                               std::string_view default_host);

// `environment` looks a variable up (getenv in main; a map in tests).
using EnvironmentLookup = std::function<std::optional<std::string>(const char* name)>;

// The platform's per-user data folder for StreamSync: $XDG_DATA_HOME/streamsync (or
// ~/.local/share/streamsync) on Linux, ~/Library/Application Support/StreamSync on macOS,
// %LOCALAPPDATA%\StreamSync on Windows.
std::filesystem::path default_data_dir(const EnvironmentLookup& environment);
Expected<ServerConfig, std::string> parse_server_config(const std::vector<std::string>& args,
                                                        EnvironmentLookup environment);

std::string server_usage();

}  // namespace streamsync::server
