#include "time/ntp_server.hpp"

#include <sys/socket.h>
#include <sys/types.h>

#include <array>
#include <atomic>
#include <boost/asio/error.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <iostream>
#include <memory>
#include <optional>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <utility>

namespace streamsync::server {
namespace {

using boost::asio::ip::udp;
using boost::system::error_code;

// Datagrams read per wake-up (one batch) before yielding to other work on the io_context; the
// wait is re-armed at once, so a busy socket is drained over several turns instead of starving
// others.
constexpr std::size_t kBatchDatagrams = 64;

// Receive attempts per wake-up that may fail on errors about one datagram or peer (or a signal)
// before yielding: bounds the time a stream of ICMP errors can hold the thread.
constexpr int kMaxReceiveAttempts = 64;

// Enough for the header plus common extension fields; longer datagrams are truncated, which
// is harmless since only the 48-byte header is read.
constexpr std::size_t kMaxDatagramBytes = 1024;

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
// (see send_messages), the client asks again, and send_batch() only counts it.
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

#ifdef __linux__
using Message = mmsghdr;
#else
// Linux's mmsghdr (a message and the bytes it carried), so that both paths share one layout.
struct Message {
  msghdr msg_hdr;
  unsigned int msg_len;
};
#endif

// Reads up to messages.size() datagrams that are already queued, without blocking: how many
// (each one's msg_len says its size), or -1 and errno set if not even the first could be read.
int receive_messages(int socket, std::span<Message> messages) {
#ifdef __linux__
  // One system call for the whole batch.
  return ::recvmmsg(socket, messages.data(), static_cast<unsigned int>(messages.size()), 0,
                    nullptr);
#else
  int count = 0;
  for (Message& message : messages) {
    const ssize_t received = ::recvmsg(socket, &message.msg_hdr, 0);
    // An error after the first datagram ends the batch; the next read reports it if it lasts.
    if (received < 0) return count == 0 ? -1 : count;
    message.msg_len = static_cast<unsigned int>(received);
    ++count;
  }
  return count;
#endif
}

// Sends every message without blocking and sets its msg_len to the bytes sent, 0 if the socket
// refused it. A refusal loses that one reply to one peer (spoofed port 0, firewall, full buffer)
// and the client asks again, so only a signal is retried; a broken socket shows up on the
// receive side, which stops the service.
void send_messages(int socket, std::span<Message> messages) {
#ifdef __linux__
  std::size_t next = 0;
  while (next < messages.size()) {
    // One system call for the rest of the batch; it stops at the first message it cannot send.
    const int sent =
        ::sendmmsg(socket, &messages[next], static_cast<unsigned int>(messages.size() - next), 0);
    if (sent > 0) {
      next += static_cast<std::size_t>(sent);
    } else if (!(sent < 0 && errno == EINTR)) {
      messages[next++].msg_len = 0;  // refused: skip it and send the others
    }
  }
#else
  for (Message& message : messages) {
    ssize_t sent = 0;
    do {
      sent = ::sendmsg(socket, &message.msg_hdr, 0);
    } while (sent < 0 && errno == EINTR);
    message.msg_len = sent < 0 ? 0 : static_cast<unsigned int>(sent);
  }
#endif
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

// A reply or kiss-o'-death waiting for its batch to be sent.
struct Outgoing {
  NtpPacket packet;
  std::size_t slot = 0;  // the datagram it answers, whose source is its destination
  bool is_kiss_of_death = false;
};

// Room for one timespec control message (SO_TIMESTAMPNS), aligned as the CMSG macros expect.
struct alignas(cmsghdr) ControlBuffer {
  std::array<char, CMSG_SPACE(sizeof(timespec))> bytes{};
};

}  // namespace

// Slot i of each receive array belongs to the batch's datagram i, slot j of each send array to
// its answer j. The message headers point into the buffers once and for all; only the lengths
// the kernel overwrites are reset per batch.
struct NtpServer::Batch {
  // Receiving.
  std::array<std::array<std::uint8_t, kMaxDatagramBytes>, kBatchDatagrams> payloads{};
  std::array<iovec, kBatchDatagrams> payload_vectors{};
  std::array<udp::endpoint, kBatchDatagrams> sources;
  std::array<ControlBuffer, kBatchDatagrams> controls{};
  std::array<Message, kBatchDatagrams> received{};
  std::int64_t read_at_us = 0;  // when the last receive returned, Unix µs: T2 if not stamped
  // Sending: answers queued so far, in the order of the datagrams they answer.
  std::array<Outgoing, kBatchDatagrams> outgoing{};
  std::size_t outgoing_count = 0;
  std::array<std::array<std::uint8_t, kNtpPacketSize>, kBatchDatagrams> wire{};
  std::array<iovec, kBatchDatagrams> wire_vectors{};
  std::array<Message, kBatchDatagrams> sent{};

