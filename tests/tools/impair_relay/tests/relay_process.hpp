#pragma once

// RelayProcess: the real streamsync-impair-relay binary, started for one test with the
// arguments it gives, on ephemeral ports that are read back from the "listening" line.
// Stopped with SIGTERM when asked or destroyed. Also: a one-shot client for the control port.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "process/child_process.hpp"
#include "process/stop_signal.hpp"

namespace streamsync::impair::testing {

class RelayProcess {
 public:
  // Starts the relay with `args` and waits for its ready line. Fails the calling test
  // (ADD_FAILURE) and returns nullptr when it does not get there in time.
  static std::unique_ptr<RelayProcess> start(const std::vector<std::string>& args);
  ~RelayProcess();

  // 0 for a port the relay was not asked to open.
  std::uint16_t tcp_port() const { return tcp_port_; }
  std::uint16_t udp_port() const { return udp_port_; }
  std::uint16_t control_port() const { return control_port_; }

  // Sends one command to the control port and returns the reply ("" after 5 s without one).
  std::string control(std::string_view command) const;

  std::string stderr_text() const;

  // SIGTERM, then waits for the exit.
  server::ChildResult stop();

 private:
  RelayProcess() = default;
  void on_stderr_line(std::string_view line);

  server::StopSignal stop_signal_;
  std::thread runner_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string stderr_;
  std::optional<server::ChildResult> result_;
  bool ready_ = false;
  std::uint16_t tcp_port_ = 0;
  std::uint16_t udp_port_ = 0;
  std::uint16_t control_port_ = 0;
};

}  // namespace streamsync::impair::testing
