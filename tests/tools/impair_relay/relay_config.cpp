#include "impair_relay/relay_config.hpp"

#include <charconv>

#include "config/server_config.hpp"

namespace streamsync::impair {
namespace {

Unexpected<std::string> fail(std::string message) {
  return Unexpected{std::move(message)};
}

Expected<RelayMapping, std::string> parse_mapping(std::string_view text) {
  const auto equals = text.find('=');
  if (equals == std::string_view::npos)
    return fail("'" + std::string(text) + "': expected LISTEN=TARGET, e.g. 127.0.0.1:0=127.0.0.1:8080");
  auto listen = parse_socket_address(text.substr(0, equals));
  if (!listen) return fail(listen.error());
  auto target = parse_socket_address(text.substr(equals + 1));
  if (!target) return fail(target.error());
  if (target->port == 0) return fail("'" + std::string(text) + "': the target needs a port");
  return RelayMapping{*listen, *target};
}

}  // namespace

Expected<SocketAddress, std::string> parse_socket_address(std::string_view text) {
  // The server's endpoint syntax, so that both tools read addresses alike.
  auto endpoint = server::parse_endpoint(text, "127.0.0.1");
  if (!endpoint) return fail(endpoint.error());
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(endpoint->host, ec);
  if (ec) return fail("'" + std::string(text) + "': '" + endpoint->host + "' is not an IP address");
  return SocketAddress{address, endpoint->port};
}

std::string to_text(const SocketAddress& address) {
  const std::string host = address.address.to_string();
  const std::string port = std::to_string(address.port);
  return address.address.is_v6() ? "[" + host + "]:" + port : host + ":" + port;
}

Expected<RelayConfig, std::string> parse_relay_config(const std::vector<std::string>& args) {
  RelayConfig config;
  std::vector<Setting> settings;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      config.help = true;
      continue;
    }
    if (!arg.starts_with("--")) return fail("unexpected argument '" + arg + "' (see --help)");
    const std::string name = arg.substr(2);
    const bool known = name == "tcp" || name == "udp" || name == "control" || name == "seed" ||
                       name == "udp-idle-s" || is_setting_name(name);
    if (!known) return fail("unknown option '" + arg + "' (see --help)");
    if (i + 1 >= args.size()) return fail(arg + " needs a value");
    const std::string& value = args[++i];

    if (name == "tcp" || name == "udp") {
      auto& mapping = name == "tcp" ? config.tcp : config.udp;
      if (mapping) return fail(arg + " given twice: one relay relays one port of each kind");
      auto parsed = parse_mapping(value);
      if (!parsed) return fail(arg + ": " + parsed.error());
      mapping = *parsed;
    } else if (name == "control") {
      auto parsed = parse_socket_address(value);
      if (!parsed) return fail(arg + ": " + parsed.error());
      config.control = *parsed;
    } else if (name == "seed") {
      std::uint64_t seed = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seed);
      if (ec != std::errc{} || end != value.data() + value.size())
        return fail(arg + ": '" + value + "' is not a non-negative integer");
      config.seed = seed;
    } else if (name == "udp-idle-s") {
      int seconds = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
      if (ec != std::errc{} || end != value.data() + value.size() || seconds < 1 || seconds > 86'400)
        return fail(arg + ": a number of seconds from 1 to 86400");
      config.udp_idle_timeout = std::chrono::seconds(seconds);
    } else {
      settings.emplace_back(name, value);
    }
  }
  if (config.help) return config;
  if (auto error = apply_settings(config.impairments, settings)) return fail("--" + *error);
  if (!config.tcp && !config.udp) return fail("nothing to relay: give --tcp and/or --udp (see --help)");
  return config;
}

std::string relay_usage() {
  return R"(streamsync-impair-relay: a userspace network impairment relay for tests and benchmarks
on machines whose kernel has no netem: delay, jitter, loss, bandwidth cap and cuts, per
direction, for one TCP port and one UDP port.

Usage:
  streamsync-impair-relay [--tcp LISTEN=TARGET] [--udp LISTEN=TARGET] [--control ADDR:PORT]
                          [--delay-ms MS] [--jitter-ms MS] [--loss P] [--bandwidth-kbps KBPS]
                          [--up-... | --down-... of each of those four]
                          [--seed N] [--udp-idle-s S]
  streamsync-impair-relay --help

Ports:
  --tcp LISTEN=TARGET   accept TCP on LISTEN, connect each client to TARGET,
                        e.g. --tcp 127.0.0.1:0=127.0.0.1:8080
  --udp LISTEN=TARGET   receive datagrams on LISTEN, forward them to TARGET; replies go back
                        to the client that sent (one upstream socket per client address),
                        e.g. --udp 127.0.0.1:0=127.0.0.1:12123
  --control ADDR:PORT   UDP port for commands while running (see Control)
  Addresses are numeric: 127.0.0.1:8080, [::1]:8080, :8080 (127.0.0.1). Port 0 listens on a
  free port; the ready line tells which. At least one of --tcp and --udp is needed.

Impairments ("up" = client -> target, "down" = target -> client; the plain option sets
both directions, --up-X / --down-X override it for one):
  --delay-ms MS         mean one-way delay (default 0)
  --jitter-ms MS        standard deviation of a normal distribution around the delay; a
                        packet's delay is delay + normal(0, jitter), never below 0 (default 0)
  --loss P              probability 0..1 per datagram of being dropped; per TCP chunk of
                        being "retransmitted": delivered 200 ms (the minimum RTO) late,
                        since TCP never loses bytes (default 0)
  --bandwidth-kbps KBPS token-bucket cap per direction in kilobits/s on TCP bytes and UDP
                        datagrams together (bursts of 10 ms); 0: none (default 0). Datagrams
                        queued more than 200 ms behind the cap are dropped; TCP is slowed
  --seed N              random seed (default: a random one, printed in the ready line)
  --udp-idle-s S        close a UDP client's session after S idle seconds (default 60)

TCP keeps byte order: a chunk leaves at max(previous chunk's time, arrival + its delay),
so jitter and retransmissions show as head-of-line blocking, as on a real path.

Ready line (stderr, once listening; a port not asked for reads "off"):
  ts=... level=info msg=listening tcp=127.0.0.1:P udp=127.0.0.1:Q control=127.0.0.1:R seed=N up="..." down="..."

Control (with --control): send one command per UDP datagram; the reply datagram starts
with "ok" or "error:":
  cut                   black-hole everything: datagrams are dropped, TCP bytes are held
                        (connections stay open; data flows again on restore)
  restore               end a cut
  set NAME=VALUE ...    change settings, named as the options without "--":
                        set delay-ms=80 up-loss=0.05 down-bandwidth-kbps=2000
  status                settings, cut state and counters
  e.g. printf cut | nc -u -w1 127.0.0.1 R

SIGINT or SIGTERM stops the relay (exit code 0). Exit code 2: bad arguments; 1: cannot listen.
)";
}

}  // namespace streamsync::impair
