#pragma once

// ServerProcess: the real streamsync-server binary, started on loopback with ephemeral
// ports for one test. It reads the ports back from the server's "listening" log line and
// stops the server with SIGTERM (then SIGKILL after a grace period) when asked or destroyed.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "process/child_process.hpp"
#include "support/child_under_test.hpp"

namespace streamsync::test {

class ServerProcess {
 public:
  // Starts `streamsync-server --data data_dir --http 127.0.0.1:0 --ntp 127.0.0.1:0 extra...`
  // and waits up to `startup_timeout` for it to listen. Fails the calling test (ADD_FAILURE)
  // and returns nullptr when it does not.
  static std::unique_ptr<ServerProcess> start(
      const std::filesystem::path& data_dir, const std::vector<std::string>& extra_args = {},
      std::chrono::seconds startup_timeout = std::chrono::seconds(60));
  ~ServerProcess();

  std::uint16_t http_port() const { return http_port_; }
  std::uint16_t ntp_port() const { return ntp_port_; }

  // Everything printed so far.
  std::string stdout_text() const;
  // The presenter token a first start prints once; "" when this start printed none.
  std::string presenter_token() const;
  std::string stderr_text() const;

  // SIGTERM, then waits for the exit.
  server::ChildResult stop();

 private:
  explicit ServerProcess(std::vector<std::string> argv);
  // On the child's thread, under its lock (see ChildUnderTest).
  void on_stderr_line(std::string_view line);

  // Set once, from the "listening" line; read without a lock once start() has seen them.
  std::uint16_t http_port_ = 0;
  std::uint16_t ntp_port_ = 0;
  streamsync::testing::ChildUnderTest child_;  // last: stopped before the ports go
};

// Path of the built server binary (set by CMake).
std::filesystem::path server_binary();

}  // namespace streamsync::test
