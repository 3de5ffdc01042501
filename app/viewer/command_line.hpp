#pragma once

// The viewer's command line: `streamsync [--server URL] [--channel ID] [LINK]` opens that
// channel (LINK: streamsync://host:port/channel/ID); `--headless` runs the same engine
// without a window for tests and benchmarks, writing JSON lines with --report.

#include <QString>
#include <QStringList>
#include <QUrl>
#include <cstdint>
#include <optional>

#include "util/expected.hpp"

namespace streamsync::viewer {

struct LaunchOptions {
  std::optional<QUrl> server;  // http://host:port
  QString channel_id;
  QString display_name;
  bool headless = false;
  QString report_path;    // headless: JSON lines, one per sync tick
  double duration_s = 0;  // headless: quit after this long; 0 runs until killed
  std::int64_t clock_skew_us = 0;
  double clock_drift_ppm = 0;
  bool audio = false;          // headless: audio output (off: ao=null)
  QString quality;             // "" automatic, else a rendition name ("360p")
  bool presentation = false;   // window: video only, edge to edge
  std::uint16_t ntp_port = 0;  // 0: the port the server names (GET /api/v1/time)
};

// Parses arguments (argv[0] first). --help and --version print and exit the process, as
// is usual for a command line; anything wrong is an error message for stderr.
Expected<LaunchOptions, QString> parse_command_line(const QStringList& arguments);

// A streamsync://host:port/channel/ID link as server URL and channel id.
Expected<std::pair<QUrl, QString>, QString> parse_link(const QUrl& link);

}  // namespace streamsync::viewer
