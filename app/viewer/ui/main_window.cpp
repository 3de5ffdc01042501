#include "ui/main_window.hpp"

#include <QAction>
#include <QKeyEvent>
#include <QMenuBar>
#include <QSplitter>
#include <QStatusBar>
#include <QVBoxLayout>

#include "ui/channel_list_model.hpp"
#include "ui/channel_list_view.hpp"
#include "ui/error_banner.hpp"
#include "ui/sync_status_indicator.hpp"
#include "ui/video_page.hpp"

namespace streamsync::viewer {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      channel_model_(new ChannelListModel(this)),
      channel_list_(new ChannelListView),
      video_page_(new VideoPage),
      status_(new SyncStatusIndicator),
      banner_(new ErrorBanner),
      splitter_(new QSplitter(Qt::Horizontal)) {
  setObjectName(QStringLiteral("mainWindow"));
  setWindowTitle(QStringLiteral("StreamSync"));
  resize(1280, 720);

  channel_list_->setModel(channel_model_);
  channel_list_->setMinimumWidth(260);
  splitter_->addWidget(channel_list_);
  splitter_->addWidget(video_page_);
  splitter_->setStretchFactor(0, 0);
  splitter_->setStretchFactor(1, 1);
  splitter_->setSizes({340, 940});
  splitter_->setChildrenCollapsible(false);

  auto* central = new QWidget;
  auto* layout = new QVBoxLayout(central);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addWidget(banner_);
  layout->addWidget(splitter_, 1);
  setCentralWidget(central);

  // Permanent: temporary status-bar messages never cover it.
  statusBar()->addPermanentWidget(status_, 1);

  create_actions();

  connect(channel_list_, &ChannelListView::join_requested, this, &MainWindow::join_requested);
  connect(video_page_, &VideoPage::volume_changed, this, &MainWindow::volume_changed);
  connect(video_page_, &VideoPage::mute_toggled, this, &MainWindow::mute_toggled);
  connect(video_page_, &VideoPage::full_screen_requested, this, &MainWindow::set_full_screen);
  connect(video_page_, &VideoPage::stats_visibility_changed, stats_action_, &QAction::setChecked);
}

void MainWindow::create_actions() {
  QMenu* app_menu = menuBar()->addMenu(tr("&StreamSync"));
  QAction* settings = app_menu->addAction(tr("&Settings…"));
  settings->setObjectName(QStringLiteral("settingsAction"));
  settings->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
  settings->setMenuRole(QAction::PreferencesRole);
  connect(settings, &QAction::triggered, this, &MainWindow::settings_requested);
  app_menu->addSeparator();
  QAction* quit = app_menu->addAction(tr("&Quit"));
  quit->setObjectName(QStringLiteral("quitAction"));
  quit->setShortcut(QKeySequence::Quit);
  quit->setMenuRole(QAction::QuitRole);
  connect(quit, &QAction::triggered, this, &MainWindow::close);

  QMenu* view_menu = menuBar()->addMenu(tr("&View"));
  full_screen_action_ = view_menu->addAction(tr("&Full screen"));
  full_screen_action_->setObjectName(QStringLiteral("fullScreenAction"));
  full_screen_action_->setShortcut(QKeySequence(Qt::Key_F));
  full_screen_action_->setCheckable(true);
  connect(full_screen_action_, &QAction::toggled, this, &MainWindow::set_full_screen);
  stats_action_ = view_menu->addAction(tr("Statistics"));
  stats_action_->setObjectName(QStringLiteral("statsAction"));
  stats_action_->setShortcut(QKeySequence(Qt::Key_I));
  stats_action_->setCheckable(true);
  connect(stats_action_, &QAction::toggled, video_page_, &VideoPage::set_stats_visible);
  // The menu bar hides in full screen; the shortcuts must keep working there.
  addAction(full_screen_action_);
  addAction(stats_action_);
}

void MainWindow::show_channels(std::vector<ChannelSummary> channels, std::int64_t server_time_us) {
  channel_model_->set_server_time_us(server_time_us);
  channel_model_->update_channels(std::move(channels));
  // Someone who has not picked anything yet can press Enter straight away.
  if (!channel_list_->currentIndex().isValid() && channel_model_->rowCount() > 0) {
    channel_list_->setCurrentIndex(channel_model_->index(0));
  }
}

void MainWindow::show_server_time(std::int64_t server_time_us) {
  channel_model_->set_server_time_us(server_time_us);
}

void MainWindow::show_presence(const QString& channel_id, qint64 viewers) {
  channel_model_->set_viewer_count(channel_id, viewers);
}

void MainWindow::show_tick(const SyncTick& tick) {
  status_->show_tick(tick);
  video_page_->show_tick(tick);
  if (tick.server_us) channel_model_->set_server_time_us(*tick.server_us);
}

void MainWindow::show_error(const QString& message) {
  banner_->show_message(message);
}

void MainWindow::show_joining(const QString& channel_name) {
  status_->show_joining();
  video_page_->show_channel(channel_name);
  setWindowTitle(channel_name.isEmpty() ? QStringLiteral("StreamSync")
                                        : tr("%1 — StreamSync").arg(channel_name));
}

void MainWindow::set_full_screen(bool full_screen) {
  if (full_screen == isFullScreen()) {
    video_page_->set_full_screen(full_screen);
    return;
  }
  if (full_screen) {
    was_maximized_ = isMaximized();
    menuBar()->hide();
    channel_list_->hide();
    showFullScreen();
    video_page_->setFocus();
  } else {
    menuBar()->show();
    channel_list_->show();
    if (was_maximized_) {
      showMaximized();
    } else {
      showNormal();
    }
  }
  full_screen_action_->setChecked(full_screen);
  video_page_->set_full_screen(full_screen);
}

void MainWindow::set_presentation_mode(bool presentation) {
  menuBar()->setVisible(!presentation);
  channel_list_->setVisible(!presentation);
  statusBar()->setVisible(!presentation);
  video_page_->set_controls_visible(!presentation);
}

void MainWindow::keyPressEvent(QKeyEvent* event) {
  // Esc leaves full screen wherever the focus is.
  if (event->key() == Qt::Key_Escape && isFullScreen()) {
    set_full_screen(false);
    event->accept();
    return;
  }
  QMainWindow::keyPressEvent(event);
}

}  // namespace streamsync::viewer
