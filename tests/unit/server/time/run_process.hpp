#pragma once

// run_process: runs a program to completion with a deadline and collects what it printed, so a
// test can drive a real external tool (chronyd) without ever hanging on it.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace streamsync::server::testing {

struct ProcessResult {
  bool timed_out = false;  // killed (SIGKILL) at the deadline
  int exit_code = -1;      // the exit status; -1 if it was killed by a signal or never started
  std::string output;      // stdout and stderr, interleaved as written
};

// Runs `argv` (argv[0] a path to the program) with stdin closed and stdout + stderr captured,
// waiting at most `timeout`. Throws std::system_error if the process cannot be started.
ProcessResult run_process(const std::vector<std::string>& argv, std::chrono::milliseconds timeout);

// The path of `program` found in $PATH or the sbin folders (which $PATH may lack for a non-root
// user), or nullopt.
std::optional<std::string> find_program(const std::string& program);

}  // namespace streamsync::server::testing
