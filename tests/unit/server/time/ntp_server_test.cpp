#include "time/ntp_server.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "protocol/ntp_packet.hpp"
#include "protocol/ntp_timestamp.hpp"
#include "server_thread.hpp"
#include "udp_test_client.hpp"

namespace streamsync::server {
namespace {

using boost::asio::ip::make_address;
using boost::asio::ip::udp;
using std::chrono::milliseconds;
using testing::ServerThread;
using testing::UdpTestClient;

// Long enough for any loopback reply, even under sanitizers; only a failing test waits it out.
constexpr milliseconds kReplyTimeout{2000};
// How long silence must last before we believe no reply is coming.
constexpr milliseconds kSilence{300};
// Slack around "between our send and our receive" for T2 and T3. Both clocks are the system
// clock, so causality alone bounds them; this only absorbs rounding and allows for a few ms.
constexpr std::int64_t kToleranceUs = 2'000;

NtpServerConfig loopback_config() {
  NtpServerConfig config;
  config.listen = udp::endpoint(make_address("127.0.0.1"), 0);
  return config;
}

std::vector<std::uint8_t> to_bytes(const NtpPacket& packet) {
  const auto wire = encode(packet);
  return {wire.begin(), wire.end()};
}

// A client request stamped with the system time; distinct per call since `sequence` goes into
// the low bits of the fraction.
NtpPacket stamped_request(std::uint32_t sequence = 0) {
  NtpTimestamp transmit = ntp_from_unix_us(system_wall_clock_us());
  transmit.fraction ^= sequence;
  return make_client_request(transmit);
}

std::optional<NtpPacket> decode(const std::optional<std::vector<std::uint8_t>>& bytes) {
  if (!bytes) return std::nullopt;
  auto packet = decode_ntp_packet(*bytes);
  if (!packet) return std::nullopt;
  return *packet;
}

// Polls `condition` until it holds or `timeout` passes: the server counts a reply after sending
// it, so the client may see the reply before the counter moves.
bool eventually(const std::function<bool()>& condition, milliseconds timeout = kReplyTimeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(1));
  }
  return true;
}

TEST(NtpServer, ListensOnAnEphemeralPortWhenAskedForPortZero) {
  ServerThread running(loopback_config());
  EXPECT_NE(running.server().local_endpoint().port(), 0);
  EXPECT_EQ(running.server().local_endpoint().address(), make_address("127.0.0.1"));
}

TEST(NtpServer, AnswersAClientRequestWithTheSystemTime) {
  ServerThread running(loopback_config());
  UdpTestClient client(running.server().local_endpoint());

  const std::int64_t sent_us = system_wall_clock_us();
  const NtpPacket request = make_client_request(ntp_from_unix_us(sent_us));
  client.send(to_bytes(request));
  const auto reply = decode(client.receive(kReplyTimeout));
  const std::int64_t received_us = system_wall_clock_us();

  ASSERT_TRUE(reply.has_value()) << "no reply within " << kReplyTimeout.count() << " ms";
  EXPECT_EQ(validate_server_reply(*reply, request.transmit), std::nullopt);
  EXPECT_EQ(reply->stratum, 2);
  EXPECT_EQ(reply->reference_id, reference_id_from_ascii("SSYN"));
  EXPECT_EQ(reply->precision, -20);
  EXPECT_EQ(reply->leap, NtpLeap::none);

  const std::int64_t t2 = unix_us_from_ntp(reply->receive, sent_us);
  const std::int64_t t3 = unix_us_from_ntp(reply->transmit, sent_us);
  EXPECT_LE(t2, t3);
  EXPECT_GE(t2, sent_us - kToleranceUs);
  EXPECT_LE(t3, received_us + kToleranceUs);

  EXPECT_TRUE(eventually([&] { return running.server().stats().replies == 1; }));
  EXPECT_EQ(running.server().stats().requests, 1U);
}

TEST(NtpServer, EchoesTheRequestsVersionAndPoll) {
  ServerThread running(loopback_config());
  UdpTestClient client(running.server().local_endpoint());
  NtpPacket request = stamped_request();
  request.version = 3;
  request.poll = 6;
  client.send(to_bytes(request));
  const auto reply = decode(client.receive(kReplyTimeout));
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->version, 3);
  EXPECT_EQ(reply->poll, 6);
  EXPECT_EQ(reply->mode, NtpMode::server);
}

TEST(NtpServer, AnswersRequestsWithExtensionFieldsOrLongerThanItsBuffer) {
  ServerThread running(loopback_config());
  UdpTestClient client(running.server().local_endpoint());
  for (const std::size_t size : {std::size_t{68}, std::size_t{1500}}) {
    const NtpPacket request = stamped_request(static_cast<std::uint32_t>(size));
    std::vector<std::uint8_t> bytes = to_bytes(request);
    bytes.resize(size, 0xAB);
    client.send(bytes);
    const auto reply = decode(client.receive(kReplyTimeout));
    ASSERT_TRUE(reply.has_value()) << size << "-byte request";
    EXPECT_EQ(validate_server_reply(*reply, request.transmit), std::nullopt);
  }
}

