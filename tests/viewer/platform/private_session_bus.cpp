#include "private_session_bus.hpp"

#include <QtGlobal>

namespace streamsync::viewer::test {

std::unique_ptr<PrivateSessionBus> PrivateSessionBus::start(QString& error) {
  std::unique_ptr<PrivateSessionBus> bus(new PrivateSessionBus);
  // --print-address writes the address the daemon listens on as its first line.
  bus->daemon_.start(QStringLiteral("dbus-daemon"),
                     {QStringLiteral("--session"), QStringLiteral("--nofork"),
                      QStringLiteral("--print-address=1")});
  if (!bus->daemon_.waitForStarted(10'000)) {
    error = QStringLiteral("cannot start dbus-daemon (scripts/install-deps.sh installs it): ") +
            bus->daemon_.errorString();
    return nullptr;
  }
  while (!bus->daemon_.canReadLine()) {
    if (!bus->daemon_.waitForReadyRead(10'000)) {
      error = QStringLiteral("dbus-daemon printed no address: ") +
              QString::fromLocal8Bit(bus->daemon_.readAllStandardError());
      return nullptr;
    }
  }
  bus->address_ = QString::fromLocal8Bit(bus->daemon_.readLine()).trimmed();
  qputenv("DBUS_SESSION_BUS_ADDRESS", bus->address_.toLocal8Bit());
  return bus;
}

PrivateSessionBus::~PrivateSessionBus() {
  daemon_.terminate();
  if (!daemon_.waitForFinished(5000)) daemon_.kill();
}

}  // namespace streamsync::viewer::test
