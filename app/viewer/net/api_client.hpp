#pragma once

// ApiClient: the server's REST API (docs/protocol.md) over QNetworkAccessManager. Every
// call is asynchronous; its callback runs on the event loop of the thread that owns the
// client, exactly once, unless the client is destroyed first (then never: callers that
// may die before the answer capture a QPointer to themselves).
//
// Nothing the server sends can crash the viewer: every answer is checked, and a failure
// reaches the callback as a message fit for the UI:
//   "cannot reach http://host:8080: connection refused"   (no HTTP answer)
//   "server: no channel 'x' (HTTP 404)"                    (an error answer)
//   "malformed JSON from GET /api/v1/channels: ..."        (a broken answer)
//   "unexpected answer to GET /api/v1/channels: channels[0].state: must be a string"

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QUrl>
#include <QUrlQuery>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <variant>
#include <vector>

#include "net/video_info.hpp"
#include "protocol/api_messages.hpp"
#include "timeline/schedule.hpp"
#include "util/expected.hpp"

class QNetworkAccessManager;
class QNetworkReply;

namespace streamsync::viewer {

class ApiClient : public QObject {
  Q_OBJECT

 public:
  template <class T>
  using Reply = std::function<void(Expected<T, QString>)>;

  explicit ApiClient(QUrl server_url, QObject* parent = nullptr);  // http://host:port

  QUrl server_url() const { return server_url_; }
  // A server path ("/media/...") as an absolute URL.
  QUrl resolve(const QString& path) const;

  void fetch_channels(Reply<std::vector<ChannelSummary>> done);
  // An unknown channel fails with "no channel 'x' on this server".
  void fetch_channel(const QString& channel_id, Reply<ChannelSummary> done);
  // The active schedule and any pending revisions, oldest first. Sends If-None-Match with
  // the last ETag seen for this channel: when nothing changed (304) `done` gets nullopt.
  void fetch_schedule(const QString& channel_id, Reply<std::optional<std::vector<Schedule>>> done);
  // An unknown video fails with "no video 'x' on this server".
  void fetch_video(const QString& video_id, Reply<VideoInfo> done);
  void register_viewer(const ViewerRegistration& viewer, Reply<std::monostate> done);
  void send_heartbeat(const QString& viewer_id, const ViewerHeartbeat& heartbeat,
                      Reply<std::monostate> done);
  // GET a server path ("/media/videos/x/poster.jpg") as bytes: posters and thumbnails.
  void fetch_bytes(const QString& path, Reply<QByteArray> done);
  // GET an absolute URL as bytes: media the server named by URL (playlists, segments).
  void fetch_bytes(const QUrl& url, Reply<QByteArray> done);
  // GET /api/v1/time?t1=client_sent_us: the NTP exchange over HTTP (t1 echoed, t2, t3, and
  // the server's NTP port).
  void fetch_time(std::int64_t client_sent_us, Reply<TimeReply> done);

  // Every request gives up when no data moved for this long (default 5000 ms).
  void set_timeout_ms(int ms) { timeout_ms_ = ms; }
  int timeout_ms() const { return timeout_ms_; }

 private:
  // What came back for one request: an HTTP answer of any status.
  struct HttpAnswer {
    int status = 0;
    QByteArray body;
    QByteArray etag;
    QString reason;  // HTTP reason phrase
  };
  using AnswerHandler = std::function<void(Expected<HttpAnswer, QString>)>;

  // Sends a request; `handle` gets the HTTP answer or, without one, the network error as a
  // message. `body` non-empty: sent as application/json.
  void send(const QByteArray& verb, const QUrl& url, const QByteArray& body,
            const QByteArray& if_none_match, AnswerHandler handle);
  void on_finished(QNetworkReply* reply, const AnswerHandler& handle);
  // GET `path`, expecting 200 with a JSON body that `parse` reads into a T. A 404 becomes
  // `not_found` when that is non-empty.
  template <class T, class Parse>
  void get_json(const QString& path, const QUrlQuery& query, const QString& not_found,
                Reply<T> done, Parse parse);
  // POST `body`, expecting any 2xx.
  void post_json(const QString& path, const QByteArray& body, Reply<std::monostate> done);
  // The message for an answer that is not the expected success.
  static QString http_error(const HttpAnswer& answer);

  QUrl server_url_;
  QNetworkAccessManager* network_;  // a child: it and its replies go after our connections
  int timeout_ms_ = 5000;
  std::map<QString, QByteArray> schedule_etags_;  // channel id -> last ETag seen
};

}  // namespace streamsync::viewer
