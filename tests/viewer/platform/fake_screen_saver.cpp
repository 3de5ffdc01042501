#include "fake_screen_saver.hpp"

#include <QDBusConnectionInterface>
#include <QDBusError>

namespace streamsync::viewer::test {
namespace {

const QString kService = QStringLiteral("org.freedesktop.ScreenSaver");
const QString kPath = QStringLiteral("/org/freedesktop/ScreenSaver");
const QString kConnectionName = QStringLiteral("fake-screen-saver");

}  // namespace

bool FakeScreenSaver::serve(QString& error) {
  // A connection of its own: the code under test must reach it over the bus, not by a
  // shortcut inside the process' session-bus connection.
  connection_ = QDBusConnection::connectToBus(QDBusConnection::SessionBus, kConnectionName);
  if (!connection_.isConnected()) {
    error = QStringLiteral("no session bus: ") + connection_.lastError().message();
    return false;
  }
  if (!connection_.registerObject(kPath, this, QDBusConnection::ExportAllSlots)) {
    error = QStringLiteral("cannot register ") + kPath;
    return false;
  }
  if (!connection_.registerService(kService)) {
    error = QStringLiteral("cannot own ") + kService + QStringLiteral(": ") +
            connection_.lastError().message();
    return false;
  }
  return true;
}

FakeScreenSaver::~FakeScreenSaver() {
  stop_serving();
  QDBusConnection::disconnectFromBus(kConnectionName);
}

void FakeScreenSaver::stop_serving() {
  connection_.unregisterService(kService);
  connection_.unregisterObject(kPath);
}

uint FakeScreenSaver::Inhibit(const QString& application_name, const QString& reason_for_inhibit) {
  const uint cookie = next_cookie_++;
  inhibitions_.push_back({application_name, reason_for_inhibit, cookie});
  holding_.insert(cookie);
  if (hold_back_answers_) {
    setDelayedReply(true);
    held_back_.push_back(message().createReply(cookie));
  }
  return cookie;
}

void FakeScreenSaver::UnInhibit(uint cookie) {
  uninhibited_.push_back(cookie);
  holding_.erase(cookie);
}

void FakeScreenSaver::answer_held_back() {
  for (const QDBusMessage& reply : held_back_) connection_.send(reply);
  held_back_.clear();
}

}  // namespace streamsync::viewer::test
