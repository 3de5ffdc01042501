#pragma once

// PrivateSessionBus: a real dbus-daemon of the test's own, made the process' session bus
// (DBUS_SESSION_BUS_ADDRESS). Test machines have no desktop session, and a developer's
// must not see the tests' calls. Start it before anything uses QDBusConnection::sessionBus().

#include <QProcess>
#include <QString>
#include <memory>

namespace streamsync::viewer::test {

class PrivateSessionBus {
 public:
  // Starts dbus-daemon --session; nullptr with `error` set when it cannot.
  static std::unique_ptr<PrivateSessionBus> start(QString& error);
  ~PrivateSessionBus();

  const QString& address() const { return address_; }

 private:
  PrivateSessionBus() = default;
  QProcess daemon_;
  QString address_;
};

}  // namespace streamsync::viewer::test
