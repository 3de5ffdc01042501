#include "process/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <system_error>
#include <utility>

#include "process/output_stream.hpp"
#include "process/stop_signal.hpp"

extern char** environ;  // NOLINT: POSIX declares it nowhere; posix_spawnp wants it

namespace streamsync::server {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Even with a pipe open we wake this often to check whether the child has exited: a
// grandchild that inherited the pipe would otherwise keep us waiting for an EOF.
constexpr milliseconds kMaxPollWait{100};

std::string errno_text(int error) {
  return std::generic_category().message(error);
}

// A file descriptor closed on scope exit.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    reset();
    fd_ = std::exchange(other.fd_, -1);
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }

  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

struct Pipe {
  Fd read_end;
  Fd write_end;
};

// Both ends close-on-exec, so that no other child (spawned by another thread meanwhile)
// inherits a write end and keeps our reader from ever seeing EOF; the child's own copy is
// made by dup2 in the spawn, which clears the flag. The read end is non-blocking.
Expected<Pipe, std::string> make_pipe() {
  int fds[2];
#if defined(__linux__)
  if (::pipe2(fds, O_CLOEXEC) != 0) return Unexpected{"pipe: " + errno_text(errno)};
#else
  // No pipe2 on macOS: a spawn on another thread between pipe() and fcntl() could leak
  // these into that child. Acceptable there (development only).
  if (::pipe(fds) != 0) return Unexpected{"pipe: " + errno_text(errno)};
  for (const int fd : fds) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
#endif
  ::fcntl(fds[0], F_SETFL, ::fcntl(fds[0], F_GETFL) | O_NONBLOCK);
  return Pipe{Fd(fds[0]), Fd(fds[1])};
}

// posix_spawn's C structures, destroyed on scope exit.
struct SpawnSetup {
  posix_spawn_file_actions_t actions{};
  posix_spawnattr_t attributes{};
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attributes);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

Expected<pid_t, std::string> spawn(const ChildProcessOptions& options, int stdout_fd,
                                   int stderr_fd) {
  SpawnSetup setup;
  // Its own process group, so that a stop reaches its children too. Signal dispositions
  // the server ignores (SIGPIPE) would survive exec; give the child the defaults.
  sigset_t no_signals;
  sigemptyset(&no_signals);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (const int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2}) {
    sigaddset(&defaults, sig);
  }
  // Each call returns 0 or an errno value (ENOMEM); the first failure wins.
  int error = 0;
  const auto check = [&error](int result) {
    if (error == 0) error = result;
  };
  check(posix_spawn_file_actions_addopen(&setup.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0));
  check(posix_spawn_file_actions_adddup2(&setup.actions, stdout_fd, STDOUT_FILENO));
  check(posix_spawn_file_actions_adddup2(&setup.actions, stderr_fd, STDERR_FILENO));
  if (!options.working_directory.empty()) {
    // glibc >= 2.29, macOS >= 10.15.
    check(posix_spawn_file_actions_addchdir_np(&setup.actions, options.working_directory.c_str()));
  }
  check(posix_spawnattr_setpgroup(&setup.attributes, 0));
  check(posix_spawnattr_setsigmask(&setup.attributes, &no_signals));
  check(posix_spawnattr_setsigdefault(&setup.attributes, &defaults));
  check(posix_spawnattr_setflags(
      &setup.attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF));
  if (error != 0) return Unexpected{"cannot run '" + options.argv[0] + "': " + errno_text(error)};

  std::vector<std::string> args = options.argv;  // posix_spawnp wants mutable char*
  std::vector<char*> arg_pointers;
  arg_pointers.reserve(args.size() + 1);
  for (auto& arg : args) arg_pointers.push_back(arg.data());
  arg_pointers.push_back(nullptr);

  pid_t pid = -1;
  // glibc and macOS report a failed exec (ENOENT, EACCES) here; other libcs let the child
  // exit with code 127 instead.
  error = ::posix_spawnp(&pid, arg_pointers[0], &setup.actions, &setup.attributes,
                         arg_pointers.data(), environ);
  if (error != 0) return Unexpected{"cannot run '" + options.argv[0] + "': " + errno_text(error)};
  return pid;
}

// One of the child's output pipes while we read it.
struct Channel {
  Fd fd;
  OutputStream stream;
  bool open() const { return fd.get() >= 0; }
};