TEST(NtpServer, DropsMalformedAndNonClientPacketsWithoutAnswering) {
  ServerThread running(loopback_config());
  UdpTestClient client(running.server().local_endpoint());

  const std::vector<std::uint8_t> garbage = {'h', 'e', 'l', 'l', 'o'};
  std::vector<std::uint8_t> short_request = to_bytes(stamped_request());
  short_request.resize(47);
  std::vector<std::uint8_t> bad_version(48, 0xFF);  // version 7
  NtpPacket server_mode = stamped_request();
  server_mode.mode = NtpMode::server;
  client.send(garbage);
  client.send(short_request);
  client.send(bad_version);
  client.send(to_bytes(server_mode));

  EXPECT_EQ(client.receive(kSilence), std::nullopt) << "a dropped packet was answered";
  EXPECT_TRUE(eventually([&] { return running.server().stats().requests == 4; }));
  const NtpServerStats stats = running.server().stats();
  EXPECT_EQ(stats.dropped_malformed, 3U);
  EXPECT_EQ(stats.dropped_not_client, 1U);
  EXPECT_EQ(stats.replies, 0U);

  // Still serving: a good request after the bad ones is answered, and only it.
  const NtpPacket request = stamped_request();
  client.send(to_bytes(request));
  const auto replies = client.receive_until_quiet(kSilence);
  ASSERT_EQ(replies.size(), 1U);
  const auto reply = decode(replies.front());
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->origin, request.transmit);
}

TEST(NtpServer, RefusesABurstBeyondTheLimitWithOneKissOfDeath) {
  ServerThread running(loopback_config());  // default limit: burst 16, then 8/s
  UdpTestClient client(running.server().local_endpoint());

  constexpr std::uint32_t kSent = 24;
  std::vector<NtpPacket> requests;
  for (std::uint32_t i = 0; i < kSent; ++i) {
    requests.push_back(stamped_request(i + 1));
    client.send(to_bytes(requests.back()));
  }
  const auto received = client.receive_until_quiet(kSilence);

  int answers = 0;
  std::vector<NtpPacket> kisses;
  for (const auto& bytes : received) {
    const auto packet = decode(bytes);
    ASSERT_TRUE(packet.has_value());
    if (packet->stratum == 0) {
      kisses.push_back(*packet);
    } else {
      ++answers;
    }
  }
  // Sending takes a few ms, in which the bucket refills by a small fraction of a token.
  EXPECT_GE(answers, 16);
  EXPECT_LE(answers, 17);
  ASSERT_EQ(kisses.size(), 1U) << "expected one kiss-o'-death, then silence";
  EXPECT_EQ(kiss_code(kisses.front()), "RATE");
  const auto refused = std::find_if(requests.begin(), requests.end(), [&](const NtpPacket& r) {
    return r.transmit == kisses.front().origin;
  });
  ASSERT_NE(refused, requests.end()) << "the kiss-o'-death must echo a request's transmit";
  EXPECT_EQ(validate_server_reply(kisses.front(), refused->transmit), NtpError::kiss_of_death);

  const NtpServerStats stats = running.server().stats();
  EXPECT_EQ(stats.kod_sent, 1U);
  EXPECT_EQ(stats.rate_limited, kSent - static_cast<std::uint32_t>(answers));
}

TEST(NtpServer, RateLimitsEachSourceAddressOnItsOwn) {
  NtpServerConfig config;
  config.listen = udp::endpoint(make_address("0.0.0.0"), 0);
  config.rate_limit = {.requests_per_s = 1, .burst = 2};
  ServerThread running(config);
  const udp::endpoint server(make_address("127.0.0.1"), running.server().local_endpoint().port());

  for (const char* source : {"127.0.0.2", "127.0.0.3"}) {
    UdpTestClient client(server, make_address(source));
    for (std::uint32_t i = 0; i < 3; ++i) client.send(to_bytes(stamped_request(i + 1)));
    const auto received = client.receive_until_quiet(kSilence);
    ASSERT_EQ(received.size(), 3U) << source << ": two answers and a kiss-o'-death expected";
    const auto last = decode(received.back());
    ASSERT_TRUE(last.has_value());
    EXPECT_EQ(kiss_code(*last), "RATE") << source;
  }
}

