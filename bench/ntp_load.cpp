// ntp_load: a closed-loop NTPv4 load generator for benchmarking an NTP server on loopback.
//
// Each of --sockets connected UDP sockets keeps --window client requests outstanding: a valid
// mode-3 packet (core's make_client_request) whose transmit timestamp is unique, so that the
// reply's origin names the request it answers. Every reply is checked with
// validate_server_reply; an answer frees its slot and a new request goes out at once. A request
// not answered within --timeout-ms is counted lost and its slot reused. After --duration-s no new
// requests are sent; outstanding ones get --timeout-ms to come back.
//
// Prints one JSON object on stdout: sent, answered, answered_per_s, answered_fraction
// (answered / sent), round-trip percentiles, and what was refused or lost. It never fails on
// speed; exit status 1 means it could not run (bad arguments, socket errors).
//
//   ntp_load --port 12123 [--duration-s 5] [--sockets 2] [--window 32] [--timeout-ms 200]
//            [--threads 1]
//
// --threads runs the sockets on that many threads (each its own io_context, sockets dealt out
// in turn). One thread costs about what the server it loads costs per reply, so on a small
// machine one thread is itself the limit and any server that keeps up measures the same.
//
// Traffic goes only to a loopback address (--host, default 127.0.0.1): it is a benchmark tool.

#include <algorithm>
#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "protocol/ntp_packet.hpp"
#include "protocol/ntp_timestamp.hpp"

namespace {

namespace asio = boost::asio;
using asio::ip::udp;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;

struct Options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  double duration_s = 5;
  int sockets = 2;
  int window = 32;  // outstanding requests per socket
  int timeout_ms = 200;
  int threads = 1;
};

struct Totals {
  std::uint64_t sent = 0;
  std::uint64_t answered = 0;          // valid replies to an outstanding request
  std::uint64_t answered_in_time = 0;  // of them, received before the send deadline
  std::uint64_t kiss_of_death = 0;     // stratum-0 replies (refusals, e.g. RATE)
  std::uint64_t invalid = 0;           // replies validate_server_reply refused otherwise
  std::uint64_t unmatched = 0;         // replies to no outstanding request (late, after loss)
  std::uint64_t timed_out = 0;         // requests not answered within the timeout
  std::uint64_t send_errors = 0;
  std::uint64_t receive_errors = 0;
  std::vector<std::int64_t> rtt_ns;  // of answered requests

  void add(const Totals& other) {
    sent += other.sent;
    answered += other.answered;
    answered_in_time += other.answered_in_time;
    kiss_of_death += other.kiss_of_death;
    invalid += other.invalid;
    unmatched += other.unmatched;
    timed_out += other.timed_out;
    send_errors += other.send_errors;
    receive_errors += other.receive_errors;
    rtt_ns.insert(rtt_ns.end(), other.rtt_ns.begin(), other.rtt_ns.end());
  }
};

// One socket and its window of outstanding requests.
class Flow {
 public:
  Flow(asio::io_context& io, const udp::endpoint& server, int window, std::uint64_t first_key,
       Totals& totals)
      : socket_(io),
        slots_(static_cast<std::size_t>(window)),
        next_key_(first_key),
        totals_(totals) {
    socket_.open(server.protocol());
    // Room for the whole window of replies even if we are slow to read: the kernel charges
    // ~1 KiB per queued datagram, so the default (~208 KiB) holds about 200.
    socket_.set_option(udp::socket::receive_buffer_size(1 << 20));
    socket_.connect(server);
  }

  void start(Clock::time_point send_until) {
    send_until_ = send_until;
    for (Slot& slot : slots_) send_into(slot, Clock::now());
    receive();
  }

  // Counts requests older than the timeout as lost and refills their slots.
  void expire(Clock::time_point now, std::chrono::milliseconds timeout) {
    for (Slot& slot : slots_) {
      if (slot.busy && now - slot.sent_at > timeout) {
        slot.busy = false;
        ++totals_.timed_out;
        send_into(slot, now);
      }
    }
  }

  bool idle() const {
    return std::none_of(slots_.begin(), slots_.end(), [](const Slot& s) { return s.busy; });
  }

  void close() {
    error_code ignored;
    socket_.close(ignored);
  }

