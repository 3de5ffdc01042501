#pragma once

// EventStream: a channel's WebSocket events (GET /api/v1/events?channel=ID): new schedule
// revisions and the viewer count, pushed by the server. It stays open by itself: after any
// close or error it reconnects, waiting 0.5 s doubling to 10 s plus jitter
// (ReconnectBackoff), until close(). A connection that goes silent (a network that drops
// packets without closing anything) is noticed by pinging every 5 s: no answer for 15 s and
// it is dropped and reconnected.
//
// Messages are parsed with core's event_from_json; unknown types are for newer viewers and
// ignored, malformed messages are logged (qWarning) and ignored.

#include <QElapsedTimer>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QTimer>
#include <QUrl>
#include <QtGlobal>

#include "net/reconnect_backoff.hpp"
#include "timeline/schedule.hpp"

class QWebSocket;

namespace streamsync::viewer {

struct EventStreamOptions {
  ReconnectBackoffConfig backoff;
  int ping_interval_ms = 5'000;
  int silence_limit_ms = 15'000;  // no message or pong for this long: the connection is dead
};

class EventStream : public QObject {
  Q_OBJECT

 public:
  explicit EventStream(QUrl server_url, QObject* parent = nullptr);  // http://host:port
  ~EventStream() override;

  // Options take effect at the next open().
  void set_options(const EventStreamOptions& options) { options_ = options; }

  // Connects to `channel_id`'s events, dropping any current connection first.
  void open(const QString& channel_id);
  // Disconnects and stops reconnecting. Emits nothing.
  void close();
  bool is_connected() const { return connected_; }
  QString channel_id() const { return channel_id_; }

 signals:
  void connected();
  // A connection ended or an attempt failed (`why`, for the UI); a reconnect is scheduled.
  void disconnected(QString why);
  void schedule_received(streamsync::Schedule schedule);
  void presence_changed(QString channel_id, qint64 viewers);

 private:
  void connect_now();
  void on_connected();
  void on_closed(const QString& why);
  void on_message(const QString& text);
  void check_alive();
  void drop_socket();

  QUrl server_url_;
  EventStreamOptions options_;
  QString channel_id_;
  QWebSocket* socket_ = nullptr;  // a fresh one per attempt: no stale signals
  bool wanted_ = false;
  bool connected_ = false;
  ReconnectBackoff backoff_;
  QTimer reconnect_timer_;
  QTimer keepalive_timer_;
  QElapsedTimer last_heard_;  // since the last message or pong
};

}  // namespace streamsync::viewer

Q_DECLARE_METATYPE(streamsync::Schedule)
