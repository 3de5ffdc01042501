#include "viewer_process.hpp"

namespace streamsync::test {

std::filesystem::path viewer_binary() {
  return STREAMSYNC_VIEWER_BINARY;
}

ViewerProcess::ViewerProcess(std::uint16_t http_port, const std::string& channel,
                             std::filesystem::path report,
                             const std::vector<std::string>& extra_args)
    : report_(std::move(report)) {
  server::ChildProcessOptions options;
  options.argv = {viewer_binary().string(),
                  "--headless",
                  "--server",
                  "http://127.0.0.1:" + std::to_string(http_port),
                  "--channel",
                  channel,
                  "--report",
                  report_.string()};
  options.argv.insert(options.argv.end(), extra_args.begin(), extra_args.end());
  options.stop = &stop_signal_;
  options.on_stderr_line = [this](std::string_view line) {
    const std::lock_guard lock(mutex_);
    stderr_.append(line).append("\n");
  };
  runner_ = std::thread([this, options] {
    auto result = server::run_child_process(options);
    if (!result) {
      const std::lock_guard lock(mutex_);
      stderr_ += "could not start: " + result.error() + "\n";
    }
  });
}

ViewerProcess::~ViewerProcess() {
  stop();
}

void ViewerProcess::stop() {
  stop_signal_.request_stop();
  if (runner_.joinable()) runner_.join();
}

std::string ViewerProcess::stderr_text() const {
  const std::lock_guard lock(mutex_);
  return stderr_;
}

}  // namespace streamsync::test
