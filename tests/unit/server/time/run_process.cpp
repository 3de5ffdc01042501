#include "run_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <system_error>

extern char** environ;

namespace streamsync::server::testing {
namespace {

[[noreturn]] void throw_errno(int error, const std::string& what) {
  throw std::system_error(error, std::generic_category(), what);
}

// Appends what `fd` has to offer within `wait` to `out`; false at end of file.
bool read_some(int fd, std::chrono::milliseconds wait, std::string& out) {
  pollfd readable{fd, POLLIN, 0};
  const int ready = ::poll(&readable, 1, static_cast<int>(wait.count()));
  if (ready <= 0) return true;  // nothing yet (or EINTR): try again later
  std::array<char, 4096> chunk{};
  const ssize_t got = ::read(fd, chunk.data(), chunk.size());
  if (got < 0) return errno == EINTR || errno == EAGAIN;
  if (got == 0) return false;
  out.append(chunk.data(), static_cast<std::size_t>(got));
  return true;
}

// The child's exit status once it has exited, without waiting.
std::optional<int> exited(pid_t pid) {
  int status = 0;
  if (::waitpid(pid, &status, WNOHANG) != pid) return std::nullopt;
  return status;
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
  std::array<int, 2> pipe_fds{};
  if (::pipe2(pipe_fds.data(), O_CLOEXEC) != 0) throw_errno(errno, "pipe2");
  const int read_end = pipe_fds[0];
  const int write_end = pipe_fds[1];

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, write_end, 1);
  posix_spawn_file_actions_adddup2(&actions, write_end, 2);

  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);

  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(write_end);
  if (spawned != 0) {
    ::close(read_end);
    throw_errno(spawned, "cannot start " + argv.front());
  }

  // Watch the pipe and the child together: a helper the child forked may hold the pipe open
  // after the child itself has exited.
  ProcessResult result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::optional<int> status;
  bool open = true;
  while (!(status = exited(pid))) {
    if (std::chrono::steady_clock::now() >= deadline) {
      result.timed_out = true;
      ::kill(pid, SIGKILL);
      int killed = 0;
      while (::waitpid(pid, &killed, 0) < 0 && errno == EINTR) {
      }
      status = killed;
      break;
    }
    if (open) {
      open = read_some(read_end, std::chrono::milliseconds(20), result.output);
    } else {
      ::usleep(20'000);
    }
  }
  // What the child wrote before it exited is already in the pipe: take it without waiting.
  for (pollfd pending{read_end, POLLIN, 0}; open && ::poll(&pending, 1, 0) > 0;) {
    open = read_some(read_end, std::chrono::milliseconds(0), result.output);
  }
  ::close(read_end);
  if (WIFEXITED(*status)) result.exit_code = WEXITSTATUS(*status);
  return result;
}

std::optional<std::string> find_program(const std::string& program) {
  std::string folders = "/usr/sbin:/sbin:/usr/local/sbin";
  if (const char* path = std::getenv("PATH")) folders = std::string(path) + ":" + folders;
  std::istringstream split(folders);
  for (std::string folder; std::getline(split, folder, ':');) {
    if (folder.empty()) continue;
    const std::string candidate = folder + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

}  // namespace streamsync::server::testing
