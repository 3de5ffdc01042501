#include "viewer_app.hpp"

#include <QApplication>
#include <QDateTime>
#include <QMessageBox>
#include <QPixmap>

#include "ui/channel_list_model.hpp"
#include "ui/first_run_dialog.hpp"
#include "ui/settings_dialog.hpp"
#include "ui/video_page.hpp"

namespace streamsync::viewer {
namespace {

// The channel list's now-playing progress and viewer counts are refreshed this often;
// presence of the watched channel arrives over its WebSocket at once.
constexpr int kChannelRefreshIntervalMs = 5000;
constexpr int kClockDisplayIntervalMs = 1000;

// Settings keep Qt Multimedia's device id (what the settings dialog lists); mpv names
// devices by its own audio outputs. On Linux Qt's id is the PulseAudio (or PipeWire's
// Pulse) sink name, mpv's "pulse/<sink>". Elsewhere the ids do not map one to one yet, and
// the system default is used.
QString mpv_audio_device(const QString& qt_device_id) {
#ifdef Q_OS_LINUX
  if (!qt_device_id.isEmpty()) return QStringLiteral("pulse/") + qt_device_id;
#endif
  Q_UNUSED(qt_device_id);
  return QString();
}

// The screen stays on while the channel is on it or about to start; an ended channel, a
// lost server whose buffer ran out and the channel list let it sleep.
bool wants_screen_awake(ViewerState state) {
  switch (state) {
    case ViewerState::countdown:
    case ViewerState::seeking:
    case ViewerState::buffering:
    case ViewerState::correcting:
    case ViewerState::in_sync:
    case ViewerState::reconnecting:
      return true;
    case ViewerState::connecting:
    case ViewerState::ended:
    case ViewerState::offline:
      return false;
  }
  return false;
}

}  // namespace

ViewerApp::ViewerApp(AppSettings& settings, const LaunchOptions& options, QObject* parent)
    : QObject(parent),
      settings_(settings),
      options_(options),
      clock_(options.clock_skew_us, options.clock_drift_ppm),
      keep_awake_(QStringLiteral("StreamSync"), QStringLiteral("Playing a channel")) {
  player::MpvPlayerOptions player_options;
  player_options.render_video = true;
  player_options.audio = true;
  player_options.hardware_decoding = settings_.hardware_decoding();
  player_options.audio_device = mpv_audio_device(settings_.audio_device());
  player_ = std::make_unique<player::MpvPlayer>(player_options);
  player_->set_volume(settings_.volume());
  player_->set_muted(settings_.muted());

  window_ = std::make_unique<MainWindow>();
  video_ = new player::MpvVideoWidget(*player_);
  window_->video_page()->set_video_surface(video_);
  connect(window_.get(), &MainWindow::join_requested, this, &ViewerApp::join);
  connect(window_->channel_model(), &ChannelListModel::poster_needed, this,
          &ViewerApp::fetch_poster);
  connect(window_.get(), &MainWindow::settings_requested, this, &ViewerApp::open_settings);
  window_->video_page()->set_volume(settings_.volume());
  window_->video_page()->set_muted(settings_.muted());
  connect(window_.get(), &MainWindow::volume_changed, this, [this](int percent) {
    player_->set_volume(percent);
    settings_.set_volume(percent);
  });
  connect(window_.get(), &MainWindow::mute_toggled, this, [this](bool muted) {
    player_->set_muted(muted);
    settings_.set_muted(muted);
  });
  channel_refresh_timer_.setInterval(kChannelRefreshIntervalMs);
  connect(&channel_refresh_timer_, &QTimer::timeout, this, &ViewerApp::refresh_channels);
  // Between refreshes the list's progress bars and countdowns move with server time.
  clock_display_timer_.setInterval(kClockDisplayIntervalMs);
  connect(&clock_display_timer_, &QTimer::timeout, this,
          [this] { window_->show_server_time(server_time_us()); });
  clock_display_timer_.start();
}

ViewerApp::~ViewerApp() = default;

bool ViewerApp::start() {
  if (options_.server) settings_.set_server_url(options_.server->toString());
  if (!options_.display_name.isEmpty()) settings_.set_display_name(options_.display_name);
  if (settings_.first_run()) {
    FirstRunDialog dialog(settings_);  // saves both on Ok
    if (dialog.exec() != QDialog::Accepted) return false;
  }
  window_->set_presentation_mode(options_.presentation);
  window_->show();
  connect_to_server();
  if (!options_.channel_id.isEmpty()) join_when_ready(options_.channel_id);
  return true;
}

void ViewerApp::connect_to_server() {
  session_.reset();
  keep_awake_.set_active(false);
  api_ = std::make_unique<ApiClient>(QUrl(settings_.server_url()));
  api_->register_viewer(
      {settings_.viewer_id().toStdString(), settings_.display_name().toStdString()},
      [this](Expected<std::monostate, QString> registered) {
        if (!registered) window_->show_error(registered.error());
      });
  refresh_channels();
  channel_refresh_timer_.start();
}

void ViewerApp::refresh_channels() {
  api_->fetch_channels([this](Expected<std::vector<ChannelSummary>, QString> channels) {
    if (!channels) {
      window_->show_error(channels.error());
      return;
    }
    window_->show_channels(*channels, server_time_us());
  });
}

void ViewerApp::fetch_poster(const QString& channel_id, const QString& poster_url) {
  api_->fetch_bytes(poster_url, [this, channel_id](Expected<QByteArray, QString> bytes) {
    QPixmap poster;
    // A missing or broken poster leaves the placeholder: not worth a message.
    if (bytes && poster.loadFromData(*bytes)) {
      window_->channel_model()->set_poster(channel_id, poster);
    }
  });
}

void ViewerApp::join_when_ready(const QString& channel_id) {
  // vo=libmpv needs the render context before the first video frame is decoded; it
  // exists once the surface has been shown.
  if (video_->ready()) {
    join(channel_id);
    return;
  }
  connect(
      video_, &player::MpvVideoWidget::render_ready, this, [this, channel_id] { join(channel_id); },
      Qt::SingleShotConnection);
}

void ViewerApp::join(const QString& channel_id) {
  session_.reset();  // leaving the previous channel
  shown_video_id_.clear();
  session_ = std::make_unique<ChannelSession>(*api_, clock_, *player_, session_options());
  ChannelSession* session = session_.get();
  connect(session, &ChannelSession::joined, this, [this](const ChannelSummary& channel) {
    window_->show_joining(QString::fromStdString(channel.name));
  });
  connect(session, &ChannelSession::failed, window_.get(), &MainWindow::show_error);
  connect(session, &ChannelSession::problem, window_.get(), &MainWindow::show_error);
  connect(session, &ChannelSession::presence_changed, this,
          [this, channel_id](qint64 viewers) { window_->show_presence(channel_id, viewers); });
  connect(session, &ChannelSession::ticked, this, [this](const SyncTick& tick) {
    show_item_of(tick);
    keep_awake_.set_active(wants_screen_awake(tick.state));
    window_->show_tick(tick);
    emit ticked(tick);
  });
  session->join(channel_id);
}

void ViewerApp::show_item_of(const SyncTick& tick) {
  if (tick.video_id.empty() || (tick.video_id == shown_video_id_ && tick.item == shown_item_)) {
    return;
  }
  const VideoInfo* video = session_->media().find(QString::fromStdString(tick.video_id));
  if (video == nullptr) return;  // asked for; shown on a later tick
  shown_video_id_ = tick.video_id;
  shown_item_ = tick.item;
  window_->video_page()->show_item(video->title, tick.item_in_point_us, tick.item_duration_us);
  rendition_names_.clear();
  for (const Rendition& rendition : video->renditions) rendition_names_ << rendition.name;
}

std::int64_t ViewerApp::server_time_us() const {
  // The session's estimate once watching, else the wall clock: a list of channels does
  // not need milliseconds.
  if (session_ && session_->clock_synced()) return session_->server_now_us();
  return QDateTime::currentMSecsSinceEpoch() * 1000;
}

SessionOptions ViewerApp::session_options() const {
  SessionOptions options;
  options.viewer_id = settings_.viewer_id();
  options.policy = settings_.sync_policy();
  options.pinned_quality =
      options_.quality.isEmpty() ? settings_.pinned_quality() : options_.quality;
  options.ntp_port = options_.ntp_port;
  return options;
}

void ViewerApp::open_settings() {
  const QString server_before = settings_.server_url();
  SettingsDialog dialog(settings_, rendition_names_, window_.get());
  if (dialog.exec() != QDialog::Accepted) return;
  player_->set_hardware_decoding(settings_.hardware_decoding());
  player_->set_audio_device(mpv_audio_device(settings_.audio_device()));
  const QString watching = session_ ? session_->channel_id() : QString();
  if (settings_.server_url() != server_before) {
    connect_to_server();
    return;
  }
  // New thresholds or quality take effect by rejoining: a held seek, no visible jump.
  if (!watching.isEmpty()) join(watching);
}

}  // namespace streamsync::viewer