 private:
  struct Slot {
    bool busy = false;
    std::uint64_t key = 0;  // the request's transmit timestamp, as its 64-bit wire value
    Clock::time_point sent_at;
  };

  void send_into(Slot& slot, Clock::time_point now) {
    if (now >= send_until_) return;
    const std::uint64_t key = next_key_++;
    const auto bytes = streamsync::encode(
        streamsync::make_client_request(streamsync::NtpTimestamp::from_u64(key)));
    error_code error;
    socket_.send(asio::buffer(bytes), 0, error);
    if (error) {
      ++totals_.send_errors;
      return;
    }
    ++totals_.sent;
    slot = {true, key, now};
  }

  void receive() {
    socket_.async_receive(asio::buffer(buffer_), [this](const error_code& error, std::size_t n) {
      if (error == asio::error::operation_aborted) return;
      if (error) {
        // Loopback ICMP "port unreachable" for an earlier send (server not up) lands here.
        ++totals_.receive_errors;
      } else {
        on_reply(n);
      }
      receive();
    });
  }

  void on_reply(std::size_t n) {
    const Clock::time_point now = Clock::now();
    const auto reply = streamsync::decode_ntp_packet(std::span(buffer_.data(), n));
    if (!reply) {
      ++totals_.invalid;
      return;
    }
    const std::uint64_t origin = reply->origin.to_u64();
    const auto slot = std::find_if(slots_.begin(), slots_.end(),
                                   [&](const Slot& s) { return s.busy && s.key == origin; });
    if (slot == slots_.end()) {
      ++totals_.unmatched;
      return;
    }
    slot->busy = false;
    const auto refused =
        streamsync::validate_server_reply(*reply, streamsync::NtpTimestamp::from_u64(slot->key));
    if (!refused) {
      ++totals_.answered;
      if (now < send_until_) ++totals_.answered_in_time;
      totals_.rtt_ns.push_back(
          std::chrono::duration_cast<std::chrono::nanoseconds>(now - slot->sent_at).count());
    } else if (*refused == streamsync::NtpError::kiss_of_death) {
      ++totals_.kiss_of_death;
    } else {
      ++totals_.invalid;
    }
    send_into(*slot, now);
  }

  udp::socket socket_;
  std::vector<Slot> slots_;
  std::uint64_t next_key_;
  Totals& totals_;
  Clock::time_point send_until_;
  std::array<std::uint8_t, 512> buffer_{};
};

// One thread's sockets, its own io_context and counts (no sharing between threads).
struct Worker {
  asio::io_context io{1};
  Totals totals;
  std::vector<std::unique_ptr<Flow>> flows;

  // Sends until send_until, then waits for the outstanding replies until give_up_at.
  void run(Clock::time_point send_until, Clock::time_point give_up_at,
           std::chrono::milliseconds timeout) {
    totals.rtt_ns.reserve(1 << 20);
    for (auto& flow : flows) flow->start(send_until);
    asio::steady_timer ticker(io);
    std::function<void()> tick = [&] {
      ticker.expires_after(std::chrono::milliseconds(10));
      ticker.async_wait([&](const error_code& error) {
        if (error) return;
        const Clock::time_point now = Clock::now();
        for (auto& flow : flows) flow->expire(now, timeout);
        const bool drained = now >= send_until && std::all_of(flows.begin(), flows.end(),
                                                              [](auto& f) { return f->idle(); });
        if (drained || now >= give_up_at) {
          for (auto& flow : flows) flow->close();
          return;
        }
        tick();
      });
    };
    tick();
    io.run();
  }
};

double percentile_us(std::vector<std::int64_t> values_ns, double p) {
  if (values_ns.empty()) return 0;
  const auto rank = static_cast<std::size_t>(p * static_cast<double>(values_ns.size() - 1));
  std::nth_element(values_ns.begin(), values_ns.begin() + static_cast<std::ptrdiff_t>(rank),
                   values_ns.end());
  return static_cast<double>(values_ns[rank]) / 1000.0;
}

