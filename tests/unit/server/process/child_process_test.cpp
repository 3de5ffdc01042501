#include "process/child_process.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "process/stop_signal.hpp"

namespace streamsync::server {
namespace {

using std::chrono::milliseconds;
namespace fs = std::filesystem;

// Runs a /bin/sh script (the tests' way to make a child do something specific; the code
// under test never uses a shell).
ChildResult run_script(const std::string& script, ChildProcessOptions options = {}) {
  options.argv = {"/bin/sh", "-c", script};
  auto result = run_child_process(options);
  EXPECT_TRUE(result.has_value()) << (result ? "" : result.error());
  return result ? std::move(result).value() : ChildResult{};
}

std::int64_t peak_rss_kib() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;  // KiB on Linux (bytes on macOS: only the difference matters)
}

TEST(ChildProcess, ReportsSuccess) {
  const auto result = run_script("exit 0");
  EXPECT_TRUE(result.succeeded());
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_FALSE(result.term_signal);
  EXPECT_FALSE(result.timed_out);
}

TEST(ChildProcess, ReportsExitCode) {
  const auto result = run_script("exit 3");
  EXPECT_FALSE(result.succeeded());
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.describe(), "exited with code 3");
}

TEST(ChildProcess, ReportsTerminatingSignal) {
  const auto result = run_script("kill -KILL $$");
  EXPECT_FALSE(result.exit_code);
  EXPECT_EQ(result.term_signal, SIGKILL);
  EXPECT_EQ(result.describe(), "killed by signal 9 (SIGKILL)");
}

TEST(ChildProcess, DeliversStdoutAndStderrLinesSeparately) {
  std::vector<std::string> out;
  std::vector<std::string> err;
  ChildProcessOptions options;
  options.on_stdout_line = [&out](std::string_view line) { out.emplace_back(line); };
  options.on_stderr_line = [&err](std::string_view line) { err.emplace_back(line); };
  const auto result =
      run_script("echo out1; echo err1 >&2; echo out2; printf 'no newline'", options);
  EXPECT_TRUE(result.succeeded());
  EXPECT_EQ(out, (std::vector<std::string>{"out1", "out2", "no newline"}));
  EXPECT_EQ(err, (std::vector<std::string>{"err1"}));
  EXPECT_EQ(result.stdout_tail, "out1\nout2\nno newline");
  EXPECT_EQ(result.stderr_tail, "err1\n");
}

TEST(ChildProcess, PassesArgumentsVerbatimWithoutAShell) {
  std::vector<std::string> out;
  ChildProcessOptions options;
  options.argv = {"printf", "%s|", "a b", "$HOME", "*", "it's; rm -rf x"};
  options.on_stdout_line = [&out](std::string_view line) { out.emplace_back(line); };
  const auto result = run_child_process(options);
  ASSERT_TRUE(result.has_value()) << result.error();
  EXPECT_EQ(out, (std::vector<std::string>{"a b|$HOME|*|it's; rm -rf x|"}));
}

TEST(ChildProcess, RunsInTheWorkingDirectory) {
  const fs::path dir = fs::canonical(fs::temp_directory_path());
  std::vector<std::string> out;
  ChildProcessOptions options;
  options.argv = {"pwd", "-P"};
  options.working_directory = dir;
  options.on_stdout_line = [&out](std::string_view line) { out.emplace_back(line); };
  ASSERT_TRUE(run_child_process(options).has_value());
  EXPECT_EQ(out, (std::vector<std::string>{dir.string()}));
}

TEST(ChildProcess, MissingWorkingDirectoryIsAnError) {
  ChildProcessOptions options;
  options.argv = {"true"};
  options.working_directory = "/nonexistent/streamsync-test-dir";
  const auto result = run_child_process(options);
  ASSERT_FALSE(result.has_value());
  EXPECT_NE(result.error().find("/nonexistent/streamsync-test-dir"), std::string::npos);
}

TEST(ChildProcess, MissingProgramIsAClearError) {
  ChildProcessOptions options;
  options.argv = {"streamsync-no-such-program", "--version"};
  const auto result = run_child_process(options);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error(), "cannot run 'streamsync-no-such-program': No such file or directory");
}

TEST(ChildProcess, EmptyArgvIsAnError) {
  EXPECT_FALSE(run_child_process(ChildProcessOptions{}).has_value());
}

TEST(ChildProcess, TimeoutStopsTheChildWithSigterm) {
  ChildProcessOptions options;
  options.argv = {"sleep", "30"};
  options.timeout = milliseconds(200);
  const auto result = run_child_process(options);
  ASSERT_TRUE(result.has_value());
  EXPECT_TRUE(result->timed_out);
  EXPECT_EQ(result->term_signal, SIGTERM);
  EXPECT_GE(result->elapsed, milliseconds(200));
  EXPECT_LT(result->elapsed, milliseconds(5000));
  EXPECT_NE(result->describe().find("timing out"), std::string::npos);
}

