#include "relay_process.hpp"

#include <gtest/gtest.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <chrono>
#include <regex>
#include <utility>

namespace streamsync::impair::testing {
namespace {

namespace asio = boost::asio;
using udp = asio::ip::udp;

constexpr auto kStartupTimeout = std::chrono::seconds(30);

// "127.0.0.1:4242" -> 4242; "off" -> 0.
std::uint16_t port_of(const std::string& field) {
  const auto colon = field.rfind(':');
  if (colon == std::string::npos) return 0;
  return static_cast<std::uint16_t>(std::stoi(field.substr(colon + 1)));
}

}  // namespace

std::unique_ptr<RelayProcess> RelayProcess::start(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {STREAMSYNC_IMPAIR_RELAY_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  std::unique_ptr<RelayProcess> relay(new RelayProcess(std::move(argv)));
  const RelayProcess* self = relay.get();
  if (!relay->child_.wait_until([self] { return self->ready_; }, kStartupTimeout)) {
    ADD_FAILURE() << "streamsync-impair-relay did not start listening. stderr:\n"
                  << relay->stderr_text();
    return nullptr;
  }
  return relay;
}

RelayProcess::RelayProcess(std::vector<std::string> argv)
    : child_(std::move(argv), [this](std::string_view line) { on_stderr_line(line); }) {}

RelayProcess::~RelayProcess() = default;

void RelayProcess::on_stderr_line(std::string_view line) {
  static const std::regex listening(R"(msg=listening tcp=(\S+) udp=(\S+) control=(\S+))");
  if (ready_) return;  // the ports are read without a lock from now on
  std::match_results<std::string_view::const_iterator> match;
  if (std::regex_search(line.begin(), line.end(), match, listening)) {
    tcp_port_ = port_of(match[1].str());
    udp_port_ = port_of(match[2].str());
    control_port_ = port_of(match[3].str());
    ready_ = true;
  }
}

std::string RelayProcess::control(std::string_view command) const {
  asio::io_context io;
  udp::socket socket(io, udp::endpoint(udp::v4(), 0));
  socket.send_to(asio::buffer(command),
                 udp::endpoint(asio::ip::address_v4::loopback(), control_port_));
  std::array<char, 4096> reply{};
  std::size_t reply_bytes = 0;
  socket.async_receive(asio::buffer(reply),
                       [&](const boost::system::error_code& ec, std::size_t bytes) {
                         if (!ec) reply_bytes = bytes;
                       });
  io.run_for(std::chrono::seconds(5));
  return std::string(reply.data(), reply_bytes);
}

std::string RelayProcess::stderr_text() const {
  return child_.stderr_text();
}

server::ChildResult RelayProcess::stop() {
  return child_.stop();
}

}  // namespace streamsync::impair::testing
