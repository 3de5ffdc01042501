#include "config/server_config.hpp"

#include <charconv>

namespace streamsync::server {
namespace {

Unexpected<std::string> fail(std::string message) {
  return Unexpected{std::move(message)};
}

std::optional<int> parse_int(std::string_view text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

Expected<Endpoint, std::string> parse_endpoint(std::string_view text,
                                               std::string_view default_host) {
  Endpoint endpoint{std::string(default_host), 0};
  std::string_view port_text = text;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find("]:");
    if (close == std::string_view::npos)
      return fail("'" + std::string(text) + "': expected [IPv6]:PORT");
    endpoint.host = std::string(text.substr(1, close - 1));
    port_text = text.substr(close + 2);
  } else if (const auto colon = text.rfind(':'); colon != std::string_view::npos) {
    if (colon > 0) endpoint.host = std::string(text.substr(0, colon));
    port_text = text.substr(colon + 1);
  }
  const auto port = parse_int(port_text);
  if (!port || *port < 0 || *port > 65535) {
    return fail("'" + std::string(text) + "': the port must be a number from 0 to 65535");
  }
  endpoint.port = static_cast<std::uint16_t>(*port);
  return endpoint;
}

std::filesystem::path default_data_dir(const EnvironmentLookup& getenv_string) {
#if defined(_WIN32)
  if (auto local = getenv_string("LOCALAPPDATA"))
    return std::filesystem::path(*local) / "StreamSync";
#elif defined(__APPLE__)
  if (auto home = getenv_string("HOME"))
    return std::filesystem::path(*home) / "Library/Application Support/StreamSync";
#else
  if (auto xdg = getenv_string("XDG_DATA_HOME"); xdg && !xdg->empty()) {
    return std::filesystem::path(*xdg) / "streamsync";
  }
  if (auto home = getenv_string("HOME"))
    return std::filesystem::path(*home) / ".local/share/streamsync";
#endif
  return std::filesystem::current_path() / "streamsync-data";
}

Expected<ServerConfig, std::string> parse_server_config(const std::vector<std::string>& args,
                                                        EnvironmentLookup environment) {
  ServerConfig config;
  if (auto data = environment("STREAMSYNC_DATA")) config.data_dir = *data;
  if (auto http = environment("STREAMSYNC_HTTP")) {
    auto endpoint = parse_endpoint(*http, "0.0.0.0");
    if (!endpoint) return fail("STREAMSYNC_HTTP: " + endpoint.error());
    config.http = *endpoint;
  }
  if (auto ntp = environment("STREAMSYNC_NTP")) {
    auto endpoint = parse_endpoint(*ntp, "0.0.0.0");
    if (!endpoint) return fail("STREAMSYNC_NTP: " + endpoint.error());
    config.ntp = *endpoint;
  }
  if (auto level = environment("STREAMSYNC_LOG_LEVEL")) config.log_level = *level;

  std::size_t i = 0;
  if (!args.empty() && args[0] == "ingest") {
    config.command = Command::ingest;
    i = 1;
  } else if (!args.empty() && args[0] == "token") {
    if (args.size() < 2) return fail("token: say create NAME, list or revoke ID");
    const std::string& verb = args[1];
    if (verb == "create")
      config.command = Command::token_create;
    else if (verb == "list")
      config.command = Command::token_list;
    else if (verb == "revoke")
      config.command = Command::token_revoke;
    else
      return fail("token " + verb + ": unknown; say create NAME, list or revoke ID");
    i = 2;
  }
  for (; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const auto value = [&](std::string_view option) -> Expected<std::string, std::string> {
      if (i + 1 >= args.size()) return fail(std::string(option) + " needs a value");
      return args[++i];
    };
    if (arg == "--help" || arg == "-h") {
      config.command = Command::help;
    } else if (arg == "--version") {
      config.command = Command::version;
    } else if (arg == "--demo") {
      config.demo = true;
    } else if (arg == "--data") {
      auto v = value(arg);
      if (!v) return fail(v.error());
      config.data_dir = *v;
    } else if (arg == "--http" || arg == "--ntp") {
      auto v = value(arg);
      if (!v) return fail(v.error());
      auto endpoint = parse_endpoint(*v, "0.0.0.0");
      if (!endpoint) return fail(arg + " " + endpoint.error());
      (arg == "--http" ? config.http : config.ntp) = *endpoint;
    } else if (arg == "--log-level") {
      auto v = value(arg);
      if (!v) return fail(v.error());
      config.log_level = *v;
    } else if (arg == "--threads") {
      auto v = value(arg);
      if (!v) return fail(v.error());
      const auto threads = parse_int(*v);
      if (!threads || *threads < 1 || *threads > 256)
        return fail("--threads: a number from 1 to 256");
      config.threads = *threads;
    } else if (arg == "--ntp-rate-limit") {
      auto v = value(arg);
      if (!v) return fail(v.error());
      const auto rate = parse_int(*v);
      if (!rate || *rate < 1 || *rate > 10'000'000)
        return fail("--ntp-rate-limit: a number from 1 to 10000000");
      config.ntp_rate_limit_per_s = *rate;
    } else if (arg == "--title" || arg == "--encoder") {
      auto v = value(arg);
      if (!v) return fail(v.error());
      (arg == "--title" ? config.title : config.encoder) = *v;
    } else if (arg == "--ingest-workers") {
      auto v = value(arg);
      if (!v) return fail(v.error());
      const auto workers = parse_int(*v);
      if (!workers || *workers < 1 || *workers > 64)
        return fail("--ingest-workers: a number from 1 to 64");
      config.ingest_workers = *workers;
    } else if (arg == "--upload-limit-mb") {
      auto v = value(arg);
      if (!v) return fail(v.error());
      const auto megabytes = parse_int(*v);
      if (!megabytes || *megabytes < 1) return fail("--upload-limit-mb: a positive number");
      config.upload_limit_bytes = static_cast<std::uint64_t>(*megabytes) << 20;
    } else if (arg == "--keep-uploads") {
      config.keep_uploads = true;
    } else if (!arg.empty() && arg[0] != '-' && config.command != Command::serve) {
      config.command_args.push_back(arg);
    } else {
      return fail("unknown option '" + arg + "' (see --help)");
    }
  }
  if (config.command == Command::token_create && config.command_args.size() != 1) {
    return fail("token create: give exactly one NAME");
  }
  if (config.command == Command::ingest && config.command_args.empty()) {
    return fail("ingest: give one or more video FILEs");
  }
  if (config.command == Command::token_revoke && config.command_args.size() != 1) {
    return fail("token revoke: give exactly one ID (see token list)");
  }
  if (config.log_level != "debug" && config.log_level != "info" && config.log_level != "warn" &&
      config.log_level != "error") {
    return fail("--log-level: one of debug, info, warn, error");
  }
  if (config.data_dir.empty()) config.data_dir = default_data_dir(environment);
  return config;
}

std::string server_usage() {
  return R"(streamsync-server: channels, schedules, time and HLS media for StreamSync viewers.

Usage:
  streamsync-server [--data DIR] [--http ADDR:PORT] [--ntp ADDR:PORT] [--demo]
                    [--log-level LEVEL] [--threads N]
  streamsync-server token create NAME | token list | token revoke ID   [--data DIR]
  streamsync-server ingest FILE... [--title TITLE] [--encoder NAME] [--data DIR]
  streamsync-server --help | --version

Options (environment variable in brackets):
  --data DIR         catalog, media and tokens live here [STREAMSYNC_DATA]
                     (default: $XDG_DATA_HOME/streamsync or ~/.local/share/streamsync)
  --http ADDR:PORT   REST API, WebSocket events and HLS media [STREAMSYNC_HTTP] (default 0.0.0.0:8080)
  --ntp ADDR:PORT    NTPv4 time service, UDP [STREAMSYNC_NTP] (default 0.0.0.0:12123;
                     123 when run as a system service)
  --demo             on first start, make two test-pattern videos with FFmpeg and a
                     "Demo" channel that loops them; later starts reuse them
  --log-level LEVEL  debug, info, warn or error [STREAMSYNC_LOG_LEVEL] (default info)
  --threads N        I/O threads (default 2)
  --ingest-workers N concurrent FFmpeg ingest runs (default 1)
  --upload-limit-mb N  largest accepted upload (default 8192)
  --keep-uploads     keep uploaded files after their job ends (default: removed)
  --encoder NAME     H.264 encoder for ingest: libx264, h264_vaapi, h264_nvenc, h264_qsv,
                     h264_videotoolbox (default: the first hardware one that works, else libx264)
  --title TITLE      ingest: the video's title (default: the file name)
  --ntp-rate-limit N NTP requests/s answered per source address, bursts of 2N (default 8);
                     beyond it a RATE kiss-o'-death. Raise it for viewers behind one NAT

On the first start a presenter token is created and printed once; presenters send it as
"Authorization: Bearer <token>". Manage more with `streamsync-server token ...`.
)";
}

}  // namespace streamsync::server
