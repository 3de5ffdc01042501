// The NTP server against a real, independent NTP client: chronyd in measure-only mode (-Q),
// which queries the server, applies all of chrony's own sanity tests to the replies, and
// prints how far off it thinks the local clock is. Server and client share this machine's
// clock, so a correct server makes the offset close to zero.
//
// Needs the `chrony` package (chronyd): a declared test dependency, so its absence fails.

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <cmath>
#include <optional>
#include <regex>
#include <string>

#include "run_process.hpp"
#include "server_thread.hpp"
#include "time/ntp_server.hpp"

namespace streamsync::server {
namespace {

using testing::find_program;
using testing::run_process;
using testing::ServerThread;

// chronyd gives up by itself after this (-t); the test kills it a little later at the latest.
constexpr int kChronyTimeoutS = 10;
constexpr std::chrono::seconds kKillAfter{kChronyTimeoutS + 5};

// The offset in seconds from chronyd's "System clock wrong by -0.000012 seconds" line.
std::optional<double> parse_offset_s(const std::string& output) {
  static const std::regex kLine(
      R"(System clock wrong by ([-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?) seconds)");
  std::smatch match;
  if (!std::regex_search(output, match, kLine)) return std::nullopt;
  return std::stod(match[1].str());
}

TEST(ChronyInterop, ParsesChronysOffsetLine) {
  EXPECT_EQ(parse_offset_s("2024-01-01T00:00:00Z System clock wrong by -0.000012 seconds "
                           "(ignored)\n"),
            -0.000012);
  EXPECT_EQ(parse_offset_s("System clock wrong by 1.5e-05 seconds"), 1.5e-05);
  EXPECT_EQ(parse_offset_s("No suitable source for synchronisation"), std::nullopt);
}

TEST(ChronyInterop, ChronydMeasuresTheServerAsWithinAMillisecond) {
  const std::optional<std::string> chronyd = find_program("chronyd");
  ASSERT_TRUE(chronyd.has_value())
      << "chronyd not found: install the Debian package 'chrony' (apt-get install chrony); it is "
         "a declared test dependency (scripts/install-deps.sh)";

  NtpServerConfig config;
  config.listen = {boost::asio::ip::make_address("127.0.0.1"), 0};
  ServerThread running(config);
  const std::string port = std::to_string(running.server().local_endpoint().port());

  const auto result =
      run_process({*chronyd, "-Q", "-t", std::to_string(kChronyTimeoutS), "-f", "/dev/null",
                   "server 127.0.0.1 port " + port + " iburst maxsamples 4"},
                  kKillAfter);
  const std::string context =
      "chronyd output:\n" + result.output + (::geteuid() != 0 ? "\n(not running as root)" : "");
  ASSERT_FALSE(result.timed_out) << context;

  const std::optional<double> offset_s = parse_offset_s(result.output);
  ASSERT_TRUE(offset_s.has_value()) << "chronyd printed no offset; " << context;
  EXPECT_LT(std::abs(*offset_s), 1e-3) << context;
  EXPECT_EQ(result.exit_code, 0) << context;

  const NtpServerStats stats = running.server().stats();
  EXPECT_GE(stats.replies, 1U) << context;  // chronyd stops once it has enough samples
  EXPECT_EQ(stats.rate_limited, 0U) << "iburst must fit within the default rate limit";
}

}  // namespace
}  // namespace streamsync::server
