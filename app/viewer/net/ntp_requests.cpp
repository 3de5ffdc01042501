#include "net/ntp_requests.hpp"

#include <algorithm>

namespace streamsync::viewer {
namespace {

// Requests waiting for a reply, at most. Those older than a sample may be
// (kMaxSampleDelayUs) are forgotten anyway; this bounds memory between.
constexpr std::size_t kMaxPending = 64;

}  // namespace

NtpRequests::NtpRequests() : random_(std::random_device{}()) {}

std::array<std::uint8_t, kNtpPacketSize> NtpRequests::make_request(std::int64_t sent_mono_us) {
  forget_stale(sent_mono_us);
  NtpTimestamp transmit;
  do {
    transmit = NtpTimestamp::from_u64(random_());
  } while (transmit.is_zero());  // zero means "not set" to a server
  if (pending_.size() == kMaxPending) pending_.pop_front();
  pending_.push_back({transmit, sent_mono_us});
  return encode(make_client_request(transmit));
}

NtpOutcome NtpRequests::on_datagram(std::span<const std::uint8_t> bytes,
                                    std::int64_t received_mono_us, std::int64_t pivot_unix_us) {
  const auto packet = decode_ntp_packet(bytes);
  if (!packet) return NtpDropped{std::string(to_string(packet.error()))};
  const auto match = std::find_if(pending_.begin(), pending_.end(),
                                  [&](const Pending& p) { return p.transmit == packet->origin; });
  if (match == pending_.end()) return NtpDropped{"answers no request of ours"};
  const Pending request = *match;
  pending_.erase(match);
  if (const auto error = validate_server_reply(*packet, request.transmit)) {
    if (*error == NtpError::kiss_of_death) return NtpKiss{kiss_code(*packet)};
    return NtpDropped{std::string(to_string(*error))};
  }
  NtpExchange exchange;
  exchange.client_sent_mono_us = request.sent_mono_us;
  exchange.server_received_us = unix_us_from_ntp(packet->receive, pivot_unix_us);
  exchange.server_sent_us = unix_us_from_ntp(packet->transmit, pivot_unix_us);
  exchange.client_received_mono_us = received_mono_us;
  return exchange;
}

void NtpRequests::forget_stale(std::int64_t now_mono_us) {
  while (!pending_.empty() && now_mono_us - pending_.front().sent_mono_us > kMaxSampleDelayUs) {
    pending_.pop_front();
  }
}

}  // namespace streamsync::viewer
