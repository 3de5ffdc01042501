#pragma once

// VideoPage: where the channel plays. The player's video surface (given from outside)
// fills it; over it sit the countdown/ended overlay and the stats panel (I); under it a
// bar with the title, a display-only progress bar, volume and mute, and full screen.
// Everyone watches the same moment, so there is nothing to seek with: the progress bar
// takes no input and the keys players use for seeking and pausing are swallowed here.
// Passive: user intent goes out as signals, state comes in through slots.

#include <QString>
#include <QWidget>
#include <cstdint>

#include "engine/sync_tick.hpp"

class QLabel;
class QProgressBar;
class QSlider;
class QToolButton;

namespace streamsync::viewer {

class StatsOverlay;

class VideoPage : public QWidget {
  Q_OBJECT

 public:
  explicit VideoPage(QWidget* parent = nullptr);

  // The widget the player renders into (MpvVideoWidget). The page takes ownership and
  // deletes a surface it had before.
  void set_video_surface(QWidget* surface);
  QWidget* video_surface() const { return surface_; }

  bool stats_visible() const;
  bool full_screen() const { return full_screen_; }

 public slots:
  // Progress, countdown/ended overlay and stats from the sync loop's latest tick.
  void show_tick(const streamsync::viewer::SyncTick& tick);
  // The channel being joined or watched; clears what belonged to the previous one.
  void show_channel(const QString& channel_name);
  // The schedule item on air: its title, and where it starts and how long it runs in its
  // video's media (the progress bar spans exactly that).
  void show_item(const QString& title, std::int64_t in_point_us, std::int64_t duration_us);
  // Initial or remembered values; these do not emit volume_changed / mute_toggled.
  void set_volume(int volume);
  void set_muted(bool muted);
  void set_stats_visible(bool visible);
  // The window's state, so that F and double-click toggle from it and Esc knows to leave.
  void set_full_screen(bool full_screen);
  // The bar under the video (title, progress, volume); hidden in presentation mode.
  void set_controls_visible(bool visible);

 signals:
  void volume_changed(int volume);  // 0..100, from the slider
  void mute_toggled(bool muted);
  void full_screen_requested(bool full_screen);
  void stats_visibility_changed(bool visible);

 protected:
  void keyPressEvent(QKeyEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;

 private:
  void update_title();
  void update_mute_icon();

  QWidget* video_area_;
  QWidget* controls_ = nullptr;
  QWidget* surface_ = nullptr;
  QLabel* overlay_;
  StatsOverlay* stats_;
  QLabel* title_;
  QProgressBar* progress_;
  QLabel* time_;
  QToolButton* mute_;
  QSlider* volume_;
  QToolButton* full_screen_button_;

  QString channel_name_;
  QString item_title_;
  std::int64_t item_in_point_us_ = 0;
  std::int64_t item_duration_us_ = 0;
  bool full_screen_ = false;
};

}  // namespace streamsync::viewer
