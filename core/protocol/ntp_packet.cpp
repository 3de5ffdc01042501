#include "protocol/ntp_packet.hpp"

namespace streamsync {
namespace {

// Byte offsets of the header fields (RFC 5905 §7.3, Figure 8).
constexpr std::size_t kRootDelayAt = 4;
constexpr std::size_t kRootDispersionAt = 8;
constexpr std::size_t kReferenceIdAt = 12;
constexpr std::size_t kReferenceAt = 16;
constexpr std::size_t kOriginAt = 24;
constexpr std::size_t kReceiveAt = 32;
constexpr std::size_t kTransmitAt = 40;

constexpr std::uint8_t kMaxVersion = 4;
constexpr std::uint8_t kMaxStratum = 15;

using Header = std::array<std::uint8_t, kNtpPacketSize>;

void put_u32(Header& out, std::size_t at, std::uint32_t value) {
  for (std::size_t i = 0; i < 4; ++i) {
    out[at + i] = static_cast<std::uint8_t>(value >> (24 - 8 * i));
  }
}

void put_timestamp(Header& out, std::size_t at, NtpTimestamp value) {
  put_u32(out, at, value.seconds);
  put_u32(out, at + 4, value.fraction);
}

// `bytes` holds at least a whole header: decode_ntp_packet checks that first.
std::uint32_t get_u32(std::span<const std::uint8_t> bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) value = (value << 8) | bytes[at + i];
  return value;
}

NtpTimestamp get_timestamp(std::span<const std::uint8_t> bytes, std::size_t at) {
  return {get_u32(bytes, at), get_u32(bytes, at + 4)};
}

bool is_supported_version(std::uint8_t version) {
  return version >= 1 && version <= kMaxVersion;
}

}  // namespace

std::string_view to_string(NtpError error) {
  switch (error) {
    case NtpError::too_short:
      return "NTP packet shorter than the 48-byte header";
    case NtpError::bad_version:
      return "NTP version is 0 or above 4";
    case NtpError::not_a_client_request:
      return "NTP packet is not a client request (mode 3)";
    case NtpError::not_a_server_reply:
      return "NTP packet is not a server reply (mode 4)";
    case NtpError::bogus_origin:
      return "NTP reply's origin timestamp is not our transmit timestamp: stale or spoofed";
    case NtpError::kiss_of_death:
      return "NTP server sent a kiss-o'-death (stratum 0) and refuses service";
    case NtpError::bad_stratum:
      return "NTP server's stratum is above 15: it is not synchronized";
    case NtpError::unsynchronized_server:
      return "NTP server's leap indicator says its clock is not synchronized";
    case NtpError::zero_timestamps:
      return "NTP reply's receive or transmit timestamp is zero";
  }
  return "unknown NTP error";
}

std::array<std::uint8_t, kNtpPacketSize> encode(const NtpPacket& packet) {
  Header out{};
  const auto leap = static_cast<unsigned>(packet.leap) & 0x3u;
  const auto version = static_cast<unsigned>(packet.version) & 0x7u;
  const auto mode = static_cast<unsigned>(packet.mode) & 0x7u;
  out[0] = static_cast<std::uint8_t>(leap << 6 | version << 3 | mode);
  out[1] = packet.stratum;
  out[2] = static_cast<std::uint8_t>(packet.poll);
  out[3] = static_cast<std::uint8_t>(packet.precision);
  put_u32(out, kRootDelayAt, packet.root_delay);
  put_u32(out, kRootDispersionAt, packet.root_dispersion);
  put_u32(out, kReferenceIdAt, packet.reference_id);
  put_timestamp(out, kReferenceAt, packet.reference);
  put_timestamp(out, kOriginAt, packet.origin);
  put_timestamp(out, kReceiveAt, packet.receive);
  put_timestamp(out, kTransmitAt, packet.transmit);
  return out;
}

