#pragma once

// MainWindow: the viewer's window. Channel list on the left, the video page on the right,
// the sync status always visible in the status bar, an error banner on top, and the
// actions Settings… (Ctrl+,), Full screen (F), Stats (I) and Quit (Ctrl+Q).
// It knows nothing of the network or the player: requests go out as signals, and
// whoever composes the app feeds it channels, presence, sync ticks and errors through
// the show_* slots. Nothing it is shown can crash it; bad news becomes a banner.

#include <QMainWindow>
#include <QString>
#include <cstdint>
#include <vector>

#include "engine/sync_tick.hpp"
#include "protocol/api_messages.hpp"

class QAction;
class QSplitter;

namespace streamsync::viewer {

class ChannelListModel;
class ChannelListView;
class ErrorBanner;
class SyncStatusIndicator;
class VideoPage;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);

  // The parts, for wiring (set_video_surface, poster loading, initial volume) and tests.
  VideoPage* video_page() const { return video_page_; }
  ChannelListModel* channel_model() const { return channel_model_; }
  ChannelListView* channel_list() const { return channel_list_; }
  SyncStatusIndicator* status_indicator() const { return status_; }
  ErrorBanner* error_banner() const { return banner_; }

 public slots:
  // GET /api/v1/channels answered: the list, and the server time of the answer.
  void show_channels(std::vector<streamsync::ChannelSummary> channels, std::int64_t server_time_us);
  // The server's time now, to advance progress and countdowns between list refreshes.
  void show_server_time(std::int64_t server_time_us);
  // A presence event: the channel's viewer count.
  void show_presence(const QString& channel_id, qint64 viewers);
  // The sync loop's latest tick: status line, video page, stats.
  void show_tick(const streamsync::viewer::SyncTick& tick);
  // Something went wrong; shown in the banner, never modal.
  void show_error(const QString& message);
  // A channel is being joined: the status says so until its first tick.
  void show_joining(const QString& channel_name);
  void set_full_screen(bool full_screen);
  // Video only, edge to edge: no menu, channel list, status bar or controls. For kiosks,
  // signage and measuring what the screen shows (bench/e2e's screen ground truth).
  void set_presentation_mode(bool presentation);

 signals:
  void join_requested(const QString& channel_id);
  void settings_requested();
  void volume_changed(int volume);
  void mute_toggled(bool muted);

 protected:
  void keyPressEvent(QKeyEvent* event) override;

 private:
  void create_actions();

  ChannelListModel* channel_model_;
  ChannelListView* channel_list_;
  VideoPage* video_page_;
  SyncStatusIndicator* status_;
  ErrorBanner* banner_;
  QSplitter* splitter_;
  QAction* full_screen_action_ = nullptr;
  QAction* stats_action_ = nullptr;
  bool was_maximized_ = false;  // the state to return to when full screen ends
};

}  // namespace streamsync::viewer
