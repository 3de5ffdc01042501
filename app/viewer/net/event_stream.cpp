#include "net/event_stream.hpp"

#include <QRandomGenerator>
#include <QWebSocket>
#include <QtDebug>
#include <utility>

#include "net/server_paths.hpp"
#include "protocol/api_messages.hpp"

namespace streamsync::viewer {
namespace {

// The event types this viewer knows; anything else comes from a newer server.
bool is_known_type(const nlohmann::json& json) {
  if (!json.is_object()) return true;  // not even an event: event_from_json says why
  const auto type = json.find("type");
  if (type == json.end() || !type->is_string()) return true;
  const auto& name = type->get_ref<const std::string&>();
  return name == "hello" || name == "schedule" || name == "presence" || name == "job";
}

}  // namespace

EventStream::EventStream(QUrl server_url, QObject* parent)
    : QObject(parent), server_url_(std::move(server_url)) {
  qRegisterMetaType<streamsync::Schedule>();
  reconnect_timer_.setSingleShot(true);
  connect(&reconnect_timer_, &QTimer::timeout, this, &EventStream::connect_now);
  connect(&keepalive_timer_, &QTimer::timeout, this, &EventStream::check_alive);
}

EventStream::~EventStream() {
  drop_socket();
}

void EventStream::open(const QString& channel_id) {
  channel_id_ = channel_id;
  wanted_ = true;
  backoff_ = ReconnectBackoff(options_.backoff);
  keepalive_timer_.setInterval(options_.ping_interval_ms);
  drop_socket();
  connect_now();
}

void EventStream::close() {
  wanted_ = false;
  drop_socket();
}

void EventStream::drop_socket() {
  reconnect_timer_.stop();
  keepalive_timer_.stop();
  connected_ = false;
  if (!socket_) return;
  socket_->disconnect(this);
  socket_->close();  // a polite close frame when connected; otherwise nothing to say
  socket_->deleteLater();
  socket_ = nullptr;
}

void EventStream::connect_now() {
  if (!wanted_) return;
  drop_socket();
  socket_ = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
  connect(socket_, &QWebSocket::connected, this, &EventStream::on_connected);
  connect(socket_, &QWebSocket::disconnected, this, [this] {
    const QString reason = socket_ ? socket_->closeReason() : QString();
    on_closed(reason.isEmpty() ? QStringLiteral("the server closed the connection") : reason);
  });
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
  connect(socket_, &QWebSocket::errorOccurred, this,
          [this] { on_closed(socket_ ? socket_->errorString() : QString()); });
#else
  connect(socket_, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
          [this] { on_closed(socket_ ? socket_->errorString() : QString()); });
#endif
  connect(socket_, &QWebSocket::textMessageReceived, this, &EventStream::on_message);
  connect(socket_, &QWebSocket::pong, this, [this] { last_heard_.restart(); });
  socket_->open(events_url(server_url_, channel_id_));
}

void EventStream::on_connected() {
  connected_ = true;
  backoff_.reset();
  last_heard_.start();
  keepalive_timer_.start();
  emit connected();
}

void EventStream::on_closed(const QString& why) {
  if (!socket_) return;  // the other of error/disconnected already handled this attempt
  drop_socket();
  const std::int64_t delay_us =
      backoff_.next_delay_us(QRandomGenerator::global()->generateDouble());
  reconnect_timer_.start(static_cast<int>(delay_us / 1000));
  emit disconnected(why);
}

void EventStream::check_alive() {
  if (!socket_ || !connected_) return;
  if (last_heard_.elapsed() > options_.silence_limit_ms) {
    on_closed(QStringLiteral("no answer from the server for %1 s")
                  .arg(options_.silence_limit_ms / 1000.0, 0, 'g', 3));
    return;
  }
  socket_->ping();
}

void EventStream::on_message(const QString& text) {
  last_heard_.restart();
  const auto json = nlohmann::json::parse(text.toStdString(), nullptr, false);
  if (json.is_discarded()) {
    qWarning("events: ignored a message that is not JSON: %s", qUtf8Printable(text.left(200)));
    return;
  }
  if (!is_known_type(json)) return;
  auto event = event_from_json(json);
  if (!event) {
    qWarning("events: ignored a malformed message (%s)", event.error().c_str());
    return;
  }
  if (const auto* schedule = std::get_if<ScheduleEvent>(&*event)) {
    if (QString::fromStdString(schedule->schedule.channel_id) != channel_id_) {
      qWarning("events: ignored a schedule of another channel (%s)",
               schedule->schedule.channel_id.c_str());
      return;
    }
    emit schedule_received(schedule->schedule);
  } else if (const auto* presence = std::get_if<PresenceEvent>(&*event)) {
    emit presence_changed(QString::fromStdString(presence->channel_id), presence->viewers);
  }
  // hello carries nothing the viewer needs (the clock comes from TimeClient); job events
  // are for presenters.
}

}  // namespace streamsync::viewer
