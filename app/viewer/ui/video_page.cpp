#include "ui/video_page.hpp"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QMouseEvent>
#include <QProgressBar>
#include <QSignalBlocker>
#include <QSlider>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "ui/stats_overlay.hpp"
#include "ui/time_format.hpp"

namespace streamsync::viewer {
namespace {

constexpr int kProgressSteps = 1000;

// Keys that seek, skip or pause in common players. The channel plays for everyone at
// once, so here they do nothing — and are eaten, so no parent acts on them either.
bool is_transport_key(int key) {
  switch (key) {
    case Qt::Key_Left:
    case Qt::Key_Right:
    case Qt::Key_Up:
    case Qt::Key_Down:
    case Qt::Key_PageUp:
    case Qt::Key_PageDown:
    case Qt::Key_Home:
    case Qt::Key_End:
    case Qt::Key_Space:
    case Qt::Key_Comma:   // mpv: frame step back
    case Qt::Key_Period:  // mpv: frame step
    case Qt::Key_MediaPlay:
    case Qt::Key_MediaPause:
    case Qt::Key_MediaTogglePlayPause:
    case Qt::Key_MediaStop:
    case Qt::Key_MediaNext:
    case Qt::Key_MediaPrevious:
    case Qt::Key_AudioForward:
    case Qt::Key_AudioRewind:
    case Qt::Key_Forward:
    case Qt::Key_Back:
      return true;
    default:
      return false;
  }
}

QToolButton* tool_button(const char* object_name, const QString& tip) {
  auto* button = new QToolButton;
  button->setObjectName(QString::fromLatin1(object_name));
  button->setToolTip(tip);
  button->setAutoRaise(true);
  // Keys stay with the page, where seeking keys are swallowed.
  button->setFocusPolicy(Qt::NoFocus);
  return button;
}

}  // namespace

VideoPage::VideoPage(QWidget* parent)
    : QWidget(parent),
      video_area_(new QWidget),
      overlay_(new QLabel),
      stats_(new StatsOverlay),
      title_(new QLabel),
      progress_(new QProgressBar),
      time_(new QLabel),
      mute_(tool_button("mute", tr("Mute"))),
      volume_(new QSlider(Qt::Horizontal)),
      full_screen_button_(tool_button("fullScreen", tr("Full screen (F)"))) {
  setObjectName(QStringLiteral("videoPage"));
  setFocusPolicy(Qt::StrongFocus);

  video_area_->setObjectName(QStringLiteral("videoArea"));
  video_area_->setAutoFillBackground(true);
  QPalette black = video_area_->palette();
  black.setColor(QPalette::Window, Qt::black);
  video_area_->setPalette(black);
  video_area_->setMinimumSize(320, 180);

  overlay_->setObjectName(QStringLiteral("stateOverlay"));
  overlay_->setTextFormat(Qt::PlainText);
  overlay_->setAlignment(Qt::AlignCenter);
  overlay_->setAttribute(Qt::WA_TransparentForMouseEvents);
  QFont big = overlay_->font();
  constexpr double kOverlayScale = 2.5;
  if (big.pointSizeF() > 0) {
    big.setPointSizeF(big.pointSizeF() * kOverlayScale);
  } else {  // a font sized in pixels
    big.setPixelSize(static_cast<int>(big.pixelSize() * kOverlayScale));
  }
  big.setBold(true);
  overlay_->setFont(big);
  QPalette white = overlay_->palette();
  white.setColor(QPalette::WindowText, Qt::white);
  overlay_->setPalette(white);
  overlay_->hide();
  stats_->hide();

  // Overlays share the surface's grid cell; raise() keeps them above it.
  auto* area_layout = new QGridLayout(video_area_);
  area_layout->setContentsMargins(0, 0, 0, 0);
  area_layout->addWidget(overlay_, 0, 0, Qt::AlignCenter);
  area_layout->addWidget(stats_, 0, 0, Qt::AlignLeft | Qt::AlignTop);

  title_->setObjectName(QStringLiteral("title"));
  title_->setTextFormat(Qt::PlainText);
  progress_->setObjectName(QStringLiteral("progress"));
  progress_->setRange(0, kProgressSteps);
  progress_->setValue(0);
  progress_->setTextVisible(false);
  progress_->setMaximumHeight(8);
  // Display only: no focus, and clicks fall through to the page.
  progress_->setFocusPolicy(Qt::NoFocus);
  progress_->setAttribute(Qt::WA_TransparentForMouseEvents);
  time_->setObjectName(QStringLiteral("time"));
  time_->setTextFormat(Qt::PlainText);
  mute_->setCheckable(true);
  volume_->setObjectName(QStringLiteral("volume"));
  volume_->setRange(0, 100);
  volume_->setValue(100);
  volume_->setMaximumWidth(120);
  volume_->setFocusPolicy(Qt::NoFocus);
  volume_->setToolTip(tr("Volume"));
  full_screen_button_->setIcon(style()->standardIcon(QStyle::SP_TitleBarMaxButton));
  update_mute_icon();

  connect(volume_, &QSlider::valueChanged, this, &VideoPage::volume_changed);
  connect(mute_, &QToolButton::toggled, this, [this](bool muted) {
    update_mute_icon();
    emit mute_toggled(muted);
  });
  connect(full_screen_button_, &QToolButton::clicked, this,
          [this] { emit full_screen_requested(!full_screen_); });

  controls_ = new QWidget;
  auto* bar = new QHBoxLayout(controls_);
  bar->setContentsMargins(8, 4, 8, 4);
  bar->addWidget(title_);
  bar->addWidget(progress_, 1);
  bar->addWidget(time_);
  bar->addWidget(mute_);
  bar->addWidget(volume_);
  bar->addWidget(full_screen_button_);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addWidget(video_area_, 1);
  layout->addWidget(controls_);
}

void VideoPage::set_controls_visible(bool visible) {
  controls_->setVisible(visible);
}

void VideoPage::set_video_surface(QWidget* surface) {
  if (surface == surface_) return;
  delete surface_;
  surface_ = surface;
  if (!surface_) return;
  auto* area_layout = static_cast<QGridLayout*>(video_area_->layout());
  area_layout->addWidget(surface_, 0, 0);
  // Keys belong to the page (and its swallowing of seek keys), not to the surface.
  surface_->setFocusPolicy(Qt::NoFocus);
  overlay_->raise();
  stats_->raise();
}

bool VideoPage::stats_visible() const {
  return !stats_->isHidden();
}

void VideoPage::show_tick(const SyncTick& tick) {
  stats_->show_tick(tick);

  switch (tick.state) {
    case ViewerState::countdown:
      overlay_->setText(tr("Starts in %1").arg(format_countdown(tick.starts_in_us.value_or(0))));
      overlay_->show();
      progress_->setValue(0);
      time_->clear();
      return;
    case ViewerState::ended:
      overlay_->setText(tr("Ended"));
      overlay_->show();
      return;
    default:
      overlay_->hide();
      break;
  }

  if (item_duration_us_ <= 0) return;
  // Where the schedule is (target), not where this player happens to be: the bar shows
  // the channel's moment, steady through seeks and stalls.
  const auto offset_us =
      std::clamp(static_cast<std::int64_t>(std::llround(tick.target_s * 1e6)) - item_in_point_us_,
                 std::int64_t{0}, item_duration_us_);
  progress_->setValue(static_cast<int>(offset_us * kProgressSteps / item_duration_us_));
  time_->setText(format_position(offset_us) + QStringLiteral(" / ") +
                 format_position(item_duration_us_));
}

void VideoPage::show_channel(const QString& channel_name) {
  channel_name_ = channel_name;
  item_title_.clear();
  item_in_point_us_ = 0;
  item_duration_us_ = 0;
  progress_->setValue(0);
  time_->clear();
  overlay_->hide();
  update_title();
}

void VideoPage::show_item(const QString& title, std::int64_t in_point_us,
                          std::int64_t duration_us) {
  item_title_ = title;
  item_in_point_us_ = in_point_us;
  item_duration_us_ = duration_us;
  update_title();
}

void VideoPage::set_volume(int volume) {
  const QSignalBlocker quiet(volume_);
  volume_->setValue(volume);
}

void VideoPage::set_muted(bool muted) {
  const QSignalBlocker quiet(mute_);
  mute_->setChecked(muted);
  update_mute_icon();
}

void VideoPage::set_stats_visible(bool visible) {
  if (visible == stats_visible()) return;
  stats_->setVisible(visible);
  emit stats_visibility_changed(visible);
}

void VideoPage::set_full_screen(bool full_screen) {
  full_screen_ = full_screen;
  full_screen_button_->setIcon(style()->standardIcon(full_screen ? QStyle::SP_TitleBarNormalButton
                                                                 : QStyle::SP_TitleBarMaxButton));
  full_screen_button_->setToolTip(full_screen ? tr("Leave full screen (Esc)")
                                              : tr("Full screen (F)"));
}

void VideoPage::keyPressEvent(QKeyEvent* event) {
  const int key = event->key();
  if (is_transport_key(key)) {
    event->accept();
    return;
  }
  if (key == Qt::Key_F) {
    emit full_screen_requested(!full_screen_);
  } else if (key == Qt::Key_Escape && full_screen_) {
    emit full_screen_requested(false);
  } else if (key == Qt::Key_I) {
    set_stats_visible(!stats_visible());
  } else {
    QWidget::keyPressEvent(event);
    return;
  }
  event->accept();
}

void VideoPage::mouseDoubleClickEvent(QMouseEvent* event) {
  if (!video_area_->geometry().contains(event->position().toPoint())) {
    QWidget::mouseDoubleClickEvent(event);
    return;
  }
  emit full_screen_requested(!full_screen_);
  event->accept();
}

void VideoPage::update_title() {
  title_->setText(item_title_.isEmpty() ? channel_name_
                                        : tr("%1 — %2").arg(channel_name_, item_title_));
}

void VideoPage::update_mute_icon() {
  const bool muted = mute_->isChecked();
  mute_->setIcon(
      style()->standardIcon(muted ? QStyle::SP_MediaVolumeMuted : QStyle::SP_MediaVolume));
  mute_->setToolTip(muted ? tr("Unmute") : tr("Mute"));
}

}  // namespace streamsync::viewer
