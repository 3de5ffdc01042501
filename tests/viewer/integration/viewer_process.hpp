#pragma once

// ViewerProcess: the real `streamsync --headless` binary, started for one test against a
// server on loopback, writing its JSON-lines report to a file. Stopped with SIGTERM when
// asked or destroyed.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "support/child_under_test.hpp"

namespace streamsync::test {

class ViewerProcess {
 public:
  // Starts `streamsync --headless --server http://127.0.0.1:<http_port> --channel <channel>
  // --report <report> extra...`.
  ViewerProcess(std::uint16_t http_port, const std::string& channel, std::filesystem::path report,
                const std::vector<std::string>& extra_args = {});
  ~ViewerProcess();

  const std::filesystem::path& report_path() const { return report_; }
  // What the viewer logged (state changes, problems), for failure messages.
  std::string stderr_text() const;
  void stop();

 private:
  std::filesystem::path report_;
  streamsync::testing::ChildUnderTest child_;
};

// Path of the built viewer binary (set by CMake).
std::filesystem::path viewer_binary();

}  // namespace streamsync::test
