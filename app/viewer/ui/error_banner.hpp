#pragma once

// ErrorBanner: a strip across the top of the window for what went wrong ("the server does
// not answer", "that channel no longer exists"). Non-modal: playback and the list stay
// usable; it goes away when dismissed, after a while, or when the next message replaces it.

#include <QFrame>
#include <QTimer>

class QLabel;

namespace streamsync::viewer {

class ErrorBanner : public QFrame {
  Q_OBJECT

 public:
  explicit ErrorBanner(QWidget* parent = nullptr);

  QString message() const;

 public slots:
  void show_message(const QString& message);

 private:
  QLabel* text_;
  QTimer hide_timer_;
};

}  // namespace streamsync::viewer
