#include "protocol/ntp_packet.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <set>
#include <span>
#include <string>
#include <vector>

namespace streamsync {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes to_bytes(const std::array<std::uint8_t, kNtpPacketSize>& header) {
  return {header.begin(), header.end()};
}

// A client request written out by hand from RFC 5905 §7.3 (Figure 8), with the values an
// unsynchronized NTPv4 client typically sends.
const Bytes kClientRequestBytes = {
    0xE3,                                            // LI 3 (unsynchronized), VN 4, mode 3
    0x00,                                            // stratum 0 (unspecified)
    0x06,                                            // poll 6: 64 s
    0xEC,                                            // precision -20: ~1 µs
    0x00, 0x01, 0x00, 0x00,                          // root delay 1.0 s
    0x00, 0x01, 0x00, 0x00,                          // root dispersion 1.0 s
    0x00, 0x00, 0x00, 0x00,                          // reference id
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // reference timestamp
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // origin timestamp
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // receive timestamp
    0xE9, 0x3C, 0x7F, 0x00, 0x80, 0x00, 0x00, 0x00,  // transmit: 2024-01-01T00:00:00.5Z
};
constexpr std::int64_t kJan2024Us = 1'704'067'200'000'000;

// A server reply with a different value in every field, and its bytes, by hand from Figure 8.
NtpPacket sample_reply() {
  NtpPacket packet;
  packet.leap = NtpLeap::add_second;
  packet.version = 3;
  packet.mode = NtpMode::server;
  packet.stratum = 2;
  packet.poll = -6;
  packet.precision = -23;
  packet.root_delay = 0x0102'0304;
  packet.root_dispersion = 0x0506'0708;
  packet.reference_id = 0xC0A8'0001;  // 192.168.0.1
  packet.reference = {0x1112'1314, 0x1516'1718};
  packet.origin = {0x2122'2324, 0x2526'2728};
  packet.receive = {0x3132'3334, 0x3536'3738};
  packet.transmit = {0x4142'4344, 0x4546'4748};
  return packet;
}
const Bytes kSampleReplyBytes = {
    0x5C,                                            // LI 1 (01), VN 3 (011), mode 4 (100)
    0x02,                                            // stratum 2
    0xFA,                                            // poll -6
    0xE9,                                            // precision -23
    0x01, 0x02, 0x03, 0x04,                          // root delay
    0x05, 0x06, 0x07, 0x08,                          // root dispersion
    0xC0, 0xA8, 0x00, 0x01,                          // reference id
    0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18,  // reference timestamp
    0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28,  // origin timestamp
    0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38,  // receive timestamp
    0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,  // transmit timestamp
};

TEST(NtpPacket, EncodesFieldsBigEndianAtRfcOffsets) {
  EXPECT_EQ(to_bytes(encode(sample_reply())), kSampleReplyBytes);
}

TEST(NtpPacket, DecodesHandWrittenReply) {
  const auto decoded = decode_ntp_packet(kSampleReplyBytes);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, sample_reply());
}

