#include "time/ntp_server.hpp"

#include <sys/socket.h>
#include <sys/types.h>

#include <boost/asio/error.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <iostream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <utility>

namespace streamsync::server {
namespace {

using boost::asio::ip::udp;
using boost::system::error_code;

// Datagrams read per wake-up before yielding to other work on the io_context; the wait is
// re-armed at once, so a busy socket is drained over several turns instead of starving others.
constexpr int kMaxDatagramsPerWakeup = 64;

constexpr std::string_view kRateKissCode = "RATE";

std::int64_t steady_now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

error_code last_socket_error() {
  return {errno, boost::asio::error::get_system_category()};
}

std::string describe(const udp::endpoint& endpoint) {
  std::ostringstream out;
  out << endpoint;
  return out.str();
}

// What a socket error means for the receive loop.
enum class ErrorAction {
  retry,         // interrupted by a signal: do the same call again
  end_of_batch,  // nothing (more) to do now: wait for the socket to become readable again
  skip,          // about one datagram or one peer: carry on with the next
  give_up,       // the socket is unusable: stop serving
};

// The one place that decides which socket errors are noise. Everything a remote peer or a
// passing shortage can cause is; anything else means the socket itself is broken, which is
// worth one line in the log. Sends need no triage: a failed send loses one reply to one peer
// (spoofed port 0, firewall, full buffer), the client asks again, and send() only counts it.
ErrorAction triage(const error_code& error) {
  namespace asio_error = boost::asio::error;
  if (error == asio_error::interrupted) return ErrorAction::retry;
  if (error == asio_error::would_block || error == asio_error::try_again ||
      error == asio_error::no_buffer_space || error == asio_error::no_memory) {
    return ErrorAction::end_of_batch;
  }
  // ICMP errors reported for an earlier send, and datagrams the kernel refused to pass on.
  if (error == asio_error::connection_refused || error == asio_error::connection_reset ||
      error == asio_error::host_unreachable || error == asio_error::network_unreachable ||
      error == asio_error::message_size) {
    return ErrorAction::skip;
  }
  if (error != asio_error::operation_aborted) {
    std::cerr << "streamsync-server: NTP service stopped after a socket error: " << error.message()
              << '\n';
  }
  return ErrorAction::give_up;
}

// 1..4 printable ASCII characters: anything else cannot be read back by clients as text.
bool is_valid_reference_id(std::string_view text) {
  if (text.empty() || text.size() > 4) return false;
  for (char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

void check(const NtpServerConfig& config, const WallClock& now_us) {
  if (config.stratum < 1 || config.stratum > 15) {
    throw std::invalid_argument("NTP server: stratum must be 1..15");
  }
  if (!is_valid_reference_id(config.reference_id)) {
    throw std::invalid_argument("NTP server: reference id must be 1..4 printable ASCII characters");
  }
  if (!now_us) throw std::invalid_argument("NTP server: no wall clock given");
}

bool is_system_wall_clock(const WallClock& now_us) {
  const auto* function = now_us.target<std::int64_t (*)()>();
  return function != nullptr && *function == &system_wall_clock_us;
}

#ifdef SO_TIMESTAMPNS
// The kernel's receive time of the datagram `message` came with, in Unix µs, if it has one.
std::optional<std::int64_t> kernel_receive_time_us(msghdr& message) {
  for (cmsghdr* header = CMSG_FIRSTHDR(&message); header != nullptr;
       header = CMSG_NXTHDR(&message, header)) {
    if (header->cmsg_level != SOL_SOCKET || header->cmsg_type != SO_TIMESTAMPNS) continue;
    timespec stamp{};
    std::memcpy(&stamp, CMSG_DATA(header), sizeof stamp);  // cmsg data may be unaligned
    return std::int64_t{stamp.tv_sec} * 1'000'000 + (std::int64_t{stamp.tv_nsec} + 500) / 1000;
  }
  return std::nullopt;
}
#endif

}  // namespace

std::int64_t system_wall_clock_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

NtpServer::NtpServer(boost::asio::io_context& io, NtpServerConfig config, WallClock now_us)
    : socket_(io),
      config_(std::move(config)),
      now_us_(std::move(now_us)),
      limiter_(config_.rate_limit),
      local_endpoint_(config_.listen.protocol(), 0) {
  check(config_, now_us_);
  identity_.stratum = config_.stratum;
  identity_.reference_id = reference_id_from_ascii(config_.reference_id);
  identity_.precision = config_.precision;
  identity_.leap = NtpLeap::none;
}

NtpServer::~NtpServer() {
  stop();
}

void NtpServer::start() {
  const auto fail = [this](const error_code& error) {
    throw std::system_error(std::error_code(error.value(), std::system_category()),
                            "NTP server cannot listen on UDP " + describe(config_.listen));
  };
  error_code error;
  if (socket_.open(config_.listen.protocol(), error); error) fail(error);
  if (socket_.bind(config_.listen, error); error) fail(error);
  // recvmsg/sendto on the native handle must never block the io_context thread.
  if (socket_.non_blocking(true, error); error) fail(error);
  local_endpoint_ = socket_.local_endpoint(error);
  if (error) fail(error);
  enable_kernel_timestamps();
  alive_ = std::make_shared<int>(0);
  wait_readable();
}

void NtpServer::stop() {
  alive_.reset();
  error_code ignored;
  socket_.close(ignored);
}

NtpServerStats NtpServer::stats() const {
  constexpr auto relaxed = std::memory_order_relaxed;
  return {
      .requests = counters_.requests.load(relaxed),
      .replies = counters_.replies.load(relaxed),
      .dropped_malformed = counters_.dropped_malformed.load(relaxed),
      .dropped_not_client = counters_.dropped_not_client.load(relaxed),
      .rate_limited = counters_.rate_limited.load(relaxed),
      .kod_sent = counters_.kod_sent.load(relaxed),
      .send_failed = counters_.send_failed.load(relaxed),
  };
}

void NtpServer::enable_kernel_timestamps() {
  kernel_timestamps_ = false;
  if (!config_.use_kernel_timestamps || !is_system_wall_clock(now_us_)) return;
#ifdef SO_TIMESTAMPNS
  const int on = 1;
  // On failure (an old kernel) the receive time is read from now_us() instead: less exact, and
  // not worth refusing to start over.
  kernel_timestamps_ =
      ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) == 0;
#endif
}

void NtpServer::wait_readable() {
  socket_.async_wait(udp::socket::wait_read,
                     [this, alive = std::weak_ptr<int>(alive_)](const error_code& error) {
                       if (alive.expired()) return;  // stopped: `this` may be gone
                       if (error) {
                         if (triage(error) != ErrorAction::give_up) wait_readable();
                         return;
                       }
                       on_readable();
                     });
}

void NtpServer::on_readable() {
  Datagram datagram;
  for (int i = 0; i < kMaxDatagramsPerWakeup; ++i) {
    error_code error;
    if (!receive_one(datagram, error)) {
      switch (triage(error)) {
        case ErrorAction::retry:
        case ErrorAction::skip:
          continue;
        case ErrorAction::end_of_batch:
          return wait_readable();
        case ErrorAction::give_up:
          return;
      }
    }
    handle(datagram);
  }
  wait_readable();
}

bool NtpServer::receive_one(Datagram& out, error_code& error) {
  iovec payload{buffer_.data(), buffer_.size()};
  // Room for one timespec control message; aligned as the CMSG macros expect.
  alignas(cmsghdr) std::array<char, CMSG_SPACE(sizeof(timespec))> control{};
  msghdr message{};
  message.msg_name = out.source.data();
  message.msg_namelen = static_cast<socklen_t>(out.source.capacity());
  message.msg_iov = &payload;
  message.msg_iovlen = 1;
  message.msg_control = control.data();
  message.msg_controllen = control.size();

  const ssize_t received = ::recvmsg(socket_.native_handle(), &message, 0);
  // Read the clock before anything else, so that our own work is not counted as network delay.
  const std::int64_t read_at_us = now_us_();
  if (received < 0) {
    error = last_socket_error();
    return false;
  }
  out.source.resize(message.msg_namelen);
  out.payload = std::span<const std::uint8_t>(buffer_.data(), static_cast<std::size_t>(received));
  out.received_us = read_at_us;
#ifdef SO_TIMESTAMPNS
  if (kernel_timestamps_) {
    if (const auto stamped_us = kernel_receive_time_us(message)) out.received_us = *stamped_us;
  }
#endif
  return true;
}

void NtpServer::handle(const Datagram& datagram) {
  counters_.requests.fetch_add(1, std::memory_order_relaxed);
  const auto request = decode_ntp_packet(datagram.payload);
  if (!request) {
    counters_.dropped_malformed.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  if (const auto refused = validate_client_request(*request)) {
    auto& counter = *refused == NtpError::not_a_client_request ? counters_.dropped_not_client
                                                               : counters_.dropped_malformed;
    counter.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  switch (limiter_.allow(datagram.source.address(), steady_now_us())) {
    case RateDecision::answer: {
      NtpServerIdentity identity = identity_;
      // The server's clock is the reference by definition, so it was "last set" just now.
      identity.reference = ntp_from_unix_us(datagram.received_us);
      const NtpTimestamp received = identity.reference;
      // Stamped last: the transmit time (T3) should be as close to the send as we can make it.
      const NtpPacket reply =
          make_server_reply(*request, identity, received, ntp_from_unix_us(now_us_()));
      if (send(reply, datagram.source)) counters_.replies.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    case RateDecision::kiss_of_death:
      counters_.rate_limited.fetch_add(1, std::memory_order_relaxed);
      if (send(make_kiss_of_death(*request, kRateKissCode), datagram.source)) {
        counters_.kod_sent.fetch_add(1, std::memory_order_relaxed);
      }
      return;
    case RateDecision::drop_silently:
      counters_.rate_limited.fetch_add(1, std::memory_order_relaxed);
      return;
  }
}

bool NtpServer::send(const NtpPacket& packet, const udp::endpoint& to) {
  const auto bytes = encode(packet);
  for (;;) {
    const ssize_t sent = ::sendto(socket_.native_handle(), bytes.data(), bytes.size(), 0, to.data(),
                                  static_cast<socklen_t>(to.size()));
    if (sent >= 0) return true;
    // Any failure loses this one reply (the client will ask again); only a signal is retried.
    // A broken socket shows up on the receive side, which stops the service.
    if (last_socket_error() != boost::asio::error::interrupted) break;
  }
  counters_.send_failed.fetch_add(1, std::memory_order_relaxed);
  return false;
}

}  // namespace streamsync::server
