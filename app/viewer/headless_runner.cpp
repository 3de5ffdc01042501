#include "headless_runner.hpp"

#include <QCoreApplication>
#include <QTimer>
#include <QUuid>
#include <cstdio>
#include <memory>

#include "engine/channel_session.hpp"
#include "engine/tick_report.hpp"
#include "mpv_player.hpp"
#include "net/api_client.hpp"

namespace streamsync::viewer {
namespace {

void log_line(const QString& text) {
  std::fprintf(stderr, "streamsync: %s\n", text.toLocal8Bit().constData());
}

}  // namespace

int run_headless(const LaunchOptions& options) {
  const LocalClock clock(options.clock_skew_us, options.clock_drift_ppm);
  ApiClient api(*options.server);
  std::unique_ptr<player::MpvPlayer> player;
  try {
    player = std::make_unique<player::MpvPlayer>(
        player::MpvPlayerOptions{/*render_video=*/false, options.audio,
                                 /*hardware_decoding=*/false, QString()});
  } catch (const std::exception& error) {
    log_line(QString::fromUtf8(error.what()));
    return 1;
  }

  TickReport report;
  if (!options.report_path.isEmpty() && !report.open(options.report_path)) {
    log_line(QStringLiteral("cannot write %1: %2").arg(options.report_path, report.error()));
    return 1;
  }

  // A headless viewer is a fresh identity each run: benchmarks start many at once.
  const QString viewer_id = QUuid::createUuid().toString(QUuid::WithoutBraces);
  const QString name = options.display_name.isEmpty()
                           ? QStringLiteral("headless-%1").arg(QCoreApplication::applicationPid())
                           : options.display_name;
  api.register_viewer({viewer_id.toStdString(), name.toStdString()},
                      [](Expected<std::monostate, QString> registered) {
                        if (!registered)
                          log_line(QStringLiteral("register: ") + registered.error());
                      });

  ChannelSession session(api, clock, *player,
                         {viewer_id, SyncPolicy{}, options.quality, options.ntp_port});
  QObject::connect(&session, &ChannelSession::failed, [](const QString& message) {
    log_line(message);
    QCoreApplication::exit(1);
  });
  QObject::connect(&session, &ChannelSession::problem,
                   [](const QString& message) { log_line(message); });
  ViewerState last_state = ViewerState::connecting;
  QObject::connect(&session, &ChannelSession::ticked, [&](const SyncTick& tick) {
    if (report.is_open()) report.write(tick);
    if (tick.state != last_state) {
      last_state = tick.state;
      log_line(QStringLiteral("state=%1 error_ms=%2 item=%3")
                   .arg(QString::fromLatin1(to_string(tick.state)))
                   .arg(tick.error_ms.value_or(0.0), 0, 'f', 2)
                   .arg(tick.item));
    }
  });
  if (options.duration_s > 0) {
    QTimer::singleShot(static_cast<int>(options.duration_s * 1000), QCoreApplication::instance(),
                       &QCoreApplication::quit);
  }
  session.join(options.channel_id);
  return QCoreApplication::exec();
}

}  // namespace streamsync::viewer
