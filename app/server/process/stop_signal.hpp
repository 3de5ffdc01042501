#pragma once

// StopSignal: a one-shot, thread-safe "stop now" for child processes. Any number of
// run_child_process() calls, on any threads, may watch the same signal; one
// request_stop() ends them all (SIGTERM, then SIGKILL after their grace period).
//
// It is a self-pipe: request_stop() writes one byte that is never read, so the read end
// stays readable forever and every poll() that includes wait_fd() wakes at once, now and
// later. write() is async-signal-safe, so request_stop() may also be called from a signal
// handler (e.g. the server's SIGTERM handler).

#include <atomic>

namespace streamsync::server {

class StopSignal {
 public:
  // Throws std::system_error when the process is out of file descriptors.
  StopSignal();
  ~StopSignal();
  StopSignal(const StopSignal&) = delete;
  StopSignal& operator=(const StopSignal&) = delete;

  // Idempotent; thread-safe and async-signal-safe.
  void request_stop() noexcept;
  bool stop_requested() const noexcept { return requested_.load(std::memory_order_acquire); }

  // Becomes readable (and stays so) once stop is requested. Owned by this object: poll it,
  // never read or close it.
  int wait_fd() const noexcept { return read_fd_; }

 private:
  std::atomic<bool> requested_{false};
  int read_fd_ = -1;
  int write_fd_ = -1;
};

}  // namespace streamsync::server
