#include "relay_process.hpp"

#include <gtest/gtest.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <regex>

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
  std::unique_ptr<RelayProcess> relay(new RelayProcess());
  server::ChildProcessOptions options;
  options.argv = {STREAMSYNC_IMPAIR_RELAY_BINARY};
  options.argv.insert(options.argv.end(), args.begin(), args.end());
  options.stop = &relay->stop_signal_;
  RelayProcess* self = relay.get();
  options.on_stderr_line = [self](std::string_view line) { self->on_stderr_line(line); };
  relay->runner_ = std::thread([self, options] {
    auto result = server::run_child_process(options);
    const std::lock_guard lock(self->mutex_);
    if (!result) self->stderr_ += "could not start: " + result.error() + "\n";
    self->result_ = result ? *result : server::ChildResult{};
    self->changed_.notify_all();
  });

  std::unique_lock lock(relay->mutex_);
  const bool ready = relay->changed_.wait_for(lock, kStartupTimeout, [&] {
    return relay->ready_ || relay->result_.has_value();
  });
  if (!ready || !relay->ready_) {
    ADD_FAILURE() << "streamsync-impair-relay did not start listening. stderr:\n" << relay->stderr_;
    lock.unlock();
    relay->stop();
    return nullptr;
  }
  return relay;
}

void RelayProcess::on_stderr_line(std::string_view line) {
  static const std::regex listening(R"(msg=listening tcp=(\S+) udp=(\S+) control=(\S+))");
  const std::lock_guard lock(mutex_);
  stderr_.append(line).append("\n");
  std::match_results<std::string_view::const_iterator> match;
  if (std::regex_search(line.begin(), line.end(), match, listening)) {
    tcp_port_ = port_of(match[1].str());
    udp_port_ = port_of(match[2].str());
    control_port_ = port_of(match[3].str());
    ready_ = true;
    changed_.notify_all();
  }
}

std::string RelayProcess::control(std::string_view command) const {
  asio::io_context io;
  udp::socket socket(io, udp::endpoint(udp::v4(), 0));
  socket.send_to(asio::buffer(command), udp::endpoint(asio::ip::address_v4::loopback(), control_port_));
  std::array<char, 4096> reply{};
  std::size_t reply_bytes = 0;
  socket.async_receive(asio::buffer(reply), [&](const boost::system::error_code& ec, std::size_t bytes) {
    if (!ec) reply_bytes = bytes;
  });
  io.run_for(std::chrono::seconds(5));
  return std::string(reply.data(), reply_bytes);
}

std::string RelayProcess::stderr_text() const {
  const std::lock_guard lock(mutex_);
  return stderr_;
}

server::ChildResult RelayProcess::stop() {
  stop_signal_.request_stop();
  if (runner_.joinable()) runner_.join();
  const std::lock_guard lock(mutex_);
  return result_.value_or(server::ChildResult{});
}

RelayProcess::~RelayProcess() {
  stop();
}

}  // namespace streamsync::impair::testing
