// EventStream against a QWebSocketServer in the test: it delivers schedules and presence,
// shrugs off malformed and unknown messages, and keeps reconnecting until closed.

#include "net/event_stream.hpp"

#include <gtest/gtest.h>

#include <QCryptographicHash>
#include <QTcpServer>
#include <QTcpSocket>
#include <QWebSocket>
#include <QWebSocketServer>
#include <map>
#include <vector>

#include "qt_test_support.hpp"

namespace streamsync::viewer::test {
namespace {

using namespace std::chrono_literals;

class FakeEventServer : public QObject {
 public:
  FakeEventServer() : server_(QStringLiteral("fake"), QWebSocketServer::NonSecureMode) {
    listen(0);
    connect(&server_, &QWebSocketServer::newConnection, this, [this] {
      while (QWebSocket* peer = server_.nextPendingConnection()) {
        peers_.push_back(peer);
        urls_.push_back(peer->requestUrl());
        connect(peer, &QWebSocket::disconnected, peer, &QObject::deleteLater);
        connect(peer, &QObject::destroyed, this, [this, peer] { std::erase(peers_, peer); });
      }
    });
  }
  bool listen(quint16 port) { return server_.listen(QHostAddress::LocalHost, port); }
  void stop_listening() {
    server_.close();
    for (QWebSocket* peer : peers_) peer->abort();
  }
  QUrl url() const {
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port_ ? port_ : server_.serverPort()));
  }
  quint16 port() const { return server_.serverPort(); }
  void pin_port(quint16 port) { port_ = port; }

  void send(const QString& text) {
    for (QWebSocket* peer : peers_) peer->sendTextMessage(text);
  }
  void send_binary(const QByteArray& bytes) {
    for (QWebSocket* peer : peers_) peer->sendBinaryMessage(bytes);
  }
  void close_peers() {
    for (QWebSocket* peer : peers_)
      peer->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("restarting"));
  }
  std::size_t connections() const { return urls_.size(); }
  const std::vector<QUrl>& urls() const { return urls_; }

 private:
  QWebSocketServer server_;
  std::vector<QWebSocket*> peers_;
  std::vector<QUrl> urls_;
  quint16 port_ = 0;
};

// Accepts one WebSocket handshake, then never says or answers anything again: a
// connection whose network went away without closing it.
class SilentPeer : public QObject {
 public:
  SilentPeer() {
    server_.listen(QHostAddress::LocalHost, 0);
    connect(&server_, &QTcpServer::newConnection, this, [this] {
      while (QTcpSocket* socket = server_.nextPendingConnection()) {
        ++connections;
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { handshake(socket); });
      }
    });
  }
  QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(server_.serverPort())); }
  int connections = 0;

 private:
  void handshake(QTcpSocket* socket) {
    QByteArray& request = requests_[socket];
    if (request.contains("\r\n\r\n")) {
      socket->readAll();  // frames from the client (pings): ignored
      return;
    }
    request += socket->readAll();
    if (!request.contains("\r\n\r\n")) return;
    QByteArray key;
    for (const QByteArray& line : request.split('\n')) {
      if (line.toLower().startsWith("sec-websocket-key:")) key = line.mid(18).trimmed();
    }
    const QByteArray accept = QCryptographicHash::hash(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11",
                                                       QCryptographicHash::Sha1)
                                  .toBase64();
    socket->write(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Accept: " +
        accept + "\r\n\r\n");
  }

  QTcpServer server_;
  std::map<QTcpSocket*, QByteArray> requests_;
};

const char* kSchedule = R"({"type":"schedule","schedule":{"channel_id":"demo","revision":4,
    "effective_at_us":1,"start_at_us":0,"loop":true,
    "items":[{"video_id":"a","in_point_us":0,"duration_us":5000000}]}})";

class EventStreamTest : public QtFixture {
 protected:
  void watch(EventStream& stream) {
    QObject::connect(&stream, &EventStream::connected, [this] { ++connects_; });
    QObject::connect(&stream, &EventStream::disconnected,
                     [this](const QString& why) { whys_.push_back(why); });
    QObject::connect(&stream, &EventStream::schedule_received,
                     [this](const Schedule& schedule) { schedules_.push_back(schedule); });
    QObject::connect(&stream, &EventStream::presence_changed,
                     [this](const QString& channel, qint64 viewers) {
                       presence_.emplace_back(channel, viewers);
                     });
  }
  FakeEventServer server_;
  int connects_ = 0;
  std::vector<QString> whys_;
  std::vector<Schedule> schedules_;
  std::vector<std::pair<QString, qint64>> presence_;
};

