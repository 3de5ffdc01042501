#include "ui/error_banner.hpp"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace streamsync::viewer {
namespace {

// Long enough to read twice; a problem that persists is reported again by its source.
constexpr int kShownMs = 20'000;

}  // namespace

ErrorBanner::ErrorBanner(QWidget* parent) : QFrame(parent), text_(new QLabel) {
  setObjectName(QStringLiteral("errorBanner"));
  setAutoFillBackground(true);
  QPalette colours = palette();
  colours.setColor(QPalette::Window, QColor(0xd3, 0x2f, 0x2f));
  colours.setColor(QPalette::WindowText, Qt::white);
  setPalette(colours);

  text_->setObjectName(QStringLiteral("errorMessage"));
  // Messages may quote the server; never let them be read as markup.
  text_->setTextFormat(Qt::PlainText);
  text_->setWordWrap(true);
  auto* close = new QToolButton;
  close->setObjectName(QStringLiteral("dismissError"));
  close->setText(QStringLiteral("✕"));
  close->setToolTip(tr("Dismiss"));
  close->setAutoRaise(true);
  close->setFocusPolicy(Qt::NoFocus);
  connect(close, &QToolButton::clicked, this, &ErrorBanner::hide);

  hide_timer_.setSingleShot(true);
  hide_timer_.setInterval(kShownMs);
  connect(&hide_timer_, &QTimer::timeout, this, &ErrorBanner::hide);

  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(10, 4, 4, 4);
  layout->addWidget(text_, 1);
  layout->addWidget(close);
  hide();
}

QString ErrorBanner::message() const {
  return isHidden() ? QString() : text_->text();
}

void ErrorBanner::show_message(const QString& message) {
  text_->setText(message);
  show();
  hide_timer_.start();
}

}  // namespace streamsync::viewer
