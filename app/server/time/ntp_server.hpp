#pragma once

// NtpServer: the server's clock, served over NTPv4 (RFC 5905, mode 3 -> mode 4) on UDP, so
// that any NTP client (the StreamSync viewer, sntp, chrony, ntpdate) can estimate server time.
//
// The codec lives in core/protocol/ntp_packet.hpp; this file owns the socket, the timestamps
// and the policy (what is dropped, what is answered, what is refused with a kiss-o'-death).

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "protocol/ntp_packet.hpp"
#include "time/rate_limiter.hpp"
#include "time/wall_clock.hpp"

namespace streamsync::server {

struct NtpServerConfig {
  // Where to listen. Port 0 picks an ephemeral port (see NtpServer::local_endpoint). An IPv6
  // address listens on IPv6, and with the OS's default dual-stack setting on IPv4 too.
  boost::asio::ip::udp::endpoint listen{boost::asio::ip::address_v4::any(), 12123};
  std::uint8_t stratum = 2;           // what replies claim; 1..15 (0 is kiss-o'-death, 16 unsynced)
  std::string reference_id = "SSYN";  // 1..4 printable ASCII characters
  std::int8_t precision = -20;        // log2 of the clock's precision in seconds (-20 ~ 1 µs)
  RateLimitConfig rate_limit;
  // Take each request's receive timestamp (T2) from the kernel (SO_TIMESTAMPNS, CLOCK_REALTIME)
  // when the packet arrived, rather than from now_us() when we got round to reading it, so that
  // time spent queued in the socket does not count as network delay. Applies only when now_us
  // is system_wall_clock_us: the kernel stamps with the system clock, and mixing it with any
  // other clock in one reply would be wrong.
  bool use_kernel_timestamps = true;
};

// Counts since construction. requests = replies + dropped_malformed + dropped_not_client +
// rate_limited + (replies that failed to send, counted in send_failed).
struct NtpServerStats {
  std::uint64_t requests = 0;            // datagrams received
  std::uint64_t replies = 0;             // time replies sent
  std::uint64_t dropped_malformed = 0;   // shorter than 48 bytes, or NTP version 0 or above 4
  std::uint64_t dropped_not_client = 0;  // well-formed, but not a client (mode 3) request
  std::uint64_t rate_limited = 0;        // client requests refused by the rate limiter
  std::uint64_t kod_sent = 0;            // kiss-o'-death "RATE" replies sent (part of rate_limited)
  std::uint64_t send_failed = 0;         // replies or kiss-o'-deaths the socket refused to send
};

// Answers NTP client requests on one UDP socket.
//
// Threading: the server keeps exactly one asynchronous operation in flight (an implicit strand),
// so its handlers run one at a time on whichever thread runs `io`. start(), stop() and the
// destructor must not run concurrently with them: call them before `io` runs, after it has
// stopped, or from a handler on `io` (boost::asio::post) when a single thread runs it, as
// streamsync-server does. stats() is safe from any thread at any time; local_endpoint() and
// kernel_timestamps_active() from any thread once start() has returned (they stay fixed).
//
// Lifetime: after stop() or destruction no handler touches the server, even if `io` runs on.
//
// Rate limiting runs on std::chrono::steady_clock, not on `now_us`, so that stepping the wall
// clock neither refills nor starves the buckets.
//
// Datagrams are served in batches: each wake-up reads what is queued (up to 64), answers it and
// sends the replies together, with one recvmmsg and one sendmmsg on Linux (one recvmsg and one
// sendmsg per datagram elsewhere). Each reply's receive time (T2) is its own datagram's; the
// transmit time (T3) is read once, right before the batch is sent.
//
// POSIX only: it reads with recvmsg/recvmmsg (for the kernel's timestamp) on the native socket.
class NtpServer {
 public:
  // Throws std::invalid_argument if `config` is out of the documented bounds (including its
  // rate_limit) or `now_us` is empty. Does not touch the network.
  NtpServer(boost::asio::io_context& io, NtpServerConfig config, WallClock now_us);
  ~NtpServer();

  NtpServer(const NtpServer&) = delete;
  NtpServer& operator=(const NtpServer&) = delete;

  // Binds the socket and starts answering as soon as `io` runs. Throws std::system_error naming
  // the endpoint if the socket cannot be opened or bound (port in use, port below 1024 without
  // privilege, address not local): a start-up misconfiguration. Call at most once.
  void start();

  // Closes the socket; pending work is abandoned and no handler of the server runs afterwards,
  // so `io.run()` returns once the server was its only work. Idempotent; safe before start().
  void stop();

  // The bound address and port (the real port when the config asked for port 0). Default
  // (0.0.0.0:0) before start().
  boost::asio::ip::udp::endpoint local_endpoint() const { return local_endpoint_; }

  // Whether receive timestamps come from the kernel (see use_kernel_timestamps); set by start().
  bool kernel_timestamps_active() const { return kernel_timestamps_; }

  // A snapshot of the counters. They are updated once per batch and read one by one, so while
  // requests are being served the sums in NtpServerStats may be off by a batch in flight.
  NtpServerStats stats() const;

 private:
  struct Counters {
    std::atomic<std::uint64_t> requests{0};
    std::atomic<std::uint64_t> replies{0};
    std::atomic<std::uint64_t> dropped_malformed{0};
    std::atomic<std::uint64_t> dropped_not_client{0};
    std::atomic<std::uint64_t> rate_limited{0};
    std::atomic<std::uint64_t> kod_sent{0};
    std::atomic<std::uint64_t> send_failed{0};
  };

  // Buffers and message headers for one batch of datagrams and their answers (sys/socket.h
  // types, so defined in the .cpp). Allocated once, with the server, and reused by every batch.
  struct Batch;
  // One received datagram of the batch.
  struct Datagram;

  void enable_kernel_timestamps();
  void wait_readable();
  void on_readable();
  // Reads the datagrams already queued on the socket into batch_, as many as it holds; how many,
  // or 0 and `error` set if the socket had none or failed.
  std::size_t receive_batch(boost::system::error_code& error);
  // Answers the `received` datagrams in batch_ and counts what became of them.
  void serve_batch(std::size_t received);
  // The datagram in batch_'s `slot`, with its receive time (T2): the kernel's stamp if any.
  Datagram datagram(std::size_t slot);
  // Decides what `datagram` gets; a reply or a kiss-o'-death is queued in batch_ to be sent.
  void answer(const Datagram& datagram, std::int64_t steady_us, NtpServerStats& tally);
  // Stamps the queued replies with the transmit time (T3) and sends everything queued.
  void send_batch(NtpServerStats& tally);
  // Adds one batch's counts to counters_: a few atomic additions per batch, not per datagram.
  void publish(const NtpServerStats& tally);

  boost::asio::ip::udp::socket socket_;
  std::unique_ptr<Batch> batch_;
  NtpServerConfig config_;
  WallClock now_us_;
  NtpServerIdentity identity_;
  SourceRateLimiter limiter_;
  Counters counters_;
  boost::asio::ip::udp::endpoint local_endpoint_;
  bool kernel_timestamps_ = false;
  // Handlers hold a weak_ptr to it: expired means the server is gone, so a handler that was
  // already queued when stop() or the destructor ran returns without touching `this`.
  std::shared_ptr<int> alive_;
};

}  // namespace streamsync::server