std::optional<Options> parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) return std::nullopt;
    const std::string value = argv[++i];
    try {
      if (arg == "--host") {
        options.host = value;
      } else if (arg == "--port") {
        const int port = std::stoi(value);
        if (port < 1 || port > 65535) return std::nullopt;
        options.port = static_cast<std::uint16_t>(port);
      } else if (arg == "--duration-s") {
        options.duration_s = std::stod(value);
      } else if (arg == "--sockets") {
        options.sockets = std::stoi(value);
      } else if (arg == "--window") {
        options.window = std::stoi(value);
      } else if (arg == "--timeout-ms") {
        options.timeout_ms = std::stoi(value);
      } else if (arg == "--threads") {
        options.threads = std::stoi(value);
      } else {
        return std::nullopt;
      }
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  const bool bounded = options.port != 0 && options.duration_s > 0 && options.duration_s <= 600 &&
                       options.sockets >= 1 && options.sockets <= 16 && options.window >= 1 &&
                       options.window <= 1024 && options.timeout_ms >= 1 &&
                       options.timeout_ms <= 10'000 && options.threads >= 1 &&
                       options.threads <= options.sockets;
  if (!bounded) return std::nullopt;
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  const auto options = parse(argc, argv);
  if (!options) {
    std::cerr << "usage: ntp_load --port N [--host 127.0.0.1] [--duration-s 5] [--sockets 2 (1-16)]"
                 " [--window 32 (per socket, 1-1024)] [--timeout-ms 200]"
                 " [--threads 1 (1-sockets)]\n";
    return 2;
  }
  try {
    const auto address = asio::ip::make_address(options->host);
    if (!address.is_loopback()) {
      std::cerr << "ntp_load: --host must be a loopback address\n";
      return 2;
    }
    // Transmit timestamps start at "now" and count up by one unit (~233 ps) per request: unique,
    // and as plausible to the server as a real clock reading.
    const std::uint64_t first_key =
        streamsync::ntp_from_unix_us(std::chrono::duration_cast<std::chrono::microseconds>(
                                         std::chrono::system_clock::now().time_since_epoch())
                                         .count())
            .to_u64();
    const auto duration = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(options->duration_s));
    const std::chrono::milliseconds timeout(options->timeout_ms);
    const Clock::time_point send_until = Clock::now() + duration;
    const Clock::time_point give_up_at = send_until + timeout;

    std::vector<std::unique_ptr<Worker>> workers;
    for (int t = 0; t < options->threads; ++t) workers.push_back(std::make_unique<Worker>());
    for (int i = 0; i < options->sockets; ++i) {
      Worker& worker = *workers[static_cast<std::size_t>(i % options->threads)];
      worker.flows.push_back(std::make_unique<Flow>(
          worker.io, udp::endpoint{address, options->port}, options->window,
          first_key + (std::uint64_t{1} << 40) * static_cast<std::uint64_t>(i), worker.totals));
    }
    std::vector<std::thread> threads;
    for (auto& worker : workers) {
      threads.emplace_back([&worker, send_until, give_up_at, timeout] {
        worker->run(send_until, give_up_at, timeout);
      });
    }
    for (std::thread& thread : threads) thread.join();
    Totals totals;
    for (const auto& worker : workers) totals.add(worker->totals);

    const double seconds = std::chrono::duration<double>(duration).count();
    nlohmann::json out = {
        {"target", options->host + ":" + std::to_string(options->port)},
        {"sockets", options->sockets},
        {"threads", options->threads},
        {"window_per_socket", options->window},
        {"window_total", options->sockets * options->window},
        {"timeout_ms", options->timeout_ms},
        {"duration_s", seconds},
        {"sent", totals.sent},
        {"answered", totals.answered},
        {"answered_per_s", static_cast<double>(totals.answered_in_time) / seconds},
        {"answered_fraction", totals.sent == 0 ? 0.0
                                               : static_cast<double>(totals.answered) /
                                                     static_cast<double>(totals.sent)},
        {"kiss_of_death", totals.kiss_of_death},
        {"invalid", totals.invalid},
        {"unmatched", totals.unmatched},
        {"timed_out", totals.timed_out},
        {"send_errors", totals.send_errors},
        {"receive_errors", totals.receive_errors},
        {"rtt_us_p50", percentile_us(totals.rtt_ns, 0.50)},
        {"rtt_us_p99", percentile_us(totals.rtt_ns, 0.99)},
    };
    std::cout << out.dump() << '\n';
    return 0;
  } catch (const std::exception& failure) {
    std::cerr << "ntp_load: " << failure.what() << '\n';
    return 1;
  }
}
