#pragma once

// KeepAwake: asks the operating system not to blank the screen or go to sleep while a
// channel plays. Watching is the one thing people do for an hour without touching mouse or
// keyboard; without a hold the screen saver takes over mid-programme. Backends: the
// freedesktop ScreenSaver service on D-Bus (Linux, BSDs: GNOME, KDE, Xfce, ... implement
// it), SetThreadExecutionState on Windows, an IOKit power assertion on macOS. GUI thread
// only.

#include <QString>
#include <memory>

namespace streamsync::viewer {

class KeepAwakeBackend;

class KeepAwake {
 public:
  // app_name and reason are what the desktop shows to whoever asks why it stays awake.
  KeepAwake(const QString& app_name, const QString& reason);
  ~KeepAwake();  // releases the hold
  KeepAwake(const KeepAwake&) = delete;
  KeepAwake& operator=(const KeepAwake&) = delete;

  // Hold (true) or release (false) the screen; asking for what is already the case does
  // nothing, so callers may repeat their wish every tick.
  void set_active(bool active);
  bool active() const { return active_; }

  // Why the last hold could not be taken ("" when it was, or none was asked for): no
  // session bus, no screen-saver service, ... Playback goes on either way.
  QString problem() const;

 private:
  std::unique_ptr<KeepAwakeBackend> backend_;
  bool active_ = false;
};

}  // namespace streamsync::viewer
