#pragma once

// ViewerApp: the desktop app put together: settings and identity, the main window with
// its channel list and video page, the player and its render surface, and the channel
// being watched (a ChannelSession, replaced on every switch). The GUI test drives the
// same object main() runs.

#include <QObject>
#include <QTimer>
#include <memory>

#include "command_line.hpp"
#include "engine/channel_session.hpp"
#include "engine/local_clock.hpp"
#include "mpv_player.hpp"
#include "mpv_video_widget.hpp"
#include "net/api_client.hpp"
#include "platform/keep_awake.hpp"
#include "settings/app_settings.hpp"
#include "ui/main_window.hpp"

namespace streamsync::viewer {

class ViewerApp : public QObject {
  Q_OBJECT

 public:
  // settings: where preferences live (QSettings' default location in the app, a temp
  // file in tests). Throws std::runtime_error when libmpv cannot start.
  ViewerApp(AppSettings& settings, const LaunchOptions& options, QObject* parent = nullptr);
  ~ViewerApp() override;

  // Shows the window, asking for server and name first when there are none yet; false
  // when the user cancelled that.
  bool start();

  MainWindow& window() { return *window_; }
  player::MpvPlayer& player() { return *player_; }
  player::MpvVideoWidget& video() { return *video_; }
  ChannelSession* session() { return session_.get(); }

 signals:
  void ticked(const streamsync::viewer::SyncTick& tick);

 private:
  void connect_to_server();
  void refresh_channels();
  void join(const QString& channel_id);
  void join_when_ready(const QString& channel_id);
  void open_settings();
  void show_item_of(const SyncTick& tick);
  void fetch_poster(const QString& channel_id, const QString& poster_url);
  std::int64_t server_time_us() const;
  SessionOptions session_options() const;

  AppSettings& settings_;
  LaunchOptions options_;
  LocalClock clock_;
  std::unique_ptr<ApiClient> api_;
  // Declared before the window: the render surface inside it must go before the player.
  std::unique_ptr<player::MpvPlayer> player_;
  std::unique_ptr<MainWindow> window_;
  player::MpvVideoWidget* video_ = nullptr;  // owned by the window
  std::unique_ptr<ChannelSession> session_;
  KeepAwake keep_awake_;
  QTimer channel_refresh_timer_;
  QTimer clock_display_timer_;
  std::string shown_video_id_;  // the item the video page shows the title of
  std::size_t shown_item_ = 0;
  QStringList rendition_names_;  // of the video on air, for the settings dialog
};

}  // namespace streamsync::viewer
