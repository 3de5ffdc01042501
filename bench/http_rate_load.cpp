// http_rate_load: a constant-rate (open-loop) HTTP/1.1 load generator for loopback benchmarks.
//
// Requests are issued on a fixed schedule, whatever the server does: request i is due at
// start + i / rate. A due request goes out on an idle keep-alive connection, or waits in a FIFO
// until one frees up; its latency is measured from when it was DUE, not from when it was sent,
// so a slow server cannot hide its stalls by slowing the client down (coordinated omission).
// `service_ms` (from the actual send) is reported beside it to show how much was queueing.
//
// Two modes:
//   --mode rate     GET --target at --rate req/s for --duration-s (after --warmup-s, which is
//                   sent but not counted); every answer must be 200.
//   --mode viewers  POST /api/v1/viewers for --viewers random UUIDs (at --register-rate), then
//                   POST /api/v1/viewers/{id}/heartbeat {"channel_id": --channel} for each,
//                   every --heartbeat-interval-s, spread evenly, for --duration-s; answers
//                   must be 200 and 204. With --rss-pid, samples that process's VmRSS
//                   (/proc/<pid>/status) every --rss-interval-ms from start to end.
//
// Prints one JSON object on stdout. Never fails on speed; exit status 1 means it could not run.
// Traffic goes only to a loopback address (--host, default 127.0.0.1): it is a benchmark tool.

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

// Any single request taking longer than this is an error (and its connection is replaced).
constexpr std::chrono::seconds kRequestTimeout{5};
// After the last request is due, unfinished ones get this long before they count as errors.
constexpr std::chrono::seconds kDrainTimeout{10};
// Replacing broken connections is bounded, so a dead server ends the run instead of a loop.
constexpr int kMaxReconnects = 1000;

struct Options {
  std::string mode = "rate";
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  int connections = 16;
  // rate mode
  std::string target = "/api/v1/channels";
  double rate_per_s = 1000;
  double duration_s = 10;
  double warmup_s = 1;
  // viewers mode
  int viewers = 1000;
  double register_rate_per_s = 500;
  double heartbeat_interval_s = 5;
  std::string channel = "demo";
  int rss_pid = 0;
  int rss_interval_ms = 500;
};

// What a group of requests (one kind: the GETs, registrations, heartbeats) came to.
struct Stats {
  std::uint64_t scheduled = 0;
  std::uint64_t ok = 0;
  std::uint64_t bad_status = 0;
  std::uint64_t transport_errors = 0;    // connection failures and timeouts
  std::uint64_t unfinished = 0;          // still unanswered when the run ended
  std::uint64_t response_bytes = 0;      // body size of the latest good answer
  std::vector<std::int64_t> latency_ns;  // from due time, good answers only
  std::vector<std::int64_t> service_ns;  // from send time, good answers only
  Clock::time_point last_done{};

  std::uint64_t errors() const { return bad_status + transport_errors + unfinished; }
};

struct Job {
  Clock::duration due;  // after the schedule's start
  http::verb method = http::verb::get;
  std::string target;
  std::string body;
  http::status expect = http::status::ok;
  Stats* stats = nullptr;  // nullptr: warm-up, not counted
};

double percentile_ms(std::vector<std::int64_t> values_ns, double p) {
  if (values_ns.empty()) return 0;
  const auto rank = static_cast<std::size_t>(p * static_cast<double>(values_ns.size() - 1) + 0.5);
  std::nth_element(values_ns.begin(), values_ns.begin() + static_cast<std::ptrdiff_t>(rank),
                   values_ns.end());
  return static_cast<double>(values_ns[rank]) / 1e6;
}