  Batch() {
    for (std::size_t i = 0; i < kBatchDatagrams; ++i) {
      payload_vectors[i] = {payloads[i].data(), payloads[i].size()};
      received[i].msg_hdr.msg_iov = &payload_vectors[i];
      received[i].msg_hdr.msg_iovlen = 1;
      received[i].msg_hdr.msg_name = sources[i].data();
      received[i].msg_hdr.msg_control = controls[i].bytes.data();
      wire_vectors[i] = {wire[i].data(), wire[i].size()};
      sent[i].msg_hdr.msg_iov = &wire_vectors[i];
      sent[i].msg_hdr.msg_iovlen = 1;
    }
  }

  // The receive messages, with the lengths the previous receive overwrote set back to capacity.
  std::span<Message> prepare_receive() {
    for (std::size_t i = 0; i < kBatchDatagrams; ++i) {
      msghdr& header = received[i].msg_hdr;
      header.msg_namelen = static_cast<socklen_t>(sources[i].capacity());
      header.msg_controllen = controls[i].bytes.size();
      header.msg_flags = 0;
    }
    return received;
  }

  void queue(const NtpPacket& packet, std::size_t slot, bool is_kiss_of_death) {
    outgoing[outgoing_count++] = {packet, slot, is_kiss_of_death};
  }

