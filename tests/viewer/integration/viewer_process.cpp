#include "viewer_process.hpp"

#include <utility>

namespace streamsync::test {
namespace {

std::vector<std::string> viewer_argv(std::uint16_t http_port, const std::string& channel,
                                     const std::filesystem::path& report,
                                     const std::vector<std::string>& extra_args) {
  std::vector<std::string> argv = {viewer_binary().string(),
                                   "--headless",
                                   "--server",
                                   "http://127.0.0.1:" + std::to_string(http_port),
                                   "--channel",
                                   channel,
                                   "--report",
                                   report.string()};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  return argv;
}

}  // namespace

std::filesystem::path viewer_binary() {
  return STREAMSYNC_VIEWER_BINARY;
}

ViewerProcess::ViewerProcess(std::uint16_t http_port, const std::string& channel,
                             std::filesystem::path report,
                             const std::vector<std::string>& extra_args)
    : report_(std::move(report)),
      child_(viewer_argv(http_port, channel, report_, extra_args), nullptr) {}

ViewerProcess::~ViewerProcess() = default;

void ViewerProcess::stop() {
  child_.stop();
}

std::string ViewerProcess::stderr_text() const {
  return child_.stderr_text();
}

}  // namespace streamsync::test