// Reads what is available now. Returns false at EOF (or a read error), having closed fd.
bool read_available(Channel& channel) {
  std::array<char, 64 * 1024> buffer;
  for (;;) {
    const ssize_t count = ::read(channel.fd.get(), buffer.data(), buffer.size());
    if (count > 0) {
      channel.stream.append(std::string_view(buffer.data(), static_cast<std::size_t>(count)));
      // One buffer per wake-up: lets the other pipe and the clock have their turn.
      return true;
    }
    if (count < 0 && errno == EINTR) continue;
    if (count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
    channel.fd.reset();
    channel.stream.finish();
    return false;
  }
}

// What the (exited) child left in the pipe: up to a pipe buffer (64 KiB on Linux, 1 MiB at
// most), read without waiting for an EOF that a grandchild holding the pipe could delay
// forever. The read budget stops a grandchild that keeps writing from holding us here.
void drain(Channel& channel) {
  constexpr int kMaxReads = 32;
  std::array<char, 64 * 1024> buffer;
  for (int reads = 0; channel.open() && reads < kMaxReads; ++reads) {
    const ssize_t count = ::read(channel.fd.get(), buffer.data(), buffer.size());
    if (count > 0) {
      channel.stream.append(std::string_view(buffer.data(), static_cast<std::size_t>(count)));
    } else if (count < 0 && errno == EINTR) {
      continue;
    } else {
      break;  // EOF, or nothing left (EAGAIN)
    }
  }
  channel.fd.reset();
  channel.stream.finish();
}

const char* signal_name(int sig) {
  static constexpr std::pair<int, const char*> kNames[] = {
      {SIGTERM, "SIGTERM"}, {SIGKILL, "SIGKILL"}, {SIGINT, "SIGINT"},   {SIGHUP, "SIGHUP"},
      {SIGQUIT, "SIGQUIT"}, {SIGABRT, "SIGABRT"}, {SIGSEGV, "SIGSEGV"}, {SIGBUS, "SIGBUS"},
      {SIGFPE, "SIGFPE"},   {SIGILL, "SIGILL"},   {SIGPIPE, "SIGPIPE"}};
  for (const auto& [number, name] : kNames) {
    if (number == sig) return name;
  }
  return nullptr;
}

// The part of run_child_process after a successful spawn. Owns the child until reaped: if
// anything (a throwing callback) leaves early, the destructor kills and reaps it.
class RunningChild {
 public:
  RunningChild(pid_t pid, const ChildProcessOptions& options, Fd stdout_fd, Fd stderr_fd)
      : pid_(pid),
        options_(options),
        started_(Clock::now()),
        out_{std::move(stdout_fd),
             OutputStream(options.on_stdout_line, options.max_line_bytes, options.tail_bytes)},
        err_{std::move(stderr_fd),
             OutputStream(options.on_stderr_line, options.max_line_bytes, options.tail_bytes)} {}

  RunningChild(const RunningChild&) = delete;
  RunningChild& operator=(const RunningChild&) = delete;

  ~RunningChild() {
    if (reaped_) return;
    ::kill(-pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }

  ChildResult run() {
    int status = 0;
    for (;;) {
      // Reap first: a child that has already exited is reported as exited, not stopped.
      if (try_reap(status)) break;
      const auto now = Clock::now();
      enforce_limits(now);
      wait_for_events(next_wake(now));
    }
    drain(out_);
    drain(err_);

    ChildResult result;
    if (!lost_ && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
    if (!lost_ && WIFSIGNALED(status)) result.term_signal = WTERMSIG(status);
    result.timed_out = timed_out_;
    result.stopped = stopped_;
    result.stdout_tail = out_.stream.tail();
    result.stderr_tail = err_.stream.tail();
    result.elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - started_);
    return result;
  }

 private:
  // Starts or escalates a stop when the timeout or the StopSignal says so.
  void enforce_limits(Clock::time_point now) {
    if (!kill_at_) {
      if (options_.timeout > milliseconds::zero() && now - started_ >= options_.timeout) {
        timed_out_ = true;
      } else if (options_.stop != nullptr && options_.stop->stop_requested()) {
        stopped_ = true;
      } else {
        return;
      }
      ::kill(-pid_, SIGTERM);
      kill_at_ = now + options_.kill_grace;
    } else if (!sent_kill_ && now >= *kill_at_) {
      ::kill(-pid_, SIGKILL);
      sent_kill_ = true;
    }
  }

  bool try_reap(int& status) {
    for (;;) {
      const pid_t result = ::waitpid(pid_, &status, WNOHANG);
      if (result == pid_) return reaped_ = true;
      if (result < 0 && errno == EINTR) continue;
      if (result < 0 && errno == ECHILD) {
        // Someone else reaped it (SIGCHLD set to SIG_IGN, or a waitpid(-1) elsewhere): it
        // is gone, but how it ended is lost.
        lost_ = true;
        return reaped_ = true;
      }
      return false;  // still running
    }
  }

  // The latest moment to wake at: the next deadline, and at least every kMaxPollWait.
  Clock::time_point next_wake(Clock::time_point now) const {
    auto wake = now + kMaxPollWait;
    if (!out_.open() && !err_.open()) {
      // Both pipes closed: the child is exiting; check back soon rather than sleeping.
      wake = now + milliseconds(2);
    }
    if (!kill_at_ && options_.timeout > milliseconds::zero()) {
      wake = std::min(wake, started_ + options_.timeout);
    }
    if (kill_at_ && !sent_kill_) wake = std::min(wake, *kill_at_);
    return wake;
  }

  void wait_for_events(Clock::time_point wake) {
    std::array<pollfd, 3> fds{};
    nfds_t count = 0;
    const auto watch = [&](int fd) {
      if (fd >= 0) fds[count++] = pollfd{fd, POLLIN, 0};
    };
    watch(out_.fd.get());
    watch(err_.fd.get());
    // Once stopping, the signal's fd stays readable; watching it would spin.
    if (options_.stop != nullptr && !kill_at_) watch(options_.stop->wait_fd());

    const auto wait = std::chrono::ceil<milliseconds>(wake - Clock::now());
    const int timeout_ms = static_cast<int>(std::max<milliseconds::rep>(0, wait.count()));
    if (::poll(fds.data(), count, timeout_ms) <= 0) return;  // timeout, or EINTR: loop again
    for (nfds_t i = 0; i < count; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == out_.fd.get()) {
        read_available(out_);
      } else if (fds[i].fd == err_.fd.get()) {
        read_available(err_);
      }
    }
  }

  pid_t pid_;
  const ChildProcessOptions& options_;
  Clock::time_point started_;
  Channel out_;
  Channel err_;
  std::optional<Clock::time_point> kill_at_;  // set once SIGTERM was sent
  bool sent_kill_ = false;
  bool timed_out_ = false;
  bool stopped_ = false;
  bool reaped_ = false;
  bool lost_ = false;  // reaped by someone else: the exit status is unknown
};

}  // namespace

