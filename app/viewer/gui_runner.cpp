#include "gui_runner.hpp"

#include <QApplication>
#include <QMessageBox>
#include <cstdio>

#include "viewer_app.hpp"

namespace streamsync::viewer {

int run_gui(const LaunchOptions& options) {
  AppSettings settings;
  std::unique_ptr<ViewerApp> app;
  try {
    app = std::make_unique<ViewerApp>(settings, options);
  } catch (const std::exception& error) {
    QMessageBox::critical(nullptr, QStringLiteral("StreamSync"),
                          QStringLiteral("The video player could not start: %1")
                              .arg(QString::fromUtf8(error.what())));
    return 1;
  }
  if (!app->start()) return 0;
  return QApplication::exec();
}

}  // namespace streamsync::viewer