  // The send messages for the queued answers, encoded with `transmit` as their T3
  // (kiss-o'-deaths carry no time and keep theirs zero).
  std::span<Message> prepare_send(NtpTimestamp transmit) {
    for (std::size_t j = 0; j < outgoing_count; ++j) {
      Outgoing& queued = outgoing[j];
      if (!queued.is_kiss_of_death) queued.packet.transmit = transmit;
      wire[j] = encode(queued.packet);
      udp::endpoint& to = sources[queued.slot];
      sent[j].msg_hdr.msg_name = to.data();
      sent[j].msg_hdr.msg_namelen = static_cast<socklen_t>(to.size());
    }
    return std::span(sent).first(outgoing_count);
  }
};

// One received datagram: slot `slot` of the batch.
struct NtpServer::Datagram {
  std::size_t slot = 0;
  std::span<const std::uint8_t> payload;
  std::int64_t received_us = 0;  // T2, Unix µs
};

std::int64_t system_wall_clock_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

NtpServer::NtpServer(boost::asio::io_context& io, NtpServerConfig config, WallClock now_us)
    : socket_(io),
      batch_(std::make_unique<Batch>()),
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
  // The system calls on the native handle must never block the io_context thread.
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
  for (int attempt = 0; attempt < kMaxReceiveAttempts; ++attempt) {
    error_code error;
    if (const std::size_t received = receive_batch(error); received > 0) {
      serve_batch(received);
      // No second read to find the socket empty: re-arming the wait reports it readable at once
      // if more arrived meanwhile.
      return wait_readable();
    }
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
  wait_readable();
}

std::size_t NtpServer::receive_batch(error_code& error) {
  const int received = receive_messages(socket_.native_handle(), batch_->prepare_receive());
  if (received < 0) {
    error = last_socket_error();
    return 0;
  }
  // Read the clock before anything else, so that our own work is not counted as network delay.
  batch_->read_at_us = now_us_();
  return static_cast<std::size_t>(received);
}

void NtpServer::serve_batch(std::size_t received) {
  NtpServerStats tally;
  tally.requests = received;
  batch_->outgoing_count = 0;
  // One reading for the batch: its datagrams are handled within microseconds of each other,
  // which refills a bucket by a negligible fraction of a token.
  const std::int64_t steady_us = steady_now_us();
  for (std::size_t slot = 0; slot < received; ++slot) answer(datagram(slot), steady_us, tally);
  send_batch(tally);
  publish(tally);
}

NtpServer::Datagram NtpServer::datagram(std::size_t slot) {
  Batch& batch = *batch_;
  Message& message = batch.received[slot];
  batch.sources[slot].resize(message.msg_hdr.msg_namelen);
  Datagram out{
      .slot = slot,
      .payload = std::span<const std::uint8_t>(batch.payloads[slot].data(), message.msg_len),
      .received_us = batch.read_at_us};
#ifdef SO_TIMESTAMPNS
  if (kernel_timestamps_) {
    if (const auto stamped_us = kernel_receive_time_us(message.msg_hdr)) {
      out.received_us = *stamped_us;
    }
  }
#endif
  return out;
}

void NtpServer::answer(const Datagram& datagram, std::int64_t steady_us, NtpServerStats& tally) {
  const auto request = decode_ntp_packet(datagram.payload);
  if (!request) {
    ++tally.dropped_malformed;
    return;
  }
  if (const auto refused = validate_client_request(*request)) {
    ++(*refused == NtpError::not_a_client_request ? tally.dropped_not_client
                                                  : tally.dropped_malformed);
    return;
  }
  switch (limiter_.allow(batch_->sources[datagram.slot].address(), steady_us)) {
    case RateDecision::answer: {
      NtpServerIdentity identity = identity_;
      // The server's clock is the reference by definition, so it was "last set" just now.
      identity.reference = ntp_from_unix_us(datagram.received_us);
      // The transmit time (T3) is stamped by send_batch, right before the send.
      batch_->queue(make_server_reply(*request, identity, identity.reference, NtpTimestamp{}),
                    datagram.slot, false);
      return;
    }
    case RateDecision::kiss_of_death:
      ++tally.rate_limited;
      batch_->queue(make_kiss_of_death(*request, kRateKissCode), datagram.slot, true);
      return;
    case RateDecision::drop_silently:
      ++tally.rate_limited;
      return;
  }
}

void NtpServer::send_batch(NtpServerStats& tally) {
  if (batch_->outgoing_count == 0) return;
  // One transmit time (T3) for the whole batch, read right before the one sendmmsg that sends
  // it (elsewhere: before a sendmsg per reply, back to back), instead of one reading and one
  // system call per reply. The kernel sends the replies one after another, a few µs each (~3 µs
  // on loopback, delivery included), so the n-th leaves that much times n - 1 after its T3: its
  // client sees that as extra network delay and half of it as offset. Under load that is up to
  // ~0.2 ms for the last reply of a full batch of 64, far below the milliseconds viewers need;
  // a lone request (a batch of one) is stamped as closely as before.
  const NtpTimestamp transmit = ntp_from_unix_us(now_us_());
  const std::span<Message> messages = batch_->prepare_send(transmit);
  send_messages(socket_.native_handle(), messages);
  for (std::size_t j = 0; j < messages.size(); ++j) {
    if (messages[j].msg_len == 0) {
      ++tally.send_failed;
    } else {
      ++(batch_->outgoing[j].is_kiss_of_death ? tally.kod_sent : tally.replies);
    }
  }
}

void NtpServer::publish(const NtpServerStats& tally) {
  const auto add = [](std::atomic<std::uint64_t>& counter, std::uint64_t count) {
    if (count != 0) counter.fetch_add(count, std::memory_order_relaxed);
  };
  add(counters_.requests, tally.requests);
  add(counters_.replies, tally.replies);
  add(counters_.dropped_malformed, tally.dropped_malformed);
  add(counters_.dropped_not_client, tally.dropped_not_client);
  add(counters_.rate_limited, tally.rate_limited);
  add(counters_.kod_sent, tally.kod_sent);
  add(counters_.send_failed, tally.send_failed);
}

}  // namespace streamsync::server
