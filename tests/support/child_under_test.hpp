#pragma once

// ChildUnderTest: a real program (the server, the impairment relay, the headless viewer)
// run for one test on a thread of its own, with run_child_process(). It keeps everything
// the program prints, hands each stderr line to the caller (who reads its ready line, say
// "msg=listening ... http=127.0.0.1:41234"), lets the test wait until what it read makes
// the program ready, and stops it with SIGTERM (SIGKILL after a grace period) when asked or
// destroyed. Include it as "support/child_under_test.hpp"; link streamsync_child_under_test.
//
// Threading: the line handler runs on the child's thread; it and every wait_until()
// predicate run under one lock, so the state the handler parses needs no lock of its own
// as long as the test thread reads it only in a predicate or after one has held (and the
// handler stops writing it from then on).

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "process/child_process.hpp"
#include "process/stop_signal.hpp"

namespace streamsync::testing {

class ChildUnderTest {
 public:
  using LineHandler = std::function<void(std::string_view line)>;

  // Starts argv (argv[0] is the program; must not be empty) at once. on_stderr_line is
  // called for every stderr line, after it is kept (see Threading above); it may be empty.
  // kill_grace: between SIGTERM and SIGKILL on stop(). A program that cannot be started
  // ends at once: stderr_text() says "could not start: ..." and stop() returns an empty
  // ChildResult.
  ChildUnderTest(std::vector<std::string> argv, LineHandler on_stderr_line,
                 std::chrono::milliseconds kill_grace = std::chrono::milliseconds(2000));
  // stop().
  ~ChildUnderTest();
  ChildUnderTest(const ChildUnderTest&) = delete;
  ChildUnderTest& operator=(const ChildUnderTest&) = delete;

  // Waits up to `timeout` until `ready` holds or the program has ended, and returns
  // whether `ready` holds. `ready` is checked after each stderr line (see Threading above).
  bool wait_until(const std::function<bool()>& ready, std::chrono::milliseconds timeout);

  // Everything printed so far, a "\n" after each line.
  std::string stdout_text() const;
  std::string stderr_text() const;

  // SIGTERM, then waits for the exit. Idempotent; from the test's thread.
  server::ChildResult stop();

 private:
  void run(const server::ChildProcessOptions& options);

  server::StopSignal stop_signal_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string stdout_;
  std::string stderr_;
  std::optional<server::ChildResult> result_;  // set once the program has ended
  LineHandler on_stderr_line_;
  std::thread runner_;  // last: started once everything it touches is there
};

}  // namespace streamsync::testing
