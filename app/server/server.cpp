#include "server.hpp"

#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <iostream>
#include <thread>

#include "api/api_context.hpp"
#include "api/event_hub.hpp"
#include "api/events_api.hpp"
#include "api/playlist_cache.hpp"
#include "api/random_id.hpp"
#include "api/router.hpp"
#include "api/upload_api.hpp"
#include "api/viewers_api.hpp"
#include "catalog/channel_store.hpp"
#include "catalog/database.hpp"
#include "catalog/job_store.hpp"
#include "catalog/migrations.hpp"
#include "catalog/token_store.hpp"
#include "catalog/video_store.hpp"
#include "catalog/viewer_store.hpp"
#include "demo_channel.hpp"
#include "http/listener.hpp"
#include "jobs/ingest_queue.hpp"
#include "jobs/progress_bar.hpp"
#include "observability/logger.hpp"
#include "observability/metrics.hpp"
#include "process/stop_signal.hpp"
#include "time/ntp_server.hpp"

namespace streamsync::server {
namespace {

namespace asio = boost::asio;

// Presence: how often silent viewers are noticed and counts pushed.
constexpr std::chrono::seconds kPresenceInterval{5};
// On shutdown, in-flight requests get this long to finish; checked this often.
constexpr std::chrono::seconds kShutdownGrace{5};
constexpr std::chrono::milliseconds kShutdownPoll{20};

std::string to_text(const asio::ip::address& address, std::uint16_t port) {
  return address.is_v6() ? "[" + address.to_string() + "]:" + std::to_string(port)
                         : address.to_string() + ":" + std::to_string(port);
}

asio::ip::address parse_address(const Endpoint& endpoint, std::string_view what) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(endpoint.host, ec);
  if (ec)
    throw std::runtime_error(std::string(what) + ": '" + endpoint.host + "' is not an IP address");
  return address;
}

// The catalog and its stores, opened from the data directory.
struct Catalog {
  explicit Catalog(const std::filesystem::path& data_dir)
      : db(data_dir / "catalog.db"), videos(db), channels(db), viewers(db), tokens(db), jobs(db) {
    const auto migrated = migrate(db);
    if (!migrated) throw std::runtime_error(migrated.error());
    if (migrated->from_version != migrated->to_version) {
      log_info("catalog schema migrated", {{"from", std::to_string(migrated->from_version)},
                                           {"to", std::to_string(migrated->to_version)}});
    }
  }
  Database db;
  VideoStore videos;
  ChannelStore channels;
  ViewerStore viewers;
  TokenStore tokens;
  JobStore jobs;
};

void prepare_data_dir(const std::filesystem::path& data_dir) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir / "media", ec);
  if (ec)
    throw std::runtime_error("cannot create data directory " + data_dir.string() + ": " +
                             ec.message());
}

// The first start creates a presenter token and shows it once; it is stored only hashed.
void ensure_presenter_token(TokenStore& tokens) {
  if (!tokens.list().empty()) return;
  const CreatedToken token = tokens.create("initial", system_wall_clock_us());
  std::cout << "Presenter token (shown only now, keep it): " << token.plaintext << "\n"
            << "Use it as: Authorization: Bearer " << token.plaintext << "\n"
            << std::flush;
}

// `streamsync-server ingest FILE...`: each file becomes a video, transcoded right here with
// a progress bar; the catalog is shared with a running server, which sees the results.
int ingest_command(const ServerConfig& config, Catalog& catalog) {
  const auto media_root = config.data_dir / "media";
  const bool terminal = isatty(STDERR_FILENO) != 0;
  int failures = 0;
  for (const std::string& file : config.command_args) {
    const std::filesystem::path source = std::filesystem::absolute(file);
    const std::int64_t now_us = system_wall_clock_us();
    VideoRecord video;
    video.id = random_id("v");
    video.title = config.title.empty() ? source.filename().string() : config.title;
    video.created_at_us = now_us;
    catalog.videos.upsert(video);
    JobRecord job{random_id("job"), video.id, JobStatus::queued, 0, "", source.string(), true,
                  now_us,           now_us};
    catalog.jobs.create(job);
    catalog.jobs.claim(job.id, now_us);
    std::cerr << "ingesting " << source.string() << " as video " << video.id << "\n";
    IngestEnvironment env{media_root,
                          catalog.videos,
                          catalog.jobs,
                          system_wall_clock_us,
                          {},
                          config.encoder,
                          nullptr,
                          [terminal](double fraction, double speed, double eta_s) {
                            print_progress(std::cerr, fraction, speed, eta_s, terminal);
                          },
                          nullptr};
    const JobRecord finished = run_ingest_job(job, env, nullptr);
    if (terminal) std::cerr << "\n";
    if (finished.status == JobStatus::ready) {
      std::cout << "ready\t" << video.id << "\t" << source.string() << "\n";
    } else {
      ++failures;
      std::cerr << "streamsync-server: " << source.string() << ": " << finished.message << "\n";
    }
  }
  return failures == 0 ? 0 : 1;
}