nlohmann::json summary(const Stats& stats) {
  return {{"scheduled", stats.scheduled},
          {"ok", stats.ok},
          {"errors", stats.errors()},
          {"bad_status", stats.bad_status},
          {"transport_errors", stats.transport_errors},
          {"unfinished", stats.unfinished},
          {"response_bytes", stats.response_bytes},
          {"latency_ms",
           {{"p50", percentile_ms(stats.latency_ns, 0.50)},
            {"p90", percentile_ms(stats.latency_ns, 0.90)},
            {"p99", percentile_ms(stats.latency_ns, 0.99)},
            {"p999", percentile_ms(stats.latency_ns, 0.999)},
            {"max", percentile_ms(stats.latency_ns, 1.0)}}},
          {"service_ms",
           {{"p50", percentile_ms(stats.service_ns, 0.50)},
            {"p99", percentile_ms(stats.service_ns, 0.99)}}}};
}

// VmRSS of `pid` in MiB, or nullopt if it cannot be read (the process is gone).
std::optional<double> read_rss_mb(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      std::istringstream fields(line.substr(6));
      double kib = 0;
      if (fields >> kib) return kib / 1024.0;
    }
  }
  return std::nullopt;
}

std::string random_uuid(std::mt19937_64& random) {
  std::uint64_t high = random();
  std::uint64_t low = random();
  high = (high & ~std::uint64_t{0xf000}) | 0x4000;                       // version 4
  low = (low & ~(std::uint64_t{0xc} << 60)) | (std::uint64_t{8} << 60);  // variant 10xx
  char text[37];
  std::snprintf(text, sizeof text, "%08llx-%04llx-%04llx-%04llx-%012llx",
                static_cast<unsigned long long>(high >> 32),
                static_cast<unsigned long long>((high >> 16) & 0xffff),
                static_cast<unsigned long long>(high & 0xffff),
                static_cast<unsigned long long>(low >> 48),
                static_cast<unsigned long long>(low & 0xffffffffffffULL));
  return text;
}

