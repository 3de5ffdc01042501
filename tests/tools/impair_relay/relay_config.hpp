#pragma once

// RelayConfig: what streamsync-impair-relay runs with, from its command line. See
// relay_usage() (the --help text) for every option.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ip/address.hpp>

#include "impair_relay/impairments.hpp"
#include "util/expected.hpp"

namespace streamsync::impair {

struct SocketAddress {
  boost::asio::ip::address address;
  std::uint16_t port = 0;  // 0 to listen: the system picks one (printed when listening)
};

// Clients connect to `listen`; the relay forwards to `target`.
struct RelayMapping {
  SocketAddress listen;
  SocketAddress target;
};

struct RelayConfig {
  bool help = false;
  std::optional<RelayMapping> tcp;
  std::optional<RelayMapping> udp;
  std::optional<SocketAddress> control;  // UDP port for cut / restore / set / status
  Impairments impairments;
  std::optional<std::uint64_t> seed;  // none: a random one (logged, so a run can be replayed)
  // A UDP client's upstream socket closes after this long without a datagram either way.
  std::chrono::seconds udp_idle_timeout{60};
};

// "127.0.0.1:8080", "[::1]:8080", ":8080" or "8080" (127.0.0.1). Addresses are numeric: a
// test tool that resolves names would hide which interface it uses.
Expected<SocketAddress, std::string> parse_socket_address(std::string_view text);

// "127.0.0.1:8080" or "[::1]:8080".
std::string to_text(const SocketAddress& address);

// Parses argv without the program name. Errors name the option: "--loss: '2' is not a
// probability from 0 to 1".
Expected<RelayConfig, std::string> parse_relay_config(const std::vector<std::string>& args);

std::string relay_usage();

}  // namespace streamsync::impair
