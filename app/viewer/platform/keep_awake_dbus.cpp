// KeepAwake on Linux and the BSDs: Inhibit/UnInhibit on the desktop's
// org.freedesktop.ScreenSaver service (the session bus' interface that GNOME, KDE, Xfce,
// LXQt and the xdg-desktop-portal hosts implement; it covers idle blanking and, on those
// desktops, idle suspend). The service drops a client's inhibitions when its connection
// closes, so a crash never leaves the screen held.

#include <QDBusConnection>
#include <QDBusError>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QObject>
#include <QtGlobal>
#include <optional>
#include <utility>

#include "platform/keep_awake_backend.hpp"

namespace streamsync::viewer {
namespace {

const QString kService = QStringLiteral("org.freedesktop.ScreenSaver");
const QString kPath = QStringLiteral("/org/freedesktop/ScreenSaver");
const QString kInterface = QStringLiteral("org.freedesktop.ScreenSaver");
// A desktop that takes longer than this to answer is not going to hold the screen.
constexpr int kInhibitTimeoutMs = 5000;

// Inhibit is asked asynchronously: a slow or hung service must never freeze the window.
// A release that comes before Inhibit's answer is carried out when the answer arrives.
class ScreenSaverInhibit final : public KeepAwakeBackend {
 public:
  ScreenSaverInhibit(QString app_name, QString reason)
      : app_name_(std::move(app_name)), reason_(std::move(reason)) {}

  void hold() override {
    wanted_ = true;
    if (cookie_ || inhibit_pending_) return;
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected()) {
      report_problem(QStringLiteral("no D-Bus session bus (%1)").arg(bus.lastError().message()));
      return;
    }
    QDBusMessage call =
        QDBusMessage::createMethodCall(kService, kPath, kInterface, QStringLiteral("Inhibit"));
    call << app_name_ << reason_;
    inhibit_pending_ = true;
    auto* watcher = new QDBusPendingCallWatcher(bus.asyncCall(call, kInhibitTimeoutMs), &context_);
    QObject::connect(watcher, &QDBusPendingCallWatcher::finished, &context_,
                     [this](QDBusPendingCallWatcher* answered) {
                       answered->deleteLater();
                       inhibit_pending_ = false;
                       const QDBusPendingReply<uint> reply = *answered;
                       if (reply.isError()) {
                         report_problem(reply.error().message());
                         return;
                       }
                       problem_.clear();
                       if (wanted_) {
                         cookie_ = reply.value();
                       } else {
                         uninhibit(reply.value());
                       }
                     });
  }

  void release() override {
    wanted_ = false;
    if (!cookie_) return;
    uninhibit(*cookie_);
    cookie_.reset();
  }

  QString problem() const override { return problem_; }

 private:
  static void uninhibit(uint cookie) {
    QDBusMessage call =
        QDBusMessage::createMethodCall(kService, kPath, kInterface, QStringLiteral("UnInhibit"));
    call << cookie;
    QDBusConnection::sessionBus().send(call);  // nothing to do with the answer
  }

  void report_problem(const QString& why) {
    const QString problem =
        QStringLiteral("cannot keep the screen awake: %1: %2").arg(kService, why);
    // Said once: every join would repeat it on a desktop without the service.
    if (problem != problem_) qWarning("streamsync: %s", qUtf8Printable(problem));
    problem_ = problem;
  }

  QString app_name_;
  QString reason_;
  // Owns the watchers; their callbacks die with it. An Inhibit still on its way when the
  // backend goes is dropped so; its hold ends when this process' bus connection closes.
  QObject context_;
  std::optional<uint> cookie_;
  bool wanted_ = false;
  bool inhibit_pending_ = false;
  QString problem_;
};

}  // namespace

std::unique_ptr<KeepAwakeBackend> make_keep_awake_backend(const QString& app_name,
                                                          const QString& reason) {
  return std::make_unique<ScreenSaverInhibit>(app_name, reason);
}

}  // namespace streamsync::viewer
