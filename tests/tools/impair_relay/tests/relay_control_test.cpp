// The real streamsync-impair-relay binary: the control port's cut and restore on live TCP
// and UDP traffic, clean shutdown, and argument errors.

#include <gtest/gtest.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <string>
#include <thread>

#include "loopback_peers.hpp"
#include "process/child_process.hpp"
#include "relay_process.hpp"
#include "udp_probe.hpp"

namespace streamsync::impair::testing {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

// Reads what arrives on `socket` within `wait`.
std::string read_for(asio::io_context& io, tcp::socket& socket, std::chrono::milliseconds wait) {
  std::array<char, 256> buffer{};
  std::size_t got = 0;
  socket.async_read_some(asio::buffer(buffer), [&](const boost::system::error_code& ec, std::size_t bytes) {
    if (!ec) got = bytes;
  });
  io.restart();
  io.run_for(wait);
  if (got == 0) {
    socket.cancel();
    io.run();  // the cancelled read's handler
  }
  return std::string(buffer.data(), got);
}

TEST(RelayControl, CutBlackHolesTrafficUntilRestore) {
  LoopbackPeers peers;
  auto relay = RelayProcess::start({"--tcp", "127.0.0.1:0=127.0.0.1:" + std::to_string(peers.tcp_port()),
                                    "--udp", "127.0.0.1:0=127.0.0.1:" + std::to_string(peers.udp_port()),
                                    "--control", "127.0.0.1:0", "--delay-ms", "5"});
  ASSERT_TRUE(relay);
  const ProbePlan plan{20, 1, 5ms, 300ms};

  asio::io_context io;
  tcp::socket connection(io);
  connection.connect(tcp::endpoint(asio::ip::address_v4::loopback(), relay->tcp_port()));
  asio::write(connection, asio::buffer(std::string("before")));
  EXPECT_EQ(read_for(io, connection, 2000ms), "before");
  EXPECT_EQ(answered_count(probe_udp(relay->udp_port(), plan)), 20u);

  ASSERT_TRUE(relay->control("cut").starts_with("ok cut=yes"));
  asio::write(connection, asio::buffer(std::string("during")));
  EXPECT_EQ(read_for(io, connection, 500ms), "");  // held, not lost
  EXPECT_EQ(answered_count(probe_udp(relay->udp_port(), plan)), 0u);

  ASSERT_TRUE(relay->control("restore").starts_with("ok cut=no"));
  EXPECT_EQ(read_for(io, connection, 2000ms), "during");  // the held bytes, on restore
  EXPECT_EQ(answered_count(probe_udp(relay->udp_port(), plan)), 20u);

  const std::string status = relay->control("status");
  EXPECT_NE(status.find("up_tcp_bytes=12"), std::string::npos) << status;

  const auto result = relay->stop();
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  const auto log = relay->stderr_text();
  EXPECT_NE(log.find("msg=control command=cut"), std::string::npos) << log;
  EXPECT_NE(log.find("msg=stopped"), std::string::npos) << log;
}

TEST(RelayControl, AnswersBadCommandsWithAnError) {
  LoopbackPeers peers;
  auto relay = RelayProcess::start({"--udp", "127.0.0.1:0=127.0.0.1:" + std::to_string(peers.udp_port()),
                                    "--control", "127.0.0.1:0"});
  ASSERT_TRUE(relay);
  EXPECT_EQ(relay->control("set loss=7"), "error: loss: '7' is not a probability from 0 to 1");
  EXPECT_TRUE(relay->control("status\n").starts_with("ok cut=no"));  // as `echo status | nc -u` sends it
}

TEST(RelayProcess, RefusesBadArgumentsWithExitCode2) {
  server::ChildProcessOptions options;
  options.argv = {STREAMSYNC_IMPAIR_RELAY_BINARY, "--udp", "127.0.0.1:0=127.0.0.1:9", "--jitter-ms", "x"};
  const auto result = server::run_child_process(options);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->exit_code, 2);
  EXPECT_NE(result->stderr_tail.find("--jitter-ms: 'x' is not a number of milliseconds"), std::string::npos)
      << result->stderr_tail;
}

TEST(RelayProcess, PrintsHelp) {
  server::ChildProcessOptions options;
  options.argv = {STREAMSYNC_IMPAIR_RELAY_BINARY, "--help"};
  options.tail_bytes = 16 * 1024;
  const auto result = server::run_child_process(options);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->exit_code, 0);
  EXPECT_NE(result->stdout_tail.find("Usage:"), std::string::npos);
}

}  // namespace
}  // namespace streamsync::impair::testing
