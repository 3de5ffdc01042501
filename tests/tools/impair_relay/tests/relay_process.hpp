#pragma once

// RelayProcess: the real streamsync-impair-relay binary, started for one test with the
// arguments it gives, on ephemeral ports that are read back from the "listening" line.
// Stopped with SIGTERM when asked or destroyed. Also: a one-shot client for the control port.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "process/child_process.hpp"
#include "support/child_under_test.hpp"

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
  explicit RelayProcess(std::vector<std::string> argv);
  // On the child's thread, under its lock (see ChildUnderTest).
  void on_stderr_line(std::string_view line);

  // Set once, from the "listening" line; read without a lock once start() has seen ready_.
  bool ready_ = false;
  std::uint16_t tcp_port_ = 0;
  std::uint16_t udp_port_ = 0;
  std::uint16_t control_port_ = 0;
  streamsync::testing::ChildUnderTest child_;  // last: stopped before the ports go
};

}  // namespace streamsync::impair::testing
