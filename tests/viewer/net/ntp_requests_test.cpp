#include "net/ntp_requests.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace streamsync::viewer {
namespace {

constexpr std::int64_t kServerUs = 1'800'000'000'000'000;  // 2027

// The server's answer to `request_bytes`, with t2/t3 at the given server times.
std::array<std::uint8_t, kNtpPacketSize> reply_to(
    const std::array<std::uint8_t, kNtpPacketSize>& request_bytes, std::int64_t t2_us,
    std::int64_t t3_us) {
  const auto request = decode_ntp_packet(request_bytes);
  NtpServerIdentity identity;
  identity.stratum = 2;
  return encode(
      make_server_reply(*request, identity, ntp_from_unix_us(t2_us), ntp_from_unix_us(t3_us)));
}

TEST(NtpRequests, RequestsAreClientPacketsWithUnpredictableTransmitTimestamps) {
  NtpRequests requests;
  const auto a = decode_ntp_packet(requests.make_request(1000));
  const auto b = decode_ntp_packet(requests.make_request(1000));
  ASSERT_TRUE(a && b);
  EXPECT_EQ(validate_client_request(*a), std::nullopt);
  EXPECT_FALSE(a->transmit.is_zero());
  EXPECT_NE(a->transmit, b->transmit);
  EXPECT_EQ(requests.pending(), 2u);
}

TEST(NtpRequests, AReplyCompletesTheExchangeOfItsRequest) {
  NtpRequests requests;
  const auto first = requests.make_request(1'000);
  const auto second = requests.make_request(2'000);
  const auto outcome =
      requests.on_datagram(reply_to(second, kServerUs + 10, kServerUs + 20), 3'000, kServerUs);
  const auto* exchange = std::get_if<NtpExchange>(&outcome);
  ASSERT_NE(exchange, nullptr);
  EXPECT_EQ(exchange->client_sent_mono_us, 2'000);
  EXPECT_EQ(exchange->server_received_us, kServerUs + 10);
  EXPECT_EQ(exchange->server_sent_us, kServerUs + 20);
  EXPECT_EQ(exchange->client_received_mono_us, 3'000);
  EXPECT_EQ(requests.pending(), 1u);
  // The same reply again is a duplicate: dropped.
  EXPECT_TRUE(std::holds_alternative<NtpDropped>(
      requests.on_datagram(reply_to(second, kServerUs + 10, kServerUs + 20), 3'100, kServerUs)));
  EXPECT_TRUE(std::holds_alternative<NtpExchange>(
      requests.on_datagram(reply_to(first, kServerUs + 30, kServerUs + 40), 3'200, kServerUs)));
}

TEST(NtpRequests, GarbageIsDroppedWithAReason) {
  NtpRequests requests;
  const auto request = requests.make_request(1'000);
  const std::vector<std::uint8_t> empty;
  const std::vector<std::uint8_t> short_packet(47, 0x24);
  std::vector<std::uint8_t> noise(48);
  for (std::size_t i = 0; i < noise.size(); ++i) noise[i] = static_cast<std::uint8_t>(i * 37 + 11);
  for (const auto& bytes : {empty, short_packet, noise}) {
    const auto outcome = requests.on_datagram(bytes, 2'000, kServerUs);
    ASSERT_TRUE(std::holds_alternative<NtpDropped>(outcome));
    EXPECT_FALSE(std::get<NtpDropped>(outcome).reason.empty());
  }
  // Our own request bounced back is no server reply.
  EXPECT_TRUE(std::holds_alternative<NtpDropped>(requests.on_datagram(request, 2'000, kServerUs)));
}

TEST(NtpRequests, UnmatchedRepliesAreDropped) {
  NtpRequests requests;
  requests.make_request(1'000);
  NtpRequests other;
  const auto foreign = other.make_request(1'000);
  const auto outcome =
      requests.on_datagram(reply_to(foreign, kServerUs, kServerUs), 2'000, kServerUs);
  ASSERT_TRUE(std::holds_alternative<NtpDropped>(outcome));
  EXPECT_EQ(requests.pending(), 1u);
}

TEST(NtpRequests, KissOfDeathIsReportedWithItsCode) {
  NtpRequests requests;
  const auto request = requests.make_request(1'000);
  const auto kiss = encode(make_kiss_of_death(*decode_ntp_packet(request), "RATE"));
  const auto outcome = requests.on_datagram(kiss, 2'000, kServerUs);
  ASSERT_TRUE(std::holds_alternative<NtpKiss>(outcome));
  EXPECT_EQ(std::get<NtpKiss>(outcome).code, "RATE");
}

TEST(NtpRequests, RequestsOlderThanAUsefulSampleAreForgotten) {
  NtpRequests requests;
  const auto old = requests.make_request(0);
  requests.make_request(kMaxSampleDelayUs + 1);
  EXPECT_EQ(requests.pending(), 1u);
  EXPECT_TRUE(std::holds_alternative<NtpDropped>(
      requests.on_datagram(reply_to(old, kServerUs, kServerUs), kMaxSampleDelayUs + 2, kServerUs)));
}

}  // namespace
}  // namespace streamsync::viewer