int token_command(const ServerConfig& config, Catalog& catalog) {
  switch (config.command) {
    case Command::token_create: {
      const CreatedToken token =
          catalog.tokens.create(config.command_args.at(0), system_wall_clock_us());
      std::cout << "id " << token.id << "\ntoken " << token.plaintext << "\n";
      return 0;
    }
    case Command::token_list:
      for (const TokenRecord& token : catalog.tokens.list()) {
        std::cout << token.id << '\t' << token.name << '\t'
                  << (token.revoked_at_us ? "revoked" : "active") << '\n';
      }
      return 0;
    case Command::token_revoke:
      if (catalog.tokens.revoke(config.command_args.at(0), system_wall_clock_us())) return 0;
      std::cerr << "streamsync-server: no active token with id " << config.command_args.at(0)
                << '\n';
      return 1;
    default:
      return 2;
  }
}

// The NTP server on a thread and io_context of its own: HTTP load must not delay its
// replies, and NtpServer expects a single thread. Stops and joins when destroyed.
class TimeService {
 public:
  explicit TimeService(const NtpServerConfig& config)
      : server_(io_, config, &system_wall_clock_us), work_(asio::make_work_guard(io_)) {
    server_.start();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~TimeService() {
    work_.reset();
    io_.stop();
    thread_.join();
    server_.stop();  // no thread runs the io_context any more
  }
  const NtpServer& server() const { return server_; }

 private:
  asio::io_context io_{1};
  NtpServer server_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::thread thread_;
};

void add_collectors(Metrics& metrics, const NtpServer& ntp, ViewerStore& viewers) {
  metrics.add_collector([&ntp] {
    const NtpServerStats s = ntp.stats();
    const auto counter = [](std::string name, std::string help, std::uint64_t value) {
      return MetricSample{
          std::move(name), std::move(help), "counter", {{"", static_cast<double>(value)}}};
    };
    return std::vector<MetricSample>{
        counter("streamsync_ntp_requests_total", "NTP packets received.", s.requests),
        counter("streamsync_ntp_replies_total", "NTP replies sent.", s.replies),
        counter("streamsync_ntp_dropped_total",
                "NTP packets dropped as malformed or not client requests.",
                s.dropped_malformed + s.dropped_not_client),
        counter("streamsync_ntp_rate_limited_total", "NTP requests over the per-source rate limit.",
                s.rate_limited),
    };
  });
  metrics.add_collector([&viewers] {
    MetricSample sample{
        "streamsync_channel_viewers", "Viewers with a heartbeat in the last 15 s.", "gauge", {}};
    for (const auto& [channel, count] : viewers.active_counts(system_wall_clock_us())) {
      sample.values.emplace_back("channel=\"" + channel + "\"", static_cast<double>(count));
    }
    return std::vector<MetricSample>{sample};
  });
}

int serve(const ServerConfig& config, Catalog& catalog) {
  const auto media_root = config.data_dir / "media";
  asio::io_context io(config.threads);
  // Installed before anything announces that the server is up, so an early SIGTERM is
  // queued for the shutdown handler instead of killing the process.
  asio::signal_set signals(io, SIGINT, SIGTERM);

  ensure_presenter_token(catalog.tokens);
  if (config.demo)
    prepare_demo_channel(media_root, catalog.videos, catalog.channels, system_wall_clock_us);
  EventHub events;
  Metrics metrics;
  PlaylistCache playlists;
  NtpServerConfig ntp_config;
  ntp_config.listen = {parse_address(config.ntp, "--ntp"), config.ntp.port};
  ntp_config.rate_limit.requests_per_s = config.ntp_rate_limit_per_s;
  ntp_config.rate_limit.burst = 2 * config.ntp_rate_limit_per_s;
  TimeService time_service(ntp_config);
  const NtpServer& ntp = time_service.server();
  add_collectors(metrics, ntp, catalog.viewers);

  IngestEnvironment ingest_env{
      media_root,
      catalog.videos,
      catalog.jobs,
      system_wall_clock_us,
      {},
      config.encoder,
      [&events](const JobRecord& job) {
        events.publish(kJobsTopic,
                       JobEvent{job.id, job.video_id, std::string(to_string(job.status)),
                                job.progress, job.message});
      },
      nullptr,
      nullptr};
  IngestQueue ingest(std::move(ingest_env), config.ingest_workers);

  ApiContext ctx{media_root,
                 system_wall_clock_us,
                 system_wall_clock_us(),
                 ntp.local_endpoint().port(),
                 catalog.videos,
                 catalog.channels,
                 catalog.viewers,
                 catalog.tokens,
                 events,
                 metrics,
                 playlists,
                 catalog.jobs,
                 ingest,
                 config.data_dir / "uploads",
                 config.keep_uploads};

  auto handlers = std::make_shared<ServerHandlers>();
  handlers->http = [&ctx](const Request& request) { return handle_request(ctx, request); };
  handlers->websocket_upgrade = [&ctx](boost::beast::tcp_stream&& stream, Request&& request) {
    accept_events(ctx, std::move(stream), std::move(request));
  };
  handlers->upload = make_upload_route(ctx, config.upload_limit_bytes);
  auto listener = std::make_shared<Listener>(
      io, asio::ip::tcp::endpoint{parse_address(config.http, "--http"), config.http.port},
      handlers);
  listener->run();
  ingest.start();
  log_info(
      "listening",
      {{"http", to_text(listener->local_endpoint().address(), listener->local_endpoint().port())},
       {"ntp", to_text(ntp.local_endpoint().address(), ntp.local_endpoint().port())},
       {"data", config.data_dir.string()},
       {"kernel_timestamps", ntp.kernel_timestamps_active() ? "yes" : "no"}});

  asio::steady_timer presence_timer(io);
  std::function<void()> schedule_presence = [&] {
    presence_timer.expires_after(kPresenceInterval);
    presence_timer.async_wait([&](boost::system::error_code ec) {
      if (ec) return;
      try {
        publish_presence_changes(ctx);
      } catch (const std::exception& failure) {
        log_error("presence update failed", {{"error", failure.what()}});
      }
      schedule_presence();
    });
  };
  schedule_presence();

  // Shutdown: requests being answered finish (up to the grace period); idle connections close.
  asio::steady_timer grace_timer(io);
  std::chrono::steady_clock::time_point shutdown_deadline;
  std::function<void()> stop_when_idle = [&] {
    if (*handlers->requests_in_flight == 0 || std::chrono::steady_clock::now() >= shutdown_deadline)
      return io.stop();
    grace_timer.expires_after(kShutdownPoll);
    grace_timer.async_wait([&](boost::system::error_code) { stop_when_idle(); });
  };
  signals.async_wait([&](boost::system::error_code ec, int signal_number) {
    if (ec) return;
    log_info("shutting down", {{"signal", std::to_string(signal_number)}});
    listener->stop();
    presence_timer.cancel();
    shutdown_deadline = std::chrono::steady_clock::now() + kShutdownGrace;
    stop_when_idle();
  });

  std::vector<std::thread> threads;
  for (int i = 1; i < config.threads; ++i) threads.emplace_back([&io] { io.run(); });
  io.run();
  io.stop();
  for (auto& thread : threads) thread.join();
  ingest.stop();  // running jobs stop and are re-queued on the next start
  log_info("stopped");
  return 0;
}

}  // namespace

int run_server_command(const ServerConfig& config) {
  LogLevel level = LogLevel::info;
  parse_log_level(config.log_level, level);
  Logger::set_level(level);
  prepare_data_dir(config.data_dir);
  Catalog catalog(config.data_dir);
  if (config.command == Command::serve) return serve(config, catalog);
  if (config.command == Command::ingest) return ingest_command(config, catalog);
  return token_command(config, catalog);
}

}  // namespace streamsync::server
