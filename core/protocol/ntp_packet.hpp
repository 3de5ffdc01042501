#pragma once

// The NTPv4 packet header (RFC 5905 §7.3): its 48-byte big-endian wire form, the checks each
// side makes before trusting a packet, and builders for the packets StreamSync sends.
// Pure: no sockets, no clocks; the caller supplies every timestamp.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "protocol/ntp_timestamp.hpp"
#include "util/expected.hpp"

namespace streamsync {

// Size of the fixed header. Extension fields and a MAC may follow it on the wire.
constexpr std::size_t kNtpPacketSize = 48;

// Leap indicator (2 bits): a leap second at the end of the day, or "clock not synchronized".
enum class NtpLeap : std::uint8_t { none = 0, add_second = 1, del_second = 2, unsynchronized = 3 };

// Association mode (3 bits). StreamSync uses client (3) and server (4).
enum class NtpMode : std::uint8_t {
  reserved = 0,
  symmetric_active = 1,
  symmetric_passive = 2,
  client = 3,
  server = 4,
  broadcast = 5,
  control = 6,
  private_use = 7,
};

// One NTP header, field for field. Defaults are an empty NTPv4 packet of mode `reserved`.
struct NtpPacket {
  NtpLeap leap = NtpLeap::none;
  std::uint8_t version = 4;  // 3 bits on the wire; encode() keeps only the low 3.
  NtpMode mode = NtpMode::reserved;
  std::uint8_t stratum = 0;      // 0: kiss-o'-death, 1: primary, 2..15: secondary, 16: unsynced.
  std::int8_t poll = 0;          // log2 of the maximum interval between messages, seconds.
  std::int8_t precision = 0;     // log2 of the sender's clock precision, seconds (-20 ~ 1 µs).
  std::uint32_t root_delay = 0;  // NTP short format: 16.16 fixed-point seconds.
  std::uint32_t root_dispersion = 0;  // NTP short format: 16.16 fixed-point seconds.
  std::uint32_t reference_id = 0;     // Stratum 0: kiss code; 1: source ("GPS"); else IPv4/hash.
  NtpTimestamp reference;             // When the sender's clock was last set.
  NtpTimestamp origin;    // Server reply: the request's transmit timestamp, echoed (T1).
  NtpTimestamp receive;   // Server: when the request arrived (T2).
  NtpTimestamp transmit;  // When this packet left its sender (T1 in requests, T3 in replies).

  bool operator==(const NtpPacket&) const = default;
};

// Why a packet was refused.
enum class NtpError : std::uint8_t {
  too_short,              // fewer than 48 bytes
  bad_version,            // version 0 or above 4
  not_a_client_request,   // server side: mode is not client
  not_a_server_reply,     // client side: mode is not server
  bogus_origin,           // reply's origin is not our transmit timestamp: stale or spoofed
  kiss_of_death,          // stratum 0: the server refuses service; see kiss_code()
  bad_stratum,            // stratum above 15
  unsynchronized_server,  // leap indicator says the server's clock is not synchronized
  zero_timestamps,        // reply's receive or transmit timestamp is zero
};

// A one-line, human-readable description of `error`, for logs. Static storage.
std::string_view to_string(NtpError error);

// The 48-byte big-endian wire form of `packet`'s header. Fields are written as stored, without
// validation (version is masked to its 3 bits).
std::array<std::uint8_t, kNtpPacketSize> encode(const NtpPacket& packet);

// Parses the header at the front of `bytes` (a whole UDP payload). Bytes after the first 48
// (extension fields, MAC) are ignored. Fails with too_short below 48 bytes and bad_version for
// version 0 or above 4; any other content decodes, so check it with validate_*. Safe on any input.
Expected<NtpPacket, NtpError> decode_ntp_packet(std::span<const std::uint8_t> bytes);

// Server side: nullopt if `request` is a client request (mode client, version 1..4) worth
// answering, else the reason to drop it.
std::optional<NtpError> validate_client_request(const NtpPacket& request);

// Client side: nullopt if `reply` is a usable answer to the request we sent with transmit
// timestamp `sent_transmit`, else the reason to discard it. Checks in order: mode server,
// version 1..4, origin == sent_transmit (so a stale or spoofed packet, kiss-o'-death included,
// is ignored before it can act), stratum 0 (kiss_of_death: back off and read kiss_code()),
// stratum above 15, leap unsynchronized, receive and transmit non-zero.
std::optional<NtpError> validate_server_reply(const NtpPacket& reply, NtpTimestamp sent_transmit);

// The reference id holding up to 4 ASCII characters, left-justified and zero-filled
// (RFC 5905 §7.3), e.g. "RATE" or "GPS". Characters past the fourth are dropped.
std::uint32_t reference_id_from_ascii(std::string_view code);

// The kiss code of a kiss-o'-death packet (stratum 0), e.g. "RATE", "DENY", "RSTR": the
// reference id as up to 4 characters, trailing zero bytes dropped, bytes that are not printable
// ASCII shown as '?'. Empty if `packet` is not a kiss-o'-death.
std::string kiss_code(const NtpPacket& packet);

// What a server says about its own clock in every reply.
struct NtpServerIdentity {
  std::uint8_t stratum = 16;  // 16 (unsynchronized, refused by clients) until set
  std::uint32_t reference_id = 0;
  std::int8_t precision = 0;          // log2 seconds
  std::uint32_t root_delay = 0;       // 16.16 seconds
  std::uint32_t root_dispersion = 0;  // 16.16 seconds
  NtpTimestamp reference;             // when the server's clock was last set
  NtpLeap leap = NtpLeap::none;       // set unsynchronized while the server's clock is not set
};

// A minimal NTPv4 client request: mode client, leap none, every field zero except `transmit`,
// the client's send time (T1), which the server echoes as origin.
NtpPacket make_client_request(NtpTimestamp transmit);

// The server's reply to `request`: mode server, `request`'s version and poll echoed, origin =
// request.transmit, `identity` copied in, `receive` (T2) and `transmit` (T3) from the server's
// clock. `request` should have passed validate_client_request.
NtpPacket make_server_reply(const NtpPacket& request, const NtpServerIdentity& identity,
                            NtpTimestamp receive, NtpTimestamp transmit);

// A kiss-o'-death refusing `request`: mode server, stratum 0, leap unsynchronized, reference id
// = `code` (up to 4 ASCII characters, e.g. "RATE"), origin = request.transmit. It carries no
// time: reference, receive and transmit stay zero.
NtpPacket make_kiss_of_death(const NtpPacket& request, std::string_view code);

}  // namespace streamsync
