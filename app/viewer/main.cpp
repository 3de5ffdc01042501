// streamsync: the desktop viewer, or with --headless the same engine without a window.

#include <QApplication>
#include <QCoreApplication>
#include <cstdio>
#include <memory>

#include "command_line.hpp"
#include "gui_runner.hpp"
#include "headless_runner.hpp"

namespace {

// --headless, --help and --version must not need a display: decide before creating the
// application object.
bool needs_no_window(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const QByteArray argument(argv[i]);
    if (argument == "--headless" || argument == "--help" || argument == "-h" ||
        argument == "--version" || argument == "-v") {
      return true;
    }
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  std::unique_ptr<QCoreApplication> app = needs_no_window(argc, argv)
                                              ? std::make_unique<QCoreApplication>(argc, argv)
                                              : std::make_unique<QApplication>(argc, argv);
  QCoreApplication::setOrganizationName(QStringLiteral("StreamSync"));
  QCoreApplication::setApplicationName(QStringLiteral("streamsync"));
  QCoreApplication::setApplicationVersion(QStringLiteral(STREAMSYNC_VERSION));

  const auto options = streamsync::viewer::parse_command_line(QCoreApplication::arguments());
  if (!options) {
    std::fprintf(stderr, "streamsync: %s\nTry 'streamsync --help'.\n",
                 options.error().toLocal8Bit().constData());
    return 2;
  }
  return options->headless ? streamsync::viewer::run_headless(*options)
                           : streamsync::viewer::run_gui(*options);
}