Expected<NtpPacket, NtpError> decode_ntp_packet(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < kNtpPacketSize) return Unexpected{NtpError::too_short};

  NtpPacket packet;
  packet.version = static_cast<std::uint8_t>((bytes[0] >> 3) & 0x7u);
  if (!is_supported_version(packet.version)) return Unexpected{NtpError::bad_version};
  // Both fields use every value their bits can hold, so any byte maps to a named enumerator.
  packet.leap = static_cast<NtpLeap>(bytes[0] >> 6);
  packet.mode = static_cast<NtpMode>(bytes[0] & 0x7u);
  packet.stratum = bytes[1];
  packet.poll = static_cast<std::int8_t>(bytes[2]);
  packet.precision = static_cast<std::int8_t>(bytes[3]);
  packet.root_delay = get_u32(bytes, kRootDelayAt);
  packet.root_dispersion = get_u32(bytes, kRootDispersionAt);
  packet.reference_id = get_u32(bytes, kReferenceIdAt);
  packet.reference = get_timestamp(bytes, kReferenceAt);
  packet.origin = get_timestamp(bytes, kOriginAt);
  packet.receive = get_timestamp(bytes, kReceiveAt);
  packet.transmit = get_timestamp(bytes, kTransmitAt);
  return packet;
}

std::optional<NtpError> validate_client_request(const NtpPacket& request) {
  if (request.mode != NtpMode::client) return NtpError::not_a_client_request;
  if (!is_supported_version(request.version)) return NtpError::bad_version;
  return std::nullopt;
}

std::optional<NtpError> validate_server_reply(const NtpPacket& reply, NtpTimestamp sent_transmit) {
  if (reply.mode != NtpMode::server) return NtpError::not_a_server_reply;
  if (!is_supported_version(reply.version)) return NtpError::bad_version;
  // Before anything the reply says is believed: only an answer to our request may act on us.
  if (reply.origin != sent_transmit) return NtpError::bogus_origin;
  if (reply.stratum == 0) return NtpError::kiss_of_death;
  if (reply.stratum > kMaxStratum) return NtpError::bad_stratum;
  if (reply.leap == NtpLeap::unsynchronized) return NtpError::unsynchronized_server;
  if (reply.receive.is_zero() || reply.transmit.is_zero()) return NtpError::zero_timestamps;
  return std::nullopt;
}

std::uint32_t reference_id_from_ascii(std::string_view code) {
  std::uint32_t id = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const auto byte = i < code.size() ? static_cast<std::uint8_t>(code[i]) : std::uint8_t{0};
    id = (id << 8) | byte;
  }
  return id;
}

std::string kiss_code(const NtpPacket& packet) {
  if (packet.stratum != 0) return {};
  std::string code;
  for (int shift = 24; shift >= 0; shift -= 8) {
    code.push_back(static_cast<char>(static_cast<std::uint8_t>(packet.reference_id >> shift)));
  }
  code.erase(code.find_last_not_of('\0') + 1);  // npos + 1 == 0: all zero gives ""
  for (char& c : code) {
    if (c < 0x20 || c > 0x7e) c = '?';
  }
  return code;
}

NtpPacket make_client_request(NtpTimestamp transmit) {
  NtpPacket request;
  request.version = kMaxVersion;
  request.mode = NtpMode::client;
  request.transmit = transmit;
  return request;
}

NtpPacket make_server_reply(const NtpPacket& request, const NtpServerIdentity& identity,
                            NtpTimestamp receive, NtpTimestamp transmit) {
  NtpPacket reply;
  reply.leap = identity.leap;
  reply.version = request.version;
  reply.mode = NtpMode::server;
  reply.stratum = identity.stratum;
  reply.poll = request.poll;
  reply.precision = identity.precision;
  reply.root_delay = identity.root_delay;
  reply.root_dispersion = identity.root_dispersion;
  reply.reference_id = identity.reference_id;
  reply.reference = identity.reference;
  reply.origin = request.transmit;
  reply.receive = receive;
  reply.transmit = transmit;
  return reply;
}

NtpPacket make_kiss_of_death(const NtpPacket& request, std::string_view code) {
  NtpPacket kiss;
  kiss.leap = NtpLeap::unsynchronized;
  kiss.version = request.version;
  kiss.mode = NtpMode::server;
  kiss.stratum = 0;
  kiss.poll = request.poll;
  kiss.reference_id = reference_id_from_ascii(code);
  kiss.origin = request.transmit;
  return kiss;
}

}  // namespace streamsync