TEST_F(EventStreamTest, DeliversSchedulesAndPresenceAndIgnoresTheRest) {
  EventStream stream(server_.url());
  watch(stream);
  stream.open(QStringLiteral("demo"));
  ASSERT_TRUE(wait_for([&] { return stream.is_connected(); }, 10s));
  EXPECT_EQ(server_.urls()[0].query(), QStringLiteral("channel=demo"));
  EXPECT_EQ(server_.urls()[0].path(), QStringLiteral("/api/v1/events"));

  server_.send(R"({"type":"hello","channel_id":"demo","server_time_us":5})");
  server_.send("not json at all");
  server_.send(R"({"type":"presence","channel_id":"demo"})");               // no viewers
  server_.send(R"({"type":"poll","question":"pizza?"})");                   // a newer server's type
  server_.send(R"({"type":"schedule","schedule":{"channel_id":"demo"}})");  // no items
  server_.send(R"([1, 2, 3])");
  server_.send(QString::fromUtf8(kSchedule).replace(QStringLiteral("\"demo\""),
                                                    QStringLiteral("\"other\"")));
  server_.send_binary(QByteArray("\x00\x01", 2));
  server_.send(R"({"type":"presence","channel_id":"demo","viewers":3})");
  server_.send(QString::fromUtf8(kSchedule));
  ASSERT_TRUE(wait_for([&] { return !schedules_.empty(); }, 10s));
  ASSERT_EQ(presence_.size(), 1u);
  EXPECT_EQ(presence_[0], std::make_pair(QStringLiteral("demo"), qint64{3}));
  ASSERT_EQ(schedules_.size(), 1u);
  EXPECT_EQ(schedules_[0].revision, 4);
  EXPECT_TRUE(stream.is_connected());
  EXPECT_EQ(connects_, 1);
  EXPECT_TRUE(whys_.empty());
}

TEST_F(EventStreamTest, SchedulesCrossQueuedConnections) {
  EventStream stream(server_.url());
  std::vector<std::int64_t> revisions;
  QObject receiver;
  QObject::connect(
      &stream, &EventStream::schedule_received, &receiver,
      [&](const Schedule& schedule) { revisions.push_back(schedule.revision); },
      Qt::QueuedConnection);
  stream.open(QStringLiteral("demo"));
  ASSERT_TRUE(wait_for([&] { return stream.is_connected(); }, 10s));
  server_.send(QString::fromUtf8(kSchedule));
  ASSERT_TRUE(wait_for([&] { return !revisions.empty(); }, 10s));
  EXPECT_EQ(revisions[0], 4);
}

TEST_F(EventStreamTest, ReconnectsWhenTheServerClosesTheConnection) {
  EventStream stream(server_.url());
  watch(stream);
  stream.open(QStringLiteral("demo"));
  ASSERT_TRUE(wait_for([&] { return connects_ == 1; }, 10s));
  server_.close_peers();
  ASSERT_TRUE(wait_for([&] { return !whys_.empty(); }, 10s));
  EXPECT_FALSE(stream.is_connected());
  ASSERT_TRUE(wait_for([&] { return connects_ == 2; }, 10s));
  EXPECT_EQ(server_.connections(), 2u);
}

TEST_F(EventStreamTest, KeepsRetryingWhileTheServerIsDownThenComesBack) {
  const quint16 port = server_.port();
  server_.pin_port(port);
  EventStream stream(server_.url());
  watch(stream);
  stream.open(QStringLiteral("demo"));
  ASSERT_TRUE(wait_for([&] { return connects_ == 1; }, 10s));
  server_.stop_listening();
  // Attempts at ~0.5, 1, 2 s: each fails and says why.
  ASSERT_TRUE(wait_for([&] { return whys_.size() >= 3; }, 15s));
  EXPECT_EQ(connects_, 1);
  ASSERT_TRUE(server_.listen(port));
  ASSERT_TRUE(wait_for([&] { return connects_ == 2; }, 15s));
  EXPECT_TRUE(stream.is_connected());
}

TEST_F(EventStreamTest, ASilentConnectionIsDroppedAndRetried) {
  SilentPeer peer;
  EventStreamOptions options;
  options.ping_interval_ms = 100;
  options.silence_limit_ms = 500;
  EventStream stream(peer.url());
  stream.set_options(options);
  watch(stream);
  stream.open(QStringLiteral("demo"));
  ASSERT_TRUE(wait_for([&] { return connects_ == 1; }, 10s));
  ASSERT_TRUE(wait_for([&] { return !whys_.empty(); }, 10s));
  EXPECT_EQ(whys_[0], QStringLiteral("no answer from the server for 0.5 s"));
  EXPECT_FALSE(stream.is_connected());
  EXPECT_TRUE(wait_for([&] { return peer.connections == 2; }, 10s));
}

TEST_F(EventStreamTest, CloseStopsReconnecting) {
  EventStream stream(server_.url());
  watch(stream);
  stream.open(QStringLiteral("demo"));
  ASSERT_TRUE(wait_for([&] { return connects_ == 1; }, 10s));
  stream.close();
  EXPECT_FALSE(stream.is_connected());
  wait_for([] { return false; }, 1500ms);
  EXPECT_EQ(server_.connections(), 1u);
  EXPECT_TRUE(whys_.empty());
}

TEST_F(EventStreamTest, OpenSwitchesChannels) {
  EventStream stream(server_.url());
  watch(stream);
  stream.open(QStringLiteral("demo"));
  ASSERT_TRUE(wait_for([&] { return connects_ == 1; }, 10s));
  stream.open(QStringLiteral("lobby"));
  ASSERT_TRUE(wait_for([&] { return connects_ == 2; }, 10s));
  EXPECT_EQ(server_.urls().back().query(), QStringLiteral("channel=lobby"));
  EXPECT_EQ(stream.channel_id(), QStringLiteral("lobby"));
}

}  // namespace
}  // namespace streamsync::viewer::test