TEST(NtpServer, ServesAnInjectedClockWithoutKernelTimestamps) {
  constexpr std::int64_t k2030Us = 1'893'456'000'000'000;  // 2030-01-01T00:00:00Z
  std::atomic<std::int64_t> ticks{0};
  ServerThread running(loopback_config(), [&] { return k2030Us + ticks.fetch_add(7); });
  EXPECT_FALSE(running.server().kernel_timestamps_active());
  UdpTestClient client(running.server().local_endpoint());

  const NtpPacket request = stamped_request();
  client.send(to_bytes(request));
  const auto reply = decode(client.receive(kReplyTimeout));
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(validate_server_reply(*reply, request.transmit), std::nullopt);
  // One reading when the request was read, one right before the reply was sent.
  EXPECT_EQ(unix_us_from_ntp(reply->receive, k2030Us), k2030Us);
  EXPECT_EQ(unix_us_from_ntp(reply->transmit, k2030Us), k2030Us + 7);
}

// Keeps the server's thread busy for `busy` and returns once it has started doing so, so that a
// request sent now waits in the socket's queue.
void block_server_thread(ServerThread& running, milliseconds busy) {
  std::promise<void> started;
  auto started_future = started.get_future();
  boost::asio::post(running.io(), [&started, busy] {
    started.set_value();
    std::this_thread::sleep_for(busy);
  });
  started_future.wait();
}

// Returns T3 − T2 of a request that spent `queued` in the socket before the server read it.
std::optional<std::int64_t> hold_time_of_queued_request(ServerThread& running,
                                                        milliseconds queued) {
  UdpTestClient client(running.server().local_endpoint());
  block_server_thread(running, queued);
  const NtpPacket request = stamped_request();
  client.send(to_bytes(request));
  const auto reply = decode(client.receive(kReplyTimeout + queued));
  if (!reply || validate_server_reply(*reply, request.transmit)) return std::nullopt;
  const std::int64_t now_us = system_wall_clock_us();
  return unix_us_from_ntp(reply->transmit, now_us) - unix_us_from_ntp(reply->receive, now_us);
}