Clock::duration seconds(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

// Runs `jobs` (sorted by due time) over a pool of keep-alive connections on one thread.
class Runner {
 public:
  Runner(asio::io_context& io, tcp::endpoint server, int connections, std::vector<Job> jobs)
      : io_(io), server_(server), jobs_(std::move(jobs)), ticker_(io), deadline_(io) {
    for (int i = 0; i < connections; ++i) {
      auto connection = std::make_unique<Connection>(io);
      connection->stream.connect(server_);  // loopback: immediate; throws if nothing listens
      idle_.push_back(connection.get());
      connections_.push_back(std::move(connection));
    }
    for (const Job& job : jobs_) {
      if (job.stats) ++job.stats->scheduled;
    }
  }

  // Runs the schedule from now; `on_tick` (may be empty) is called every `tick` meanwhile.
  void run(std::function<void(Clock::time_point)> on_tick, std::chrono::milliseconds tick) {
    start_ = Clock::now() + std::chrono::milliseconds(20);
    on_tick_ = std::move(on_tick);
    tick_ = tick;
    const Clock::duration last_due = jobs_.empty() ? Clock::duration{} : jobs_.back().due;
    deadline_.expires_at(start_ + last_due + kDrainTimeout);
    deadline_.async_wait([this](const error_code& error) {
      if (!error) finish();
    });
    if (on_tick_) sample_tick();
    schedule_next();
    io_.run();
  }

  Clock::time_point start() const { return start_; }

 private:
  struct Connection {
    explicit Connection(asio::io_context& io) : stream(io) {}
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    http::response<http::string_body> response;
    std::size_t job = 0;
    bool busy = false;  // carrying jobs_[job]
    Clock::time_point sent_at;
  };

  void sample_tick() {
    if (finished_) return;
    on_tick_(Clock::now());
    sampler_.emplace(io_);
    sampler_->expires_after(tick_);
    sampler_->async_wait([this](const error_code& error) {
      if (!error) sample_tick();
    });
  }

  void schedule_next() {
    if (next_ >= jobs_.size() || finished_) return;
    ticker_.expires_at(start_ + jobs_[next_].due);
    ticker_.async_wait([this](const error_code& error) {
      if (error) return;
      const Clock::time_point now = Clock::now();
      while (next_ < jobs_.size() && start_ + jobs_[next_].due <= now) waiting_.push_back(next_++);
      dispatch();
      schedule_next();
    });
  }

  void dispatch() {
    while (!waiting_.empty() && !idle_.empty()) {
      Connection* connection = idle_.back();
      idle_.pop_back();
      send(*connection, waiting_.front());
      waiting_.pop_front();
    }
  }

  void send(Connection& c, std::size_t index) {
    const Job& job = jobs_[index];
    c.job = index;
    c.busy = true;
    c.request = {job.method, job.target, 11};
    c.request.set(http::field::host, "127.0.0.1");
    c.request.keep_alive(true);
    if (!job.body.empty()) {
      c.request.set(http::field::content_type, "application/json");
      c.request.body() = job.body;
    }
    c.request.prepare_payload();
    c.response = {};
    c.sent_at = Clock::now();
    c.stream.expires_after(kRequestTimeout);
    http::async_write(c.stream, c.request, [this, &c](const error_code& error, std::size_t) {
      if (error) return on_failure(c);
      http::async_read(c.stream, c.buffer, c.response,
                       [this, &c](const error_code& read_error, std::size_t) {
                         if (read_error) return on_failure(c);
                         on_response(c);
                       });
    });
  }

  void on_response(Connection& c) {
    if (finished_) return;
    const Clock::time_point now = Clock::now();
    const Job& job = jobs_[c.job];
    if (Stats* stats = job.stats) {
      if (c.response.result() == job.expect) {
        ++stats->ok;
        stats->response_bytes = c.response.body().size();
        stats->latency_ns.push_back(
            std::chrono::duration_cast<std::chrono::nanoseconds>(now - (start_ + job.due)).count());
        stats->service_ns.push_back(
            std::chrono::duration_cast<std::chrono::nanoseconds>(now - c.sent_at).count());
      } else {
        ++stats->bad_status;
        if (stats->bad_status <= 3) {
          std::cerr << "http_rate_load: " << job.target << " answered " << c.response.result_int()
                    << ": " << c.response.body().substr(0, 200) << '\n';
        }
      }
      stats->last_done = now;
    }
    const bool reusable = c.response.keep_alive();
    c.busy = false;
    job_done();
    if (reusable) {
      idle_.push_back(&c);
      dispatch();
    } else {
      reconnect(c);
    }
  }

  void on_failure(Connection& c) {
    if (finished_) return;
    if (Stats* stats = jobs_[c.job].stats) ++stats->transport_errors;
    c.busy = false;
    job_done();
    reconnect(c);
  }

  void reconnect(Connection& c) {
    if (finished_) return;
    if (++reconnects_ > kMaxReconnects) return;  // the connection stays out of the pool
    c.stream.close();
    c.buffer.clear();
    c.stream.expires_after(kRequestTimeout);
    c.stream.async_connect(server_, [this, &c](const error_code& error) {
      if (finished_) return;
      if (error) return reconnect(c);
      idle_.push_back(&c);
      dispatch();
    });
  }

  void job_done() {
    if (++done_ == jobs_.size()) finish();
  }

  // Ends the run: whatever is not answered by now (on a connection, waiting or not yet due)
  // counts as unfinished.
  void finish() {
    if (finished_) return;
    finished_ = true;
    if (on_tick_) on_tick_(Clock::now());
    for (std::size_t i : waiting_) mark_unfinished(i);
    for (std::size_t i = next_; i < jobs_.size(); ++i) mark_unfinished(i);
    for (auto& c : connections_) {
      if (c->busy) mark_unfinished(c->job);
      c->stream.close();
    }
    ticker_.cancel();
    deadline_.cancel();
    if (sampler_) sampler_->cancel();
  }

  void mark_unfinished(std::size_t index) {
    if (Stats* stats = jobs_[index].stats) ++stats->unfinished;
  }

  asio::io_context& io_;
  tcp::endpoint server_;
  std::vector<Job> jobs_;
  std::vector<std::unique_ptr<Connection>> connections_;
  std::vector<Connection*> idle_;
  std::deque<std::size_t> waiting_;  // due, not yet sent (no idle connection)
  std::size_t next_ = 0;             // first job not yet due
  std::size_t done_ = 0;
  int reconnects_ = 0;
  bool finished_ = false;
  Clock::time_point start_;
  asio::steady_timer ticker_;
  asio::steady_timer deadline_;
  std::optional<asio::steady_timer> sampler_;
  std::function<void(Clock::time_point)> on_tick_;
  std::chrono::milliseconds tick_{500};
};

// 0 (refused by parse) unless 1..65535.
std::uint16_t port_number(int value) {
  return value >= 1 && value <= 65535 ? static_cast<std::uint16_t>(value) : 0;
}

std::optional<Options> parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) return std::nullopt;
    const std::string v = argv[++i];
    try {
      if (arg == "--mode")
        o.mode = v;
      else if (arg == "--host")
        o.host = v;
      else if (arg == "--port")
        o.port = port_number(std::stoi(v));
      else if (arg == "--connections")
        o.connections = std::stoi(v);
      else if (arg == "--target")
        o.target = v;
      else if (arg == "--rate")
        o.rate_per_s = std::stod(v);
      else if (arg == "--duration-s")
        o.duration_s = std::stod(v);
      else if (arg == "--warmup-s")
        o.warmup_s = std::stod(v);
      else if (arg == "--viewers")
        o.viewers = std::stoi(v);
      else if (arg == "--register-rate")
        o.register_rate_per_s = std::stod(v);
      else if (arg == "--heartbeat-interval-s")
        o.heartbeat_interval_s = std::stod(v);
      else if (arg == "--channel")
        o.channel = v;
      else if (arg == "--rss-pid")
        o.rss_pid = std::stoi(v);
      else if (arg == "--rss-interval-ms")
        o.rss_interval_ms = std::stoi(v);
      else
        return std::nullopt;
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  const bool bounded =
      (o.mode == "rate" || o.mode == "viewers") && o.port != 0 && o.connections >= 1 &&
      o.connections <= 1024 && o.rate_per_s > 0 && o.rate_per_s <= 100'000 && o.duration_s > 0 &&
      o.duration_s <= 600 && o.warmup_s >= 0 && o.warmup_s <= 60 && o.viewers >= 1 &&
      o.viewers <= 100'000 && o.register_rate_per_s > 0 && o.heartbeat_interval_s > 0 &&
      o.rss_pid >= 0 && o.rss_interval_ms >= 10 && !o.target.empty() && o.target[0] == '/' &&
      // Every request is planned up front: keep the plan to a few million.
      (o.warmup_s + o.duration_s) * o.rate_per_s <= 1e7 &&
      o.viewers * (o.duration_s / o.heartbeat_interval_s + 1) <= 1e7;
  if (!bounded) return std::nullopt;
  return o;
}

