#pragma once

// What the network tests share: the QCoreApplication that Qt's sockets need, waiting on
// the event loop, and catching the answer of an asynchronous call.

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QEventLoop>
#include <QString>
#include <QTcpServer>
#include <QTimer>
#include <chrono>
#include <optional>
#include <ostream>
#include <utility>

#include "util/expected.hpp"

// gtest prints QStrings as text, not as arrays of UTF-16 code units.
inline void PrintTo(const QString& text, std::ostream* out) {
  *out << '"' << text.toStdString() << '"';
}

namespace streamsync::viewer::test {

// Made once, on the test thread (gtest's main thread), and kept until exit: destroying it
// during static destruction would outlive the Qt internals it needs.
inline void ensure_qt_app() {
  if (QCoreApplication::instance()) return;
  static int argc = 1;
  static char name[] = "viewer_net_tests";
  static char* argv[] = {name, nullptr};
  new QCoreApplication(argc, argv);
}

// The base of every fixture that owns Qt objects: a base is made before the fixture's
// members, so their sockets find the application (and its event dispatcher) in place.
class QtFixture : public ::testing::Test {
 protected:
  QtFixture() { ensure_qt_app(); }
};

// Runs the event loop until `done()` or `timeout`; returns done(). A real event loop, never
// asleep: QTest::qWaitFor sleeps 10 ms between rounds, which would delay every datagram
// and make the clock look 5 ms off.
template <class Done>
bool wait_for(Done done, std::chrono::milliseconds timeout) {
  if (done()) return true;
  QEventLoop loop;
  QTimer check;
  check.setInterval(1);
  QObject::connect(&check, &QTimer::timeout, &loop, [&] {
    if (done()) loop.quit();
  });
  QTimer::singleShot(timeout, &loop, &QEventLoop::quit);
  check.start();
  loop.exec();
  return done();
}

// A TCP port nobody listens on: one the OS just handed out and took back.
inline quint16 closed_tcp_port() {
  QTcpServer probe;
  probe.listen(QHostAddress::LocalHost, 0);
  return probe.serverPort();
}

// The answer to one ApiClient call: pass callback(), then wait().
template <class T>
class Answer {
 public:
  auto callback() {
    return [this](Expected<T, QString> value) { value_.emplace(std::move(value)); };
  }
  // Waits for the answer; false if none came within `timeout`.
  bool wait(std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    return wait_for([this] { return value_.has_value(); }, timeout);
  }
  bool arrived() const { return value_.has_value(); }
  const Expected<T, QString>& operator*() const { return *value_; }
  const Expected<T, QString>* operator->() const { return &*value_; }

 private:
  std::optional<Expected<T, QString>> value_;
};

}  // namespace streamsync::viewer::test
