#include "support/child_under_test.hpp"

#include <utility>

namespace streamsync::testing {

ChildUnderTest::ChildUnderTest(std::vector<std::string> argv, LineHandler on_stderr_line,
                               std::chrono::milliseconds kill_grace)
    : on_stderr_line_(std::move(on_stderr_line)) {
  server::ChildProcessOptions child;
  child.argv = std::move(argv);
  child.kill_grace = kill_grace;
  child.stop = &stop_signal_;
  child.on_stdout_line = [this](std::string_view line) {
    const std::lock_guard lock(mutex_);
    stdout_.append(line).append("\n");
  };
  child.on_stderr_line = [this](std::string_view line) {
    const std::lock_guard lock(mutex_);
    stderr_.append(line).append("\n");
    if (on_stderr_line_) on_stderr_line_(line);
    changed_.notify_all();
  };
  runner_ = std::thread([this, child = std::move(child)] { run(child); });
}

ChildUnderTest::~ChildUnderTest() {
  stop();
}

void ChildUnderTest::run(const server::ChildProcessOptions& options) {
  auto result = server::run_child_process(options);
  const std::lock_guard lock(mutex_);
  if (!result) stderr_ += "could not start: " + result.error() + "\n";
  result_ = result ? *result : server::ChildResult{};
  changed_.notify_all();
}

bool ChildUnderTest::wait_until(const std::function<bool()>& ready,
                                std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [&] { return ready() || result_.has_value(); });
  return ready();
}

std::string ChildUnderTest::stdout_text() const {
  const std::lock_guard lock(mutex_);
  return stdout_;
}

std::string ChildUnderTest::stderr_text() const {
  const std::lock_guard lock(mutex_);
  return stderr_;
}

server::ChildResult ChildUnderTest::stop() {
  stop_signal_.request_stop();
  if (runner_.joinable()) runner_.join();
  const std::lock_guard lock(mutex_);
  return result_.value_or(server::ChildResult{});
}

}  // namespace streamsync::testing
