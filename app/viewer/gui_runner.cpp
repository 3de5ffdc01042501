#include "gui_runner.hpp"

#include <QApplication>
#include <QMessageBox>
#include <cstdio>

#include "engine/tick_report.hpp"
#include "viewer_app.hpp"

namespace streamsync::viewer {

int run_gui(const LaunchOptions& options) {
  AppSettings settings;
  // The same report as headless: benchmarks compare what a window shows with what its
  // loop believed. Declared first: it outlives the app that writes to it.
  TickReport report;
  std::unique_ptr<ViewerApp> app;
  try {
    app = std::make_unique<ViewerApp>(settings, options);
  } catch (const std::exception& error) {
    QMessageBox::critical(nullptr, QStringLiteral("StreamSync"),
                          QStringLiteral("The video player could not start: %1")
                              .arg(QString::fromUtf8(error.what())));
    return 1;
  }
  if (!options.report_path.isEmpty()) {
    if (!report.open(options.report_path)) {
      std::fprintf(stderr, "streamsync: cannot write %s: %s\n", qUtf8Printable(options.report_path),
                   qUtf8Printable(report.error()));
      return 2;
    }
    QObject::connect(app.get(), &ViewerApp::ticked, app.get(),
                     [&report](const SyncTick& tick) { report.write(tick); });
  }
  if (!app->start()) return 0;
  return QApplication::exec();
}

}  // namespace streamsync::viewer