std::string ChildResult::describe() const {
  std::string text;
  if (exit_code) {
    text = "exited with code " + std::to_string(*exit_code);
  } else if (term_signal) {
    const char* name = signal_name(*term_signal);
    text = "killed by signal " + std::to_string(*term_signal);
    if (name != nullptr) text += std::string(" (") + name + ")";
  } else {
    text = "ended, but its exit status was lost (was SIGCHLD ignored?)";
  }
  if (timed_out) text += " after timing out (" + std::to_string(elapsed.count()) + " ms)";
  if (stopped) text += " after a stop request";
  return text;
}

Expected<ChildResult, std::string> run_child_process(const ChildProcessOptions& options) {
  if (options.argv.empty() || options.argv[0].empty()) {
    return Unexpected{std::string("run_child_process: no program given")};
  }
  if (!options.working_directory.empty()) {
    std::error_code error;
    if (!std::filesystem::is_directory(options.working_directory, error)) {
      return Unexpected{"cannot run '" + options.argv[0] + "': working directory '" +
                        options.working_directory.string() + "' does not exist"};
    }
  }
  auto out_pipe = make_pipe();
  if (!out_pipe) return Unexpected{out_pipe.error()};
  auto err_pipe = make_pipe();
  if (!err_pipe) return Unexpected{err_pipe.error()};

  const auto pid =
      spawn(options, out_pipe.value().write_end.get(), err_pipe.value().write_end.get());
  // Our copies of the write ends must go, or we would never see EOF.
  out_pipe.value().write_end.reset();
  err_pipe.value().write_end.reset();
  if (!pid) return Unexpected{pid.error()};

  RunningChild child(*pid, options, std::move(out_pipe.value().read_end),
                     std::move(err_pipe.value().read_end));
  return child.run();
}

}  // namespace streamsync::server