TEST(NtpServer, KernelReceiveTimestampIsWhenThePacketArrived) {
  ServerThread running(loopback_config());
  if (!running.server().kernel_timestamps_active()) {
    GTEST_SKIP() << "SO_TIMESTAMPNS is not available on this system";
  }
  const auto held_us = hold_time_of_queued_request(running, milliseconds(150));
  ASSERT_TRUE(held_us.has_value());
  // T2 is the kernel's arrival time, so the time queued behind the busy thread shows up
  // between T2 and T3 rather than as network delay.
  EXPECT_GE(*held_us, 100'000);
}

TEST(NtpServer, WithoutKernelTimestampsReceiveIsReadRightAfterTheRead) {
  NtpServerConfig config = loopback_config();
  config.use_kernel_timestamps = false;
  ServerThread running(config);
  EXPECT_FALSE(running.server().kernel_timestamps_active());
  const auto held_us = hold_time_of_queued_request(running, milliseconds(150));
  ASSERT_TRUE(held_us.has_value());
  EXPECT_LT(*held_us, 100'000);
}

// Sends `count` requests from `client` and returns them, keyed by their transmit timestamp.
std::map<std::uint64_t, NtpPacket> send_requests(UdpTestClient& client, std::uint32_t first,
                                                 std::uint32_t count) {
  std::map<std::uint64_t, NtpPacket> sent;
  for (std::uint32_t i = first; i < first + count; ++i) {
    const NtpPacket request = stamped_request(i);
    client.send(to_bytes(request));
    sent.emplace(request.transmit.to_u64(), request);
  }
  return sent;
}

// Every request in `sent` got exactly one valid reply, with T2 <= T3.
void expect_each_answered_once(UdpTestClient& client, std::map<std::uint64_t, NtpPacket> sent) {
  const auto received = client.receive_until_quiet(kSilence);
  EXPECT_EQ(received.size(), sent.size());
  const std::int64_t now_us = system_wall_clock_us();
  for (const auto& bytes : received) {
    const auto reply = decode(bytes);
    ASSERT_TRUE(reply.has_value());
    const auto request = sent.find(reply->origin.to_u64());
    ASSERT_NE(request, sent.end()) << "a reply to no outstanding request, or a second one";
    EXPECT_EQ(validate_server_reply(*reply, request->second.transmit), std::nullopt);
    EXPECT_LE(unix_us_from_ntp(reply->receive, now_us), unix_us_from_ntp(reply->transmit, now_us));
    sent.erase(request);
  }
  EXPECT_TRUE(sent.empty()) << sent.size() << " requests unanswered";
}

TEST(NtpServer, AnswersEveryRequestOfABacklogLargerThanABatch) {
  NtpServerConfig config = loopback_config();
  config.rate_limit = {.requests_per_s = 1e6, .burst = 1e6};
  ServerThread running(config);
  // Two sources, so that each batch answers more than one destination. 2 x 50 requests queue up
  // behind the busy thread: more than one batch (64), and well within the socket's buffer.
  UdpTestClient first(running.server().local_endpoint());
  UdpTestClient second(running.server().local_endpoint());
  constexpr std::uint32_t kPerClient = 50;
  block_server_thread(running, milliseconds(100));
  auto first_sent = send_requests(first, 0, kPerClient);
  auto second_sent = send_requests(second, kPerClient, kPerClient);

  expect_each_answered_once(first, std::move(first_sent));
  expect_each_answered_once(second, std::move(second_sent));
  EXPECT_TRUE(eventually([&] { return running.server().stats().replies == 2 * kPerClient; }));
  const NtpServerStats stats = running.server().stats();
  EXPECT_EQ(stats.requests, 2 * kPerClient);
  EXPECT_EQ(stats.send_failed, 0U);
  EXPECT_EQ(stats.rate_limited, 0U);
}

TEST(NtpServer, AnswersOverIpv6Loopback) {
  NtpServerConfig config;
  config.listen = udp::endpoint(make_address("::1"), 0);
  std::optional<ServerThread> running;
  try {
    running.emplace(config);
  } catch (const std::system_error& error) {
    GTEST_SKIP() << "no IPv6 loopback here: " << error.what();
  }
  UdpTestClient client(running->server().local_endpoint());
  const NtpPacket request = stamped_request();
  client.send(to_bytes(request));
  const auto reply = decode(client.receive(kReplyTimeout));
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(validate_server_reply(*reply, request.transmit), std::nullopt);
}

TEST(NtpServer, StartThrowsANamedErrorWhenThePortIsTaken) {
  boost::asio::io_context io;
  udp::socket taken(io, udp::endpoint(make_address("127.0.0.1"), 0));
  NtpServerConfig config;
  config.listen = taken.local_endpoint();
  NtpServer server(io, config, &system_wall_clock_us);
  try {
    server.start();
    FAIL() << "start() bound a port that is in use";
  } catch (const std::system_error& error) {
    const std::string what = error.what();
    EXPECT_NE(what.find("127.0.0.1:" + std::to_string(config.listen.port())), std::string::npos)
        << what;
    EXPECT_EQ(error.code(), std::errc::address_in_use) << what;
  }
}

TEST(NtpServer, RefusesConfigurationsOutOfBounds) {
  boost::asio::io_context io;
  const auto make = [&io](NtpServerConfig config, WallClock clock = &system_wall_clock_us) {
    NtpServer server(io, std::move(config), std::move(clock));
  };
  NtpServerConfig config;
  config.stratum = 0;
  EXPECT_THROW(make(config), std::invalid_argument);
  config.stratum = 16;
  EXPECT_THROW(make(config), std::invalid_argument);
  config = {};
  config.reference_id = "";
  EXPECT_THROW(make(config), std::invalid_argument);
  config.reference_id = "TOOLONG";
  EXPECT_THROW(make(config), std::invalid_argument);
  config = {};
  config.rate_limit.burst = 0;
  EXPECT_THROW(make(config), std::invalid_argument);
  EXPECT_THROW(make({}, WallClock{}), std::invalid_argument);
  EXPECT_NO_THROW(make({}));
}

TEST(NtpServer, StopLetsTheIoContextFinishAndIsIdempotent) {
  ServerThread running(loopback_config());
  UdpTestClient client(running.server().local_endpoint());
  client.send(to_bytes(stamped_request()));
  ASSERT_TRUE(client.receive(kReplyTimeout).has_value());

  EXPECT_TRUE(running.stop_and_join(std::chrono::seconds(2)))
      << "io_context::run() did not return after stop(): work left behind";
  running.server().stop();  // again, with nothing running: harmless
  client.send(to_bytes(stamped_request()));
  EXPECT_EQ(client.receive(kSilence), std::nullopt) << "answered after stop()";
}

TEST(NtpServer, StopBeforeStartAndDestructionWithoutStartAreHarmless) {
  boost::asio::io_context io;
  {
    NtpServer server(io, loopback_config(), &system_wall_clock_us);
    server.stop();
  }
  { NtpServer server(io, loopback_config(), &system_wall_clock_us); }
  EXPECT_EQ(io.run_for(milliseconds(10)), 0U);
}

TEST(NtpServer, DestroyingAStartedServerWithWorkPendingIsSafe) {
  boost::asio::io_context io;
  {
    NtpServer server(io, loopback_config(), &system_wall_clock_us);
    server.start();
    UdpTestClient client(server.local_endpoint());
    client.send(to_bytes(stamped_request()));
    std::this_thread::sleep_for(milliseconds(20));  // the datagram is queued, the wait pending
  }
  // The cancelled wait's handler runs after the server is gone; under ASan, touching it would
  // be reported as a use after free.
  io.run_for(milliseconds(100));
  EXPECT_TRUE(io.stopped());
}

}  // namespace
}  // namespace streamsync::server
