#pragma once

// ServerProcess: the real streamsync-server binary, started on loopback with ephemeral
// ports for one test. It reads the ports back from the server's "listening" log line and
// stops the server with SIGTERM (then SIGKILL after a grace period) when asked or destroyed.

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "process/child_process.hpp"
#include "process/stop_signal.hpp"

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
  std::string stderr_text() const;

  // SIGTERM, then waits for the exit.
  server::ChildResult stop();

 private:
  ServerProcess() = default;
  void on_stderr_line(std::string_view line);

  server::StopSignal stop_signal_;
  std::thread runner_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string stdout_, stderr_;
  std::optional<server::ChildResult> result_;
  std::uint16_t http_port_ = 0;
  std::uint16_t ntp_port_ = 0;
};

// Path of the built server binary (set by CMake).
std::filesystem::path server_binary();

}  // namespace streamsync::test
