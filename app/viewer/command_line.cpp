#include "command_line.hpp"

#include <QCommandLineParser>

namespace streamsync::viewer {
namespace {

Expected<QUrl, QString> parse_server_url(const QString& text) {
  const QUrl url = QUrl::fromUserInput(text);
  if (!url.isValid() || url.host().isEmpty() ||
      (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
    return Unexpected{QStringLiteral("--server: '%1' is not an http(s)://host:port URL").arg(text)};
  }
  return url;
}

}  // namespace

Expected<std::pair<QUrl, QString>, QString> parse_link(const QUrl& link) {
  const QStringList path = link.path().split(QLatin1Char('/'), Qt::SkipEmptyParts);
  if (link.scheme() != QLatin1String("streamsync") || link.host().isEmpty() || path.size() != 2 ||
      path[0] != QLatin1String("channel")) {
    return Unexpected{QStringLiteral("'%1' is not a streamsync://host:port/channel/ID link")
                          .arg(link.toString())};
  }
  QUrl server;
  server.setScheme(QStringLiteral("http"));
  server.setHost(link.host());
  server.setPort(link.port(8080));
  return std::pair{server, path[1]};
}

Expected<LaunchOptions, QString> parse_command_line(const QStringList& arguments) {
  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("StreamSync viewer: every viewer of a channel sees the same frame at the "
                     "same moment."));
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addPositionalArgument(QStringLiteral("link"),
                               QStringLiteral("A streamsync://host:port/channel/ID link."),
                               QStringLiteral("[link]"));
  const QCommandLineOption server({QStringLiteral("s"), QStringLiteral("server")},
                                  QStringLiteral("Server URL, e.g. http://localhost:8080."),
                                  QStringLiteral("url"));
  const QCommandLineOption channel({QStringLiteral("c"), QStringLiteral("channel")},
                                   QStringLiteral("Channel id to open."), QStringLiteral("id"));
  // Not --name: Qt's X11 platform takes -name/--name (the window class) for itself.
  const QCommandLineOption name(QStringLiteral("display-name"),
                                QStringLiteral("Display name shown to the server."),
                                QStringLiteral("name"));
  const QCommandLineOption headless(QStringLiteral("headless"),
                                    QStringLiteral("No window: the sync engine only (needs "
                                                   "--server and --channel)."));
  const QCommandLineOption report(QStringLiteral("report"),
                                  QStringLiteral("Write one JSON line per sync tick."),
                                  QStringLiteral("file.jsonl"));
  const QCommandLineOption duration(QStringLiteral("duration"),
                                    QStringLiteral("Headless: quit after this many seconds."),
                                    QStringLiteral("seconds"));
  const QCommandLineOption skew(QStringLiteral("clock-skew-ms"),
                                QStringLiteral("Shift this client's clock (benchmarks)."),
                                QStringLiteral("ms"));
  const QCommandLineOption drift(QStringLiteral("clock-drift-ppm"),
                                 QStringLiteral("Make this client's clock run fast or slow."),
                                 QStringLiteral("ppm"));
  const QCommandLineOption audio(QStringLiteral("audio"),
                                 QStringLiteral("Headless: play audio (default: none)."));
  const QCommandLineOption quality(QStringLiteral("quality"),
                                   QStringLiteral("Pin a rendition (e.g. 360p); default auto."),
                                   QStringLiteral("name"));
  const QCommandLineOption presentation(
      QStringLiteral("presentation"),
      QStringLiteral("Window: video only, edge to edge (kiosks, signage, screen measurements)."));
  const QCommandLineOption ntp_port(
      QStringLiteral("ntp-port"),
      QStringLiteral("Time service UDP port, when it differs from the one the server names "
                     "(e.g. behind a relay)."),
      QStringLiteral("port"));
  parser.addOptions({server, channel, name, headless, report, duration, skew, drift, audio, quality,
                     presentation, ntp_port});
  parser.process(arguments);  // --help, --version and unknown options exit here

  LaunchOptions options;
  if (parser.positionalArguments().size() > 1) {
    return Unexpected{QStringLiteral("at most one streamsync:// link")};
  }
  if (!parser.positionalArguments().isEmpty()) {
    auto link = parse_link(QUrl(parser.positionalArguments().front()));
    if (!link) return Unexpected{link.error()};
    options.server = link->first;
    options.channel_id = link->second;
  }
  if (parser.isSet(server)) {
    auto url = parse_server_url(parser.value(server));
    if (!url) return Unexpected{url.error()};
    options.server = *url;
  }
  if (parser.isSet(channel)) options.channel_id = parser.value(channel);
  options.display_name = parser.value(name);
  options.headless = parser.isSet(headless);
  options.report_path = parser.value(report);
  options.audio = parser.isSet(audio);
  options.quality = parser.value(quality);
  options.presentation = parser.isSet(presentation);
  if (parser.isSet(ntp_port)) {
    bool ok = false;
    const uint port = parser.value(ntp_port).toUInt(&ok);
    if (!ok || port == 0 || port > 65535) {
      return Unexpected{
          QStringLiteral("--ntp-port: '%1' is not a port (1-65535)").arg(parser.value(ntp_port))};
    }
    options.ntp_port = static_cast<std::uint16_t>(port);
  }

  const auto number = [&](const QCommandLineOption& option, double& out) -> std::optional<QString> {
    if (!parser.isSet(option)) return std::nullopt;
    bool ok = false;
    out = parser.value(option).toDouble(&ok);
    if (!ok) {
      return QStringLiteral("--%1: '%2' is not a number")
          .arg(option.names().back(), parser.value(option));
    }
    return std::nullopt;
  };
  double skew_ms = 0;
  for (auto [option, out] : {std::pair{&duration, &options.duration_s}, std::pair{&skew, &skew_ms},
                             std::pair{&drift, &options.clock_drift_ppm}}) {
    if (auto error = number(*option, *out)) return Unexpected{*error};
  }
  options.clock_skew_us = static_cast<std::int64_t>(skew_ms * 1000);
  if (options.duration_s < 0) return Unexpected{QStringLiteral("--duration must not be negative")};
  if (options.headless && (!options.server || options.channel_id.isEmpty())) {
    return Unexpected{QStringLiteral("--headless needs --server and --channel (or a link)")};
  }
  return options;
}

}  // namespace streamsync::viewer