TEST(NtpPacket, DecodesHandWrittenClientRequest) {
  const auto decoded = decode_ntp_packet(kClientRequestBytes);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->leap, NtpLeap::unsynchronized);
  EXPECT_EQ(decoded->version, 4);
  EXPECT_EQ(decoded->mode, NtpMode::client);
  EXPECT_EQ(decoded->stratum, 0);
  EXPECT_EQ(decoded->poll, 6);
  EXPECT_EQ(decoded->precision, -20);
  EXPECT_EQ(decoded->root_delay, 0x0001'0000u);
  EXPECT_EQ(decoded->root_dispersion, 0x0001'0000u);
  EXPECT_EQ(decoded->reference_id, 0u);
  EXPECT_TRUE(decoded->reference.is_zero());
  EXPECT_TRUE(decoded->origin.is_zero());
  EXPECT_TRUE(decoded->receive.is_zero());
  EXPECT_EQ(unix_us_from_ntp(decoded->transmit, kJan2024Us), kJan2024Us + 500'000);
  EXPECT_EQ(validate_client_request(*decoded), std::nullopt);
  EXPECT_EQ(to_bytes(encode(*decoded)), kClientRequestBytes);
}

TEST(NtpPacket, RoundTripsEveryLeapVersionAndMode) {
  for (int leap = 0; leap < 4; ++leap) {
    for (int version = 1; version <= 4; ++version) {
      for (int mode = 0; mode < 8; ++mode) {
        NtpPacket packet = sample_reply();
        packet.leap = static_cast<NtpLeap>(leap);
        packet.version = static_cast<std::uint8_t>(version);
        packet.mode = static_cast<NtpMode>(mode);
        const auto decoded = decode_ntp_packet(encode(packet));
        ASSERT_TRUE(decoded) << leap << " " << version << " " << mode;
        EXPECT_EQ(*decoded, packet) << leap << " " << version << " " << mode;
      }
    }
  }
}

TEST(NtpPacket, ShorterThanHeaderIsTooShort) {
  for (std::size_t size = 0; size < kNtpPacketSize; ++size) {
    const auto prefix = std::span(kSampleReplyBytes).first(size);
    const Bytes truncated(prefix.begin(), prefix.end());  // exact size, so ASan sees overreads
    const auto decoded = decode_ntp_packet(truncated);
    ASSERT_FALSE(decoded) << size;
    EXPECT_EQ(decoded.error(), NtpError::too_short) << size;
  }
}

TEST(NtpPacket, VersionZeroOrAboveFourIsRefused) {
  for (const int version : {0, 5, 6, 7}) {
    Bytes bytes = kClientRequestBytes;
    bytes[0] = static_cast<std::uint8_t>((bytes[0] & 0b1100'0111) | version << 3);
    const auto decoded = decode_ntp_packet(bytes);
    ASSERT_FALSE(decoded) << version;
    EXPECT_EQ(decoded.error(), NtpError::bad_version) << version;
  }
}

TEST(NtpPacket, IgnoresMacAfterHeader) {
  Bytes with_mac = kSampleReplyBytes;  // + 4-byte key id + 16-byte MD5 digest (RFC 5905 §7.3)
  for (std::uint8_t i = 0; i < 20; ++i) with_mac.push_back(static_cast<std::uint8_t>(0xA0 + i));
  ASSERT_EQ(with_mac.size(), 68u);
  const auto decoded = decode_ntp_packet(with_mac);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, sample_reply());
}

// Any bytes: an error exactly when the header is short or its version unknown, otherwise a
// packet that encodes back to the same 48 bytes. Run under ASan/UBSan to catch overreads.
TEST(NtpPacket, RandomBytesDecodeOrFailCleanly) {
  std::mt19937 random(5905);
  std::uniform_int_distribution<std::size_t> size_of(0, 120);
  std::uniform_int_distribution<int> byte_of(0, 255);
  int decoded_count = 0;
  for (int i = 0; i < 100'000; ++i) {
    Bytes bytes(size_of(random));
    for (auto& byte : bytes) byte = static_cast<std::uint8_t>(byte_of(random));
    const auto decoded = decode_ntp_packet(bytes);
    if (bytes.size() < kNtpPacketSize) {
      ASSERT_FALSE(decoded);
      ASSERT_EQ(decoded.error(), NtpError::too_short);
      continue;
    }
    const int version = (bytes[0] >> 3) & 0x7;
    if (version == 0 || version > 4) {
      ASSERT_FALSE(decoded);
      ASSERT_EQ(decoded.error(), NtpError::bad_version);
      continue;
    }
    ASSERT_TRUE(decoded);
    ASSERT_EQ(to_bytes(encode(*decoded)), Bytes(bytes.begin(), bytes.begin() + kNtpPacketSize));
    (void)validate_client_request(*decoded);
    (void)validate_server_reply(*decoded, NtpTimestamp{1, 2});
    (void)kiss_code(*decoded);
    ++decoded_count;
  }
  EXPECT_GT(decoded_count, 10'000);  // the sweep really reached the field parsing
}

TEST(NtpError, EveryErrorHasItsOwnMessage) {
  const NtpError all[] = {
      NtpError::too_short,          NtpError::bad_version,           NtpError::not_a_client_request,
      NtpError::not_a_server_reply, NtpError::bogus_origin,          NtpError::kiss_of_death,
      NtpError::bad_stratum,        NtpError::unsynchronized_server, NtpError::zero_timestamps,
  };
  std::set<std::string_view> messages;
  for (const NtpError error : all) {
    EXPECT_FALSE(to_string(error).empty());
    EXPECT_NE(to_string(error), "unknown NTP error");
    messages.insert(to_string(error));
  }
  EXPECT_EQ(messages.size(), std::size(all));
}

// --- Client request -------------------------------------------------------------------------

constexpr NtpTimestamp kT1{0xE93C'7F00, 0x1000'0000};  // client sends
constexpr NtpTimestamp kT2{0xE93C'7F00, 0x2000'0000};  // server receives
constexpr NtpTimestamp kT3{0xE93C'7F00, 0x3000'0000};  // server replies

TEST(NtpClientRequest, IsMinimalVersion4RequestCarryingTransmit) {
  NtpPacket expected;
  expected.version = 4;
  expected.mode = NtpMode::client;
  expected.transmit = kT1;
  EXPECT_EQ(make_client_request(kT1), expected);
  EXPECT_EQ(encode(make_client_request(kT1))[0], 0x23);  // LI 0, VN 4, mode 3
}

TEST(NtpClientRequest, ValidatesVersionsOneToFour) {
  NtpPacket request = make_client_request(kT1);
  for (const int version : {1, 2, 3, 4}) {
    request.version = static_cast<std::uint8_t>(version);
    EXPECT_EQ(validate_client_request(request), std::nullopt) << version;
  }
  for (const int version : {0, 5, 7}) {
    request.version = static_cast<std::uint8_t>(version);
    EXPECT_EQ(validate_client_request(request), NtpError::bad_version) << version;
  }
}

TEST(NtpClientRequest, RefusesOtherModes) {
  for (const NtpMode mode : {NtpMode::reserved, NtpMode::symmetric_active, NtpMode::server,
                             NtpMode::broadcast, NtpMode::control, NtpMode::private_use}) {
    NtpPacket request = make_client_request(kT1);
    request.mode = mode;
    EXPECT_EQ(validate_client_request(request), NtpError::not_a_client_request);
  }
}

// --- Server reply ---------------------------------------------------------------------------

const NtpServerIdentity kIdentity{
    .stratum = 2,
    .reference_id = 0xC0A8'0001,
    .precision = -20,
    .root_delay = 0x0000'0800,       // 1/32 s
    .root_dispersion = 0x0000'0100,  // 1/256 s
    .reference = {0xE93C'7E00, 0},
};

NtpPacket reply_to_t1() {
  return make_server_reply(make_client_request(kT1), kIdentity, kT2, kT3);
}

TEST(NtpServerReply, EchoesRequestAndCopiesIdentity) {
  NtpPacket request = make_client_request(kT1);
  request.version = 3;
  request.poll = 10;
  NtpPacket expected;
  expected.leap = NtpLeap::none;
  expected.version = 3;
  expected.mode = NtpMode::server;
  expected.stratum = 2;
  expected.poll = 10;
  expected.precision = -20;
  expected.root_delay = 0x0000'0800;
  expected.root_dispersion = 0x0000'0100;
  expected.reference_id = 0xC0A8'0001;
  expected.reference = {0xE93C'7E00, 0};
  expected.origin = kT1;
  expected.receive = kT2;
  expected.transmit = kT3;
  EXPECT_EQ(make_server_reply(request, kIdentity, kT2, kT3), expected);
}

TEST(NtpServerReply, AcceptsAnswerToOurRequest) {
  EXPECT_EQ(validate_server_reply(reply_to_t1(), kT1), std::nullopt);
  const auto decoded = decode_ntp_packet(encode(reply_to_t1()));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(validate_server_reply(*decoded, kT1), std::nullopt);
}

TEST(NtpServerReply, RefusesOtherModes) {
  NtpPacket reply = reply_to_t1();
  reply.mode = NtpMode::client;
  EXPECT_EQ(validate_server_reply(reply, kT1), NtpError::not_a_server_reply);
  reply.mode = NtpMode::broadcast;
  EXPECT_EQ(validate_server_reply(reply, kT1), NtpError::not_a_server_reply);
}

TEST(NtpServerReply, RefusesUnknownVersion) {
  NtpPacket reply = reply_to_t1();
  reply.version = 0;
  EXPECT_EQ(validate_server_reply(reply, kT1), NtpError::bad_version);
  reply.version = 5;
  EXPECT_EQ(validate_server_reply(reply, kT1), NtpError::bad_version);
}

TEST(NtpServerReply, RefusesOriginOtherThanOurTransmit) {
  const NtpTimestamp earlier_t1{kT1.seconds - 64, kT1.fraction};
  EXPECT_EQ(validate_server_reply(reply_to_t1(), earlier_t1), NtpError::bogus_origin);
  NtpPacket reply = reply_to_t1();
  reply.origin.fraction ^= 1;
  EXPECT_EQ(validate_server_reply(reply, kT1), NtpError::bogus_origin);
}

TEST(NtpServerReply, RefusesStratumAbove15) {
  NtpPacket reply = reply_to_t1();
  reply.stratum = 15;
  EXPECT_EQ(validate_server_reply(reply, kT1), std::nullopt);
  reply.stratum = 16;
  EXPECT_EQ(validate_server_reply(reply, kT1), NtpError::bad_stratum);
  reply.stratum = 255;
  EXPECT_EQ(validate_server_reply(reply, kT1), NtpError::bad_stratum);
}

TEST(NtpServerReply, RefusesUnsynchronizedLeap) {
  NtpPacket reply = reply_to_t1();
  reply.leap = NtpLeap::del_second;  // a pending leap second is fine
  EXPECT_EQ(validate_server_reply(reply, kT1), std::nullopt);
  reply.leap = NtpLeap::unsynchronized;
  EXPECT_EQ(validate_server_reply(reply, kT1), NtpError::unsynchronized_server);
}

TEST(NtpServerReply, RefusesZeroReceiveOrTransmit) {
  NtpPacket reply = reply_to_t1();
  reply.receive = {};
  EXPECT_EQ(validate_server_reply(reply, kT1), NtpError::zero_timestamps);
  reply = reply_to_t1();
  reply.transmit = {};
  EXPECT_EQ(validate_server_reply(reply, kT1), NtpError::zero_timestamps);
}

// --- Kiss-o'-death --------------------------------------------------------------------------

TEST(NtpKissOfDeath, CarriesCodeAndNoTime) {
  NtpPacket request = make_client_request(kT1);
  request.poll = 4;
  const NtpPacket kiss = make_kiss_of_death(request, "RATE");
  NtpPacket expected;
  expected.leap = NtpLeap::unsynchronized;
  expected.version = 4;
  expected.mode = NtpMode::server;
  expected.stratum = 0;
  expected.poll = 4;
  expected.reference_id = 0x5241'5445;  // "RATE"
  expected.origin = kT1;
  EXPECT_EQ(kiss, expected);
  EXPECT_EQ(kiss_code(kiss), "RATE");
}

TEST(NtpKissOfDeath, IsReportedToTheClientThatAsked) {
  const NtpPacket kiss = make_kiss_of_death(make_client_request(kT1), "DENY");
  const auto decoded = decode_ntp_packet(encode(kiss));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(validate_server_reply(*decoded, kT1), NtpError::kiss_of_death);
  EXPECT_EQ(kiss_code(*decoded), "DENY");
}

TEST(NtpKissOfDeath, FromAnotherRequestIsBogusOrigin) {
  const NtpPacket kiss = make_kiss_of_death(make_client_request(kT2), "DENY");
  EXPECT_EQ(validate_server_reply(kiss, kT1), NtpError::bogus_origin);
}

TEST(NtpKissOfDeath, CodeIsEmptyUnlessStratumZero) {
  NtpPacket packet = reply_to_t1();
  packet.reference_id = reference_id_from_ascii("GPS");
  EXPECT_EQ(kiss_code(packet), "");
  packet.stratum = 0;
  EXPECT_EQ(kiss_code(packet), "GPS");
}

TEST(NtpKissOfDeath, CodeShowsUnprintableBytesAsQuestionMarks) {
  NtpPacket packet;
  packet.reference_id = 0x4100'42FF;
  EXPECT_EQ(kiss_code(packet), "A?B?");
  packet.reference_id = 0;
  EXPECT_EQ(kiss_code(packet), "");
}

TEST(NtpReferenceId, PacksAsciiLeftJustifiedZeroFilled) {
  EXPECT_EQ(reference_id_from_ascii("RATE"), 0x5241'5445u);
  EXPECT_EQ(reference_id_from_ascii("GPS"), 0x4750'5300u);
  EXPECT_EQ(reference_id_from_ascii(""), 0u);
  EXPECT_EQ(reference_id_from_ascii("RATELIMIT"), 0x5241'5445u);
}

}  // namespace
}  // namespace streamsync
