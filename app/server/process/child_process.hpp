#pragma once

// run_child_process(): run a program with an argv vector (no shell, nothing is spliced into
// a command line), stream its stdout and stderr to line callbacks, and end it cleanly
// (SIGTERM, then SIGKILL) on timeout or on a StopSignal. Memory stays bounded whatever the
// child prints: lines longer than max_line_bytes are delivered in pieces, and only the
// last tail_bytes of each stream are kept for error messages. Used for FFmpeg and ffprobe
// (demo videos, ingest transcodes of many minutes).
//
// POSIX only (Linux, macOS): posix_spawnp, pipes, poll(), process groups. A Windows port
// would need CreateProcessW with a command line quoted by the CommandLineToArgvW rules
// (Windows has no argv), CreatePipe with overlapped reads or one reader thread per pipe,
// WaitForMultipleObjects for the timeout and stop event, and a Job object to end the
// child's whole tree (TerminateJobObject: there is no SIGTERM; a console child could get
// CTRL_BREAK_EVENT first for a clean stop).

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/expected.hpp"

namespace streamsync::server {

class StopSignal;

struct ChildProcessOptions {
  // argv[0] is the program: a path, or a name looked up in PATH. Must not be empty.
  std::vector<std::string> argv;
  // The child's working directory; empty: the parent's.
  std::filesystem::path working_directory;

  // Called on the calling thread for every line, without its terminator ("\n", "\r\n" or a
  // lone "\r", as FFmpeg's status line uses). May be empty. If a callback throws, the
  // child is killed and reaped before the exception propagates.
  std::function<void(std::string_view line)> on_stdout_line;
  std::function<void(std::string_view line)> on_stderr_line;

  // Wall-clock limit from spawn; zero: none. On expiry the child is stopped.
  std::chrono::milliseconds timeout{0};
  // How long a stopped child has between SIGTERM and SIGKILL (FFmpeg uses it to finish
  // its files).
  std::chrono::milliseconds kill_grace{2000};
  // Stop the child when this is signalled (from any thread). Must outlive the call.
  const StopSignal* stop = nullptr;

  std::size_t max_line_bytes = 64 * 1024;  // longer lines arrive in pieces of this size
  std::size_t tail_bytes = 4 * 1024;       // kept per stream for ChildResult
};

struct ChildResult {
  std::optional<int> exit_code;    // set when the child exited
  std::optional<int> term_signal;  // set when a signal ended it
  bool timed_out = false;          // we stopped it because the timeout expired
  bool stopped = false;            // we stopped it because the StopSignal fired
  // The last tail_bytes of each stream (cut at a line start where possible).
  std::string stdout_tail;
  std::string stderr_tail;
  std::chrono::milliseconds elapsed{0};

  bool succeeded() const { return exit_code == 0; }
  // "exited with code 1", "killed by signal 15 (Terminated) after the 500 ms timeout", ...
  std::string describe() const;
};

// Runs options.argv to completion (or until stopped) and reports how it ended. Blocks the
// calling thread. The error is for a child that could not be started at all (program not
// found or not executable, working directory missing, out of resources), e.g.
// "cannot run 'ffmpeg': No such file or directory". The child gets /dev/null as stdin and
// its own process group, so a stop also reaches the programs it started. Nothing else in
// the process may reap it (SIGCHLD set to SIG_IGN, waitpid(-1)): then the result has
// neither exit_code nor term_signal.
Expected<ChildResult, std::string> run_child_process(const ChildProcessOptions& options);

}  // namespace streamsync::server