std::vector<Job> rate_jobs(const Options& o, Stats& stats) {
  std::vector<Job> jobs;
  const double total_s = o.warmup_s + o.duration_s;
  const auto count = static_cast<std::size_t>(total_s * o.rate_per_s);
  jobs.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const double due_s = static_cast<double>(i) / o.rate_per_s;
    jobs.push_back({seconds(due_s), http::verb::get, o.target, "", http::status::ok,
                    due_s >= o.warmup_s ? &stats : nullptr});
  }
  return jobs;
}

// Registrations first, then heartbeats from one second after the last registration is due:
// viewer i beats at offset + (i / viewers + k) * interval.
std::vector<Job> viewer_jobs(const Options& o, Stats& registrations, Stats& heartbeats) {
  std::mt19937_64 random(20240601);
  std::vector<std::string> ids;
  std::vector<Job> jobs;
  for (int i = 0; i < o.viewers; ++i) {
    ids.push_back(random_uuid(random));
    const nlohmann::json body = {{"id", ids.back()},
                                 {"display_name", "bench " + std::to_string(i)}};
    jobs.push_back({seconds(i / o.register_rate_per_s), http::verb::post, "/api/v1/viewers",
                    body.dump(), http::status::ok, &registrations});
  }
  const double offset_s = o.viewers / o.register_rate_per_s + 1.0;
  const std::string beat = nlohmann::json{{"channel_id", o.channel}}.dump();
  std::vector<Job> beats;
  for (int k = 0; static_cast<double>(k) * o.heartbeat_interval_s < o.duration_s; ++k) {
    for (int i = 0; i < o.viewers; ++i) {
      const double due_s = (static_cast<double>(i) / o.viewers + k) * o.heartbeat_interval_s;
      if (due_s >= o.duration_s) continue;
      beats.push_back({seconds(offset_s + due_s), http::verb::post,
                       "/api/v1/viewers/" + ids[static_cast<std::size_t>(i)] + "/heartbeat", beat,
                       http::status::no_content, &heartbeats});
    }
  }
  std::stable_sort(beats.begin(), beats.end(),
                   [](const Job& a, const Job& b) { return a.due < b.due; });
  jobs.insert(jobs.end(), std::make_move_iterator(beats.begin()),
              std::make_move_iterator(beats.end()));
  return jobs;
}

}  // namespace

