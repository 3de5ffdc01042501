// Three real headless viewers on deliberately wrong clocks against the real server with
// --demo, on loopback: they must agree on the frame (pair error p95 <= 20 ms over 60 s),
// ride out 10 s of an unreachable server (reconnecting shown, in sync <= 3 s after it is
// back) and a server restart (in sync <= 5 s after it listens again).
//
// One scenario, run once, checked in phases: each viewer runs ~2 minutes.

#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "engine/local_clock.hpp"
#include "relay_process.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"
#include "sync_reports.hpp"
#include "viewer_process.hpp"

namespace streamsync::test {
namespace {

namespace fs = std::filesystem;
using impair::testing::RelayProcess;
using reports::Report;
using std::chrono::seconds;

constexpr std::int64_t kSecondNs = 1'000'000'000;

std::int64_t now_ns() {
  return viewer::LocalClock::real_mono_ns();
}

// The process whose command line contains `needle` (the test's unique data dir), or 0.
pid_t find_process_with_argument(const std::string& needle) {
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(entry.path() / "cmdline", std::ios::binary);
    const std::string command_line((std::istreambuf_iterator<char>(in)), {});
    if (command_line.find(needle) != std::string::npos &&
        command_line.find("streamsync-server") != std::string::npos) {
      return static_cast<pid_t>(std::stoi(name));
    }
  }
  return 0;
}

std::vector<Report> load_all(const std::vector<std::unique_ptr<ViewerProcess>>& viewers) {
  std::vector<Report> loaded;
  for (const auto& viewer : viewers) {
    auto report = reports::load_report(viewer->report_path().string());
    EXPECT_TRUE(report) << report.error();
    loaded.push_back(report ? std::move(*report) : Report{});
  }
  return loaded;
}

// Per viewer over [from_ns, to_ns): seconds in each state, tick rate, seeks, stalls and
// quality switches; with the logs, what a failure needs to be understood.
std::string summary_of(const std::vector<Report>& all, std::int64_t from_ns, std::int64_t to_ns) {
  std::ostringstream out;
  out.precision(3);
  for (std::size_t i = 0; i < all.size(); ++i) {
    const double window_s = static_cast<double>(to_ns - from_ns) / 1e9;
    out << "viewer " << i << ": "
        << static_cast<double>(reports::ticks_between(all[i], from_ns, to_ns)) / window_s
        << " ticks/s;";
    for (const auto& [state, spent_s] : reports::state_seconds(all[i], from_ns, to_ns)) {
      out << " " << state << " " << spent_s << " s";
    }
    const auto first = std::find_if(all[i].begin(), all[i].end(),
                                    [&](const auto& tick) { return tick.mono_ns >= from_ns; });
    const auto last = std::find_if(all[i].rbegin(), all[i].rend(),
                                   [&](const auto& tick) { return tick.mono_ns < to_ns; });
    if (first != all[i].end() && last != all[i].rend()) {
      out << "; seeks " << last->seeks - first->seeks << ", stalls " << last->stalls - first->stalls
          << ", quality switches " << last->quality_switches - first->quality_switches;
    }
    out << '\n';
  }
  return out.str();
}

// Enough of the window was compared: a viewer out of play (seeking, stalled, stuck in a
// load) for more than about a fifth of it fails, whatever the machine's tick rate.
void expect_mostly_compared(const std::vector<Report>& all, std::size_t comparisons,
                            std::int64_t from_ns, std::int64_t to_ns, const std::string& logs) {
  const double share = reports::pair_comparison_share(all, comparisons, from_ns, to_ns);
  EXPECT_GE(share, 0.8) << "compared at only " << share << " of the ticks\n"
                        << summary_of(all, from_ns, to_ns) << logs;
}

std::string logs_of(const std::vector<std::unique_ptr<ViewerProcess>>& viewers) {
  std::string logs;
  for (std::size_t i = 0; i < viewers.size(); ++i) {
    logs += "--- viewer " + std::to_string(i) + " ---\n" + viewers[i]->stderr_text();
  }
  return logs;
}

// Seconds from `from_ns` until every viewer is back in sync (tracking within 20 ms for a
// second), or nullopt if one never is.
std::optional<double> resync_s(const std::vector<Report>& all, std::int64_t from_ns) {
  double slowest_s = 0;
  for (const Report& report : all) {
    const auto at_ns = reports::converged_at_ns(report, from_ns, 20.0, kSecondNs);
    if (!at_ns) return std::nullopt;
    slowest_s = std::max(slowest_s, static_cast<double>(*at_ns - from_ns) / 1e9);
  }
  return slowest_s;
}

TEST(HeadlessViewers, StayInSyncOnWrongClocksThroughLossAndRestart) {
  testing::TempDir dir;
  const fs::path data = dir.path() / "data";
  auto server = ServerProcess::start(data, {"--demo", "--ntp-rate-limit", "100000"}, seconds(300));
  ASSERT_TRUE(server);
  const std::uint16_t http_port = server->http_port();
  const std::uint16_t ntp_port = server->ntp_port();

  // Skews of whole seconds and drifts of tens of ppm: clocks no viewer should trust.
  const std::vector<std::vector<std::string>> clocks = {
      {"--clock-skew-ms", "0", "--clock-drift-ppm", "0"},
      {"--clock-skew-ms", "2000", "--clock-drift-ppm", "60"},
      {"--clock-skew-ms", "-1500", "--clock-drift-ppm", "-80"}};
  std::vector<std::unique_ptr<ViewerProcess>> viewers;
  for (std::size_t i = 0; i < clocks.size(); ++i) {
    viewers.push_back(std::make_unique<ViewerProcess>(
        http_port, "demo", dir.path() / ("viewer" + std::to_string(i) + ".jsonl"), clocks[i]));
  }
  const std::int64_t started_ns = now_ns();

  // Phase 1: 15 s to join and converge, then 60 s measured.
  std::this_thread::sleep_for(seconds(75));
  const std::int64_t measured_to_ns = now_ns();
  const std::int64_t measured_from_ns = measured_to_ns - 60 * kSecondNs;
  {
    const auto all = load_all(viewers);
    const auto errors = reports::all_pair_errors_ms(all, measured_from_ns, measured_to_ns);
    ASSERT_FALSE(errors.empty()) << summary_of(all, measured_from_ns, measured_to_ns)
                                 << logs_of(viewers);
    expect_mostly_compared(all, errors.size(), measured_from_ns, measured_to_ns, logs_of(viewers));
    const double p95_ms = *reports::percentile(errors, 95);
    EXPECT_LE(p95_ms, 20.0) << summary_of(all, measured_from_ns, measured_to_ns)
                            << logs_of(viewers);
    // Each join timed a segment before its first load (ThroughputProbe), so it started on
    // the rung loopback carries and never switched (a switch is a second held seek).
    for (std::size_t i = 0; i < all.size(); ++i) {
      ASSERT_FALSE(all[i].empty());
      EXPECT_EQ(all[i].back().quality_switches, 0)
          << "viewer " << i << "\n"
          << summary_of(all, started_ns, measured_to_ns) << logs_of(viewers);
    }
    std::cout << "pair error over 60 s: p50 " << *reports::percentile(errors, 50) << " ms, p95 "
              << p95_ms << " ms, p99 " << *reports::percentile(errors, 99) << " ms, max "
              << *reports::percentile(errors, 100) << " ms (" << errors.size()
              << " comparisons); joined " << (measured_from_ns - started_ns) / kSecondNs
              << " s before\n"
              << summary_of(all, measured_from_ns, measured_to_ns);
  }

  // Phase 2: the server stops answering for 10 s (frozen: connections hang, datagrams
  // vanish), then comes back.
  const pid_t server_pid = find_process_with_argument(data.string());
  ASSERT_NE(server_pid, 0);
  const std::int64_t frozen_ns = now_ns();
  ASSERT_EQ(kill(server_pid, SIGSTOP), 0);
  std::this_thread::sleep_for(seconds(10));
  ASSERT_EQ(kill(server_pid, SIGCONT), 0);
  const std::int64_t thawed_ns = now_ns();
  std::this_thread::sleep_for(seconds(8));
  {
    const auto all = load_all(viewers);
    for (std::size_t i = 0; i < all.size(); ++i) {
      const bool told = reports::has_state(all[i], "reconnecting", frozen_ns, thawed_ns) ||
                        reports::has_state(all[i], "offline", frozen_ns, thawed_ns);
      EXPECT_TRUE(told) << "viewer " << i << " never showed reconnecting/offline\n"
                        << logs_of(viewers);
    }
    const auto back_s = resync_s(all, thawed_ns);
    ASSERT_TRUE(back_s) << logs_of(viewers);
    EXPECT_LE(*back_s, 3.0) << logs_of(viewers);
    std::cout << "after 10 s unreachable: all in sync " << *back_s << " s after it returned\n";
  }

  // Phase 3: the server is restarted on the same ports.
  server->stop();
  server = ServerProcess::start(
      data,
      {"--demo", "--ntp-rate-limit", "100000", "--http", "127.0.0.1:" + std::to_string(http_port),
       "--ntp", "127.0.0.1:" + std::to_string(ntp_port)},
      seconds(120));
  ASSERT_TRUE(server);
  const std::int64_t restarted_ns = now_ns();
  std::this_thread::sleep_for(seconds(10));
  for (auto& viewer : viewers) viewer->stop();
  {
    const auto all = load_all(viewers);
    const auto back_s = resync_s(all, restarted_ns);
    ASSERT_TRUE(back_s) << logs_of(viewers);
    EXPECT_LE(*back_s, 5.0) << logs_of(viewers);
    std::cout << "after the restart: all in sync " << *back_s << " s after it listened\n";
  }
}

// The CI version of the end-to-end benchmark's impaired network: each viewer reaches the
// server (HTTP and the time service) through its own relay adding 50 ± 10 ms each way
// (normal) and 1 % loss. The viewers must still agree: pair error p95 <= 20 ms over 60 s.
TEST(HeadlessViewers, AgreeThroughAJitteryLossyNetwork) {
  testing::TempDir dir;
  // All viewers share one address here; the per-source NTP rate limit is for real clients.
  auto server = ServerProcess::start(dir.path() / "data", {"--demo", "--ntp-rate-limit", "100000"},
                                     seconds(300));
  ASSERT_TRUE(server);
  std::vector<std::unique_ptr<RelayProcess>> relays;
  std::vector<std::unique_ptr<ViewerProcess>> viewers;
  const std::vector<std::string> skews_ms = {"0", "2000", "-1500"};
  for (std::size_t i = 0; i < skews_ms.size(); ++i) {
    relays.push_back(RelayProcess::start(
        {"--tcp", "127.0.0.1:0=127.0.0.1:" + std::to_string(server->http_port()), "--udp",
         "127.0.0.1:0=127.0.0.1:" + std::to_string(server->ntp_port()), "--delay-ms", "50",
         "--jitter-ms", "10", "--loss", "0.01", "--seed", std::to_string(i + 1)}));
    ASSERT_TRUE(relays.back());
    viewers.push_back(std::make_unique<ViewerProcess>(
        relays.back()->tcp_port(), "demo", dir.path() / ("viewer" + std::to_string(i) + ".jsonl"),
        std::vector<std::string>{"--ntp-port", std::to_string(relays.back()->udp_port()),
                                 "--clock-skew-ms", skews_ms[i]}));
  }
  std::this_thread::sleep_for(seconds(80));
  const std::int64_t to_ns = now_ns();
  for (auto& viewer : viewers) viewer->stop();
  const auto all = load_all(viewers);
  const std::int64_t from_ns = to_ns - 60 * kSecondNs;
  const auto errors = reports::all_pair_errors_ms(all, from_ns, to_ns);
  ASSERT_FALSE(errors.empty()) << summary_of(all, from_ns, to_ns) << logs_of(viewers);
  expect_mostly_compared(all, errors.size(), from_ns, to_ns, logs_of(viewers));
  const double p95_ms = *reports::percentile(errors, 95);
  EXPECT_LE(p95_ms, 20.0) << summary_of(all, from_ns, to_ns) << logs_of(viewers);
  std::cout << "through 50±10 ms, 1 % loss: pair error p50 " << *reports::percentile(errors, 50)
            << " ms, p95 " << p95_ms << " ms, p99 " << *reports::percentile(errors, 99)
            << " ms over 60 s (compared at "
            << reports::pair_comparison_share(all, errors.size(), from_ns, to_ns)
            << " of the ticks)\n"
            << summary_of(all, from_ns, to_ns);
}

}  // namespace
}  // namespace streamsync::test
