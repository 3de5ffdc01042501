// streamsync-server: see `streamsync-server --help` and docs/operations.md.

#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "config/server_config.hpp"
#include "server.hpp"

int main(int argc, char** argv) {
  using namespace streamsync::server;
  const std::vector<std::string> args(argv + 1, argv + argc);
  const auto config = parse_server_config(args, [](const char* name) -> std::optional<std::string> {
    const char* value = std::getenv(name);
    return value ? std::optional<std::string>(value) : std::nullopt;
  });
  if (!config) {
    std::cerr << "streamsync-server: " << config.error() << '\n';
    return 2;
  }
  if (config->command == Command::help) {
    std::cout << server_usage();
    return 0;
  }
  if (config->command == Command::version) {
    std::cout << "streamsync-server " << STREAMSYNC_VERSION << '\n';
    return 0;
  }
  try {
    return run_server_command(*config);
  } catch (const std::exception& failure) {
    std::cerr << "streamsync-server: " << failure.what() << '\n';
    return 1;
  }
}
