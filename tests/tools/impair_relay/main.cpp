// streamsync-impair-relay: see `streamsync-impair-relay --help` and README.md.
//
// One thread, one io_context: the relays, the control port and the signal handler all run
// on it, so the shared ImpairedPath needs no locks.

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <iostream>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "impair_relay/control_command.hpp"
#include "impair_relay/control_server.hpp"
#include "impair_relay/impaired_path.hpp"
#include "impair_relay/relay_config.hpp"
#include "impair_relay/tcp_relay.hpp"
#include "impair_relay/udp_relay.hpp"
#include "observability/logger.hpp"

namespace {

using namespace streamsync::impair;
namespace asio = boost::asio;
using streamsync::server::log_info;

template <class Endpoint>
Endpoint endpoint_of(const SocketAddress& address) {
  return Endpoint(address.address, address.port);
}

template <class Endpoint>
std::string text_of(const Endpoint& endpoint) {
  return to_text(SocketAddress{endpoint.address(), endpoint.port()});
}

int run(const RelayConfig& config) {
  asio::io_context io(1);
  // Installed before the ready line, so a SIGTERM right after it is handled, not fatal.
  asio::signal_set signals(io, SIGINT, SIGTERM);

  const std::uint64_t seed = config.seed ? *config.seed : std::random_device{}();
  ImpairedPath path(config.impairments, seed);

  std::optional<TcpRelay> tcp;
  std::optional<UdpRelay> udp;
  std::optional<ControlServer> control;
  try {
    if (config.tcp) {
      tcp.emplace(io, endpoint_of<asio::ip::tcp::endpoint>(config.tcp->listen),
                  endpoint_of<asio::ip::tcp::endpoint>(config.tcp->target), path);
    }
    if (config.udp) {
      udp.emplace(io, endpoint_of<asio::ip::udp::endpoint>(config.udp->listen),
                  endpoint_of<asio::ip::udp::endpoint>(config.udp->target), path,
                  config.udp_idle_timeout);
    }
    if (config.control) control.emplace(io, endpoint_of<asio::ip::udp::endpoint>(*config.control), path);
  } catch (const boost::system::system_error& failure) {
    std::cerr << "streamsync-impair-relay: cannot listen: " << failure.what() << '\n';
    return 1;
  }

  if (tcp) tcp->start();
  if (udp) udp->start();
  if (control) control->start();
  // One line with every port, for the tests and benchmarks that asked for port 0. The field
  // list is fixed (an unused port reads "off") so that parsers need no cases.
  log_info("listening",
           {{"tcp", tcp ? text_of(tcp->local_endpoint()) : "off"},
            {"udp", udp ? text_of(udp->local_endpoint()) : "off"},
            {"control", control ? text_of(control->local_endpoint()) : "off"},
            {"seed", std::to_string(seed)},
            {"up", describe(config.impairments.up)},
            {"down", describe(config.impairments.down)}});

  signals.async_wait([&io](const boost::system::error_code& ec, int signal_number) {
    if (ec) return;
    log_info("shutting down", {{"signal", std::to_string(signal_number)}});
    io.stop();  // open connections end with the process; nothing here needs draining
  });
  io.run();
  log_info("stopped", {{"state", describe_state(path)}});
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  const auto config = parse_relay_config(args);
  if (!config) {
    std::cerr << "streamsync-impair-relay: " << config.error() << '\n';
    return 2;
  }
  if (config->help) {
    std::cout << relay_usage();
    return 0;
  }
  return run(*config);
}