int main(int argc, char** argv) {
  const auto options = parse(argc, argv);
  if (!options) {
    std::cerr
        << "usage: http_rate_load --port N [--mode rate|viewers] [--host 127.0.0.1]"
           " [--connections 16]\n"
           "  rate:    [--target /api/v1/channels] [--rate 1000] [--duration-s 10] [--warmup-s 1]\n"
           "  viewers: [--viewers 1000] [--register-rate 500] [--heartbeat-interval-s 5]"
           " [--duration-s 30] [--channel demo] [--rss-pid PID] [--rss-interval-ms 500]\n";
    return 2;
  }
  try {
    const auto address = asio::ip::make_address(options->host);
    if (!address.is_loopback()) {
      std::cerr << "http_rate_load: --host must be a loopback address\n";
      return 2;
    }
    asio::io_context io(1);
    const tcp::endpoint server{address, options->port};
    nlohmann::json out;
    if (options->mode == "rate") {
      Stats stats;
      Runner runner(io, server, options->connections, rate_jobs(*options, stats));
      runner.run({}, std::chrono::milliseconds(500));
      const double measured_s =
          std::max(options->duration_s,
                   std::chrono::duration<double>(stats.last_done - runner.start()).count() -
                       options->warmup_s);
      out = summary(stats);
      out["mode"] = "rate";
      out["target"] = options->target;
      out["rate_per_s"] = options->rate_per_s;
      out["duration_s"] = options->duration_s;
      out["warmup_s"] = options->warmup_s;
      out["connections"] = options->connections;
      out["achieved_rate_per_s"] = static_cast<double>(stats.ok) / measured_s;
    } else {
      Stats registrations, heartbeats;
      std::vector<std::pair<double, double>> rss;  // (seconds since start, MiB)
      const auto started = Clock::now();
      const auto sample = [&](Clock::time_point now) {
        if (options->rss_pid == 0) return;
        if (const auto mb = read_rss_mb(options->rss_pid))
          rss.emplace_back(std::chrono::duration<double>(now - started).count(), *mb);
      };
      sample(started);
      Runner runner(io, server, options->connections,
                    viewer_jobs(*options, registrations, heartbeats));
      runner.run(sample, std::chrono::milliseconds(options->rss_interval_ms));
      out = {{"mode", "viewers"},
             {"viewers", options->viewers},
             {"heartbeat_interval_s", options->heartbeat_interval_s},
             {"duration_s", options->duration_s},
             {"connections", options->connections},
             {"register", summary(registrations)},
             {"heartbeat", summary(heartbeats)}};
      if (!rss.empty()) {
        double peak = 0;
        nlohmann::json samples = nlohmann::json::array();
        for (const auto& [t, mb] : rss) {
          peak = std::max(peak, mb);
          samples.push_back({t, mb});
        }
        out["rss_mb"] = {{"start", rss.front().second}, {"peak", peak}, {"end", rss.back().second}};
        out["rss_samples"] = samples;
      }
    }
    std::cout << out.dump() << '\n';
    return 0;
  } catch (const std::exception& failure) {
    std::cerr << "http_rate_load: " << failure.what() << '\n';
    return 1;
  }
}