TEST(ChildProcess, TimeoutEscalatesToSigkillWhenSigtermIsIgnored) {
  ChildProcessOptions options;
  options.timeout = milliseconds(100);
  options.kill_grace = milliseconds(200);
  // The ignored SIGTERM is inherited by sleep, which shares the process group.
  const auto result = run_script("trap '' TERM; sleep 30; exit 0", options);
  EXPECT_TRUE(result.timed_out);
  EXPECT_EQ(result.term_signal, SIGKILL);
  EXPECT_LT(result.elapsed, milliseconds(5000));
}

TEST(ChildProcess, StopFromAnotherThreadEndsTheChild) {
  StopSignal stop;
  ChildProcessOptions options;
  options.argv = {"sleep", "30"};
  options.stop = &stop;
  std::thread stopper([&stop] {
    std::this_thread::sleep_for(milliseconds(100));
    stop.request_stop();
  });
  const auto result = run_child_process(options);
  stopper.join();
  ASSERT_TRUE(result.has_value());
  EXPECT_TRUE(result->stopped);
  EXPECT_FALSE(result->timed_out);
  EXPECT_EQ(result->term_signal, SIGTERM);
  EXPECT_LT(result->elapsed, milliseconds(5000));
}

TEST(ChildProcess, StopAlreadyRequestedEndsTheChildAtOnce) {
  StopSignal stop;
  stop.request_stop();
  ChildProcessOptions options;
  options.argv = {"sleep", "30"};
  options.stop = &stop;
  const auto result = run_child_process(options);
  ASSERT_TRUE(result.has_value());
  EXPECT_TRUE(result->stopped);
  EXPECT_LT(result->elapsed, milliseconds(5000));
}

TEST(ChildProcess, GrandchildHoldingThePipeDoesNotDelayTheResult) {
  std::vector<std::string> out;
  ChildProcessOptions options;
  options.on_stdout_line = [&out](std::string_view line) { out.emplace_back(line); };
  const auto result = run_script("sleep 3 & echo done", options);
  EXPECT_TRUE(result.succeeded());
  EXPECT_EQ(out, (std::vector<std::string>{"done"}));
  EXPECT_LT(result.elapsed, milliseconds(2000));
}

TEST(ChildProcess, HugeOutputKeepsMemoryBounded) {
  constexpr std::int64_t kBytes = 64LL * 1024 * 1024;
  std::int64_t lines = 0;
  ChildProcessOptions options;
  options.on_stderr_line = [&lines](std::string_view) { ++lines; };
  const auto rss_before = peak_rss_kib();
  // 64 MiB of "0123456789abcde\n" on stderr and one 1 MiB line without a newline on stdout.
  const auto result = run_script("yes 0123456789abcde | head -c " + std::to_string(kBytes) +
                                     " >&2; head -c 1048576 /dev/zero | tr '\\000' x",
                                 options);
  const auto growth = peak_rss_kib() - rss_before;
  EXPECT_TRUE(result.succeeded()) << result.describe();
  EXPECT_EQ(lines, kBytes / 16);
  EXPECT_LE(result.stderr_tail.size(), 4096u);
  EXPECT_EQ(result.stderr_tail.substr(result.stderr_tail.size() - 16), "0123456789abcde\n");
  EXPECT_LE(result.stdout_tail.size(), 4096u);
  EXPECT_LT(growth, 16 * 1024) << "peak RSS grew by " << growth << " KiB";
}

TEST(ChildProcess, ThrowingCallbackStillReapsTheChild) {
  ChildProcessOptions options;
  options.argv = {"/bin/sh", "-c", "echo go; sleep 30"};
  options.on_stdout_line = [](std::string_view) { throw std::runtime_error("callback failed"); };
  const auto started = std::chrono::steady_clock::now();
  EXPECT_THROW(run_child_process(options), std::runtime_error);
  EXPECT_LT(std::chrono::steady_clock::now() - started, milliseconds(5000));
}

TEST(ChildProcess, ChildReapedElsewhereEndsWithoutAStatus) {
  // SIGCHLD ignored: the kernel reaps children itself and waitpid() answers ECHILD.
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  struct sigaction previous {};
  ::sigaction(SIGCHLD, &ignore, &previous);
  const auto result = run_script("exit 4");
  ::sigaction(SIGCHLD, &previous, nullptr);
  EXPECT_FALSE(result.exit_code);
  EXPECT_FALSE(result.term_signal);
  EXPECT_FALSE(result.succeeded());
  EXPECT_NE(result.describe().find("lost"), std::string::npos);
}

}  // namespace
}  // namespace streamsync::server
