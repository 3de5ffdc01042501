#pragma once

// FakeScreenSaver: stands in for the desktop's org.freedesktop.ScreenSaver service (GNOME's
// or KDE's cannot run on a test machine without a desktop session). It is served on a
// real session bus over its own connection, so the code under test talks D-Bus to it for
// real; it records Inhibit/UnInhibit and can hold its answers back to test slow desktops.

#include <QDBusConnection>
#include <QDBusContext>
#include <QDBusMessage>
#include <QObject>
#include <QString>
#include <set>
#include <vector>

namespace streamsync::viewer::test {

class FakeScreenSaver : public QObject, protected QDBusContext {
  Q_OBJECT
  Q_CLASSINFO("D-Bus Interface", "org.freedesktop.ScreenSaver")

 public:
  ~FakeScreenSaver() override;

  struct Inhibition {
    QString app_name;
    QString reason;
    uint cookie = 0;
  };

  // Takes the service name on the session bus; false (and `error`) when it cannot.
  bool serve(QString& error);
  // Gives the service name up again, as a desktop whose screen saver quit.
  void stop_serving();

  // While true, Inhibit answers only when answer_held_back() is called.
  void set_hold_back_answers(bool hold_back) { hold_back_answers_ = hold_back; }
  void answer_held_back();

  const std::vector<Inhibition>& inhibitions() const { return inhibitions_; }
  const std::vector<uint>& uninhibited() const { return uninhibited_; }
  // Cookies inhibited and not yet uninhibited: the screen is held while non-empty.
  const std::set<uint>& holding() const { return holding_; }

 public slots:
  uint Inhibit(const QString& application_name, const QString& reason_for_inhibit);
  void UnInhibit(uint cookie);

 private:
  QDBusConnection connection_{QString()};
  bool hold_back_answers_ = false;
  std::vector<QDBusMessage> held_back_;
  std::vector<Inhibition> inhibitions_;
  std::vector<uint> uninhibited_;
  std::set<uint> holding_;
  uint next_cookie_ = 7000;
};

}  // namespace streamsync::viewer::test
