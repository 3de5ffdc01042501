#include "process/stop_signal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace streamsync::server {

StopSignal::StopSignal() {
  int fds[2];
  if (::pipe(fds) != 0) throw std::system_error(errno, std::generic_category(), "StopSignal pipe");
  // Close-on-exec so that children never inherit them (pipe2 would close the race with a
  // concurrent spawn, but macOS lacks it; the signal is created before any child runs).
  for (const int fd : fds) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  // A non-blocking write end: a second request_stop() must not block on a full pipe.
  ::fcntl(fds[1], F_SETFL, ::fcntl(fds[1], F_GETFL) | O_NONBLOCK);
  read_fd_ = fds[0];
  write_fd_ = fds[1];
}

StopSignal::~StopSignal() {
  ::close(read_fd_);
  ::close(write_fd_);
}

void StopSignal::request_stop() noexcept {
  if (requested_.exchange(true, std::memory_order_acq_rel)) return;
  const char byte = 1;
  // Ignoring the result is safe: the only failure that matters (EAGAIN) means the pipe
  // already holds a byte, i.e. it is already readable.
  [[maybe_unused]] const auto written = ::write(write_fd_, &byte, 1);
}

}  // namespace streamsync::server
