#include "net/api_client.hpp"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <utility>

#include "net/api_answers.hpp"
#include "net/server_paths.hpp"

namespace streamsync::viewer {
namespace {

constexpr int kHttpOk = 200;
constexpr int kHttpNotModified = 304;
constexpr int kHttpNotFound = 404;

QString describe_network_error(QNetworkReply::NetworkError code, const QString& qt_text,
                               int timeout_ms) {
  switch (code) {
    case QNetworkReply::ConnectionRefusedError:
      return QStringLiteral("connection refused");
    case QNetworkReply::HostNotFoundError:
      return QStringLiteral("host not found");
    case QNetworkReply::RemoteHostClosedError:
      return QStringLiteral("the server closed the connection");
    // A transfer timeout aborts the reply; Qt reports it as one or the other by version.
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError:
      return QStringLiteral("no answer within %1 s").arg(timeout_ms / 1000.0, 0, 'g', 3);
    default:
      return qt_text;
  }
}

// The JSON of a body, or a message naming the request and the parser's complaint.
Expected<nlohmann::json, QString> parse_body(const QByteArray& body, const QString& what) {
  try {
    return nlohmann::json::parse(body.begin(), body.end());
  } catch (const nlohmann::json::exception& error) {
    return Unexpected{
        QStringLiteral("malformed JSON from %1: %2").arg(what, QString::fromUtf8(error.what()))};
  }
}

QString describe_request(const QByteArray& verb, const QString& path) {
  return QString::fromLatin1(verb) + QLatin1Char(' ') + path;
}

}  // namespace

ApiClient::ApiClient(QUrl server_url, QObject* parent)
    : QObject(parent),
      server_url_(std::move(server_url)),
      network_(new QNetworkAccessManager(this)) {}

QUrl ApiClient::resolve(const QString& path) const {
  return resolve_server_path(server_url_, path);
}

void ApiClient::send(const QByteArray& verb, const QUrl& url, const QByteArray& body,
                     const QByteArray& if_none_match, AnswerHandler handle) {
  QNetworkRequest request(url);
  request.setTransferTimeout(timeout_ms_);
  request.setRawHeader("Accept", "application/json");
  if (!if_none_match.isEmpty()) request.setRawHeader("If-None-Match", if_none_match);
  if (!body.isEmpty())
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
  QNetworkReply* reply = network_->sendCustomRequest(request, verb, body);
  connect(reply, &QNetworkReply::finished, this,
          [this, reply, handle = std::move(handle)] { on_finished(reply, handle); });
}

void ApiClient::on_finished(QNetworkReply* reply, const AnswerHandler& handle) {
  reply->deleteLater();
  const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
  if (!status.isValid() || status.toInt() <= 0) {
    handle(Unexpected{
        QStringLiteral("cannot reach %1: %2")
            .arg(display_url(server_url_),
                 describe_network_error(reply->error(), reply->errorString(), timeout_ms_))});
    return;
  }
  HttpAnswer answer;
  answer.status = status.toInt();
  answer.body = reply->readAll();
  answer.etag = reply->rawHeader("ETag");
  answer.reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
  handle(std::move(answer));
}

QString ApiClient::http_error(const HttpAnswer& answer) {
  QString message;
  try {
    if (auto server_says = error_message_from_json(
            nlohmann::json::parse(answer.body.begin(), answer.body.end()))) {
      message = *server_says;
    }
  } catch (const nlohmann::json::exception&) {
    // Not the server's error form (a proxy's HTML page, say): the status says enough.
  }
  if (message.isEmpty())
    message = answer.reason.isEmpty() ? QStringLiteral("error") : answer.reason;
  return QStringLiteral("server: %1 (HTTP %2)").arg(message).arg(answer.status);
}

template <class T, class Parse>
void ApiClient::get_json(const QString& path, const QUrlQuery& query, const QString& not_found,
                         Reply<T> done, Parse parse) {
  const QString what = describe_request("GET", path);
  send("GET", api_url(server_url_, path, query), {}, {},
       [what, not_found, done = std::move(done),
        parse = std::move(parse)](Expected<HttpAnswer, QString> answer) {
         if (!answer) return done(Unexpected{answer.error()});
         if (answer->status == kHttpNotFound && !not_found.isEmpty())
           return done(Unexpected{not_found});
         if (answer->status != kHttpOk) return done(Unexpected{http_error(*answer)});
         auto json = parse_body(answer->body, what);
         if (!json) return done(Unexpected{json.error()});
         Expected<T, QString> value = parse(*json);
         if (!value)
           return done(
               Unexpected{QStringLiteral("unexpected answer to %1: %2").arg(what, value.error())});
         done(std::move(value));
       });
}

void ApiClient::post_json(const QString& path, const QByteArray& body, Reply<std::monostate> done) {
  send("POST", api_url(server_url_, path), body, {},
       [done = std::move(done)](Expected<HttpAnswer, QString> answer) {
         if (!answer) return done(Unexpected{answer.error()});
         if (answer->status < 200 || answer->status > 299)
           return done(Unexpected{http_error(*answer)});
         done(std::monostate{});
       });
}

void ApiClient::fetch_channels(Reply<std::vector<ChannelSummary>> done) {
  get_json<std::vector<ChannelSummary>>(
      QStringLiteral("/api/v1/channels"), {}, {}, std::move(done),
      [](const nlohmann::json& json) { return channels_from_json(json); });
}

void ApiClient::fetch_channel(const QString& channel_id, Reply<ChannelSummary> done) {
  get_json<ChannelSummary>(QStringLiteral("/api/v1/channels/") + path_segment(channel_id), {},
                           QStringLiteral("no channel '%1' on this server").arg(channel_id),
                           std::move(done),
                           [](const nlohmann::json& json) -> Expected<ChannelSummary, QString> {
                             auto channel = channel_summary_from_json(json);
                             if (!channel)
                               return Unexpected{QString::fromStdString(channel.error())};
                             return std::move(channel).value();
                           });
}

void ApiClient::fetch_schedule(const QString& channel_id,
                               Reply<std::optional<std::vector<Schedule>>> done) {
  const QString path = QStringLiteral("/api/v1/channels/%1/schedule").arg(path_segment(channel_id));
  const QString what = describe_request("GET", path);
  const auto known = schedule_etags_.find(channel_id);
  const QByteArray etag = known == schedule_etags_.end() ? QByteArray() : known->second;
  send(
      "GET", api_url(server_url_, path), {}, etag,
      [this, channel_id, what, done = std::move(done)](Expected<HttpAnswer, QString> answer) {
        if (!answer) return done(Unexpected{answer.error()});
        if (answer->status == kHttpNotModified) return done(std::optional<std::vector<Schedule>>());
        if (answer->status == kHttpNotFound)
          return done(Unexpected{QStringLiteral("no channel '%1' on this server").arg(channel_id)});
        if (answer->status != kHttpOk) return done(Unexpected{http_error(*answer)});
        auto json = parse_body(answer->body, what);
        if (!json) return done(Unexpected{json.error()});
        auto schedules = schedules_from_json(*json);
        if (!schedules)
          return done(Unexpected{
              QStringLiteral("unexpected answer to %1: %2").arg(what, schedules.error())});
        // Remembered only for an answer we could read, so a broken one is fetched again.
        if (answer->etag.isEmpty()) {
          schedule_etags_.erase(channel_id);
        } else {
          schedule_etags_[channel_id] = answer->etag;
        }
        done(std::optional<std::vector<Schedule>>(std::move(schedules).value()));
      });
}

void ApiClient::fetch_video(const QString& video_id, Reply<VideoInfo> done) {
  get_json<VideoInfo>(QStringLiteral("/api/v1/videos/") + path_segment(video_id), {},
                      QStringLiteral("no video '%1' on this server").arg(video_id), std::move(done),
                      [server = server_url_](const nlohmann::json& json) {
                        return video_info_from_json(json, server);
                      });
}

void ApiClient::register_viewer(const ViewerRegistration& viewer, Reply<std::monostate> done) {
  post_json(QStringLiteral("/api/v1/viewers"), QByteArray::fromStdString(to_json(viewer).dump()),
            std::move(done));
}

void ApiClient::send_heartbeat(const QString& viewer_id, const ViewerHeartbeat& heartbeat,
                               Reply<std::monostate> done) {
  post_json(QStringLiteral("/api/v1/viewers/%1/heartbeat").arg(path_segment(viewer_id)),
            QByteArray::fromStdString(to_json(heartbeat).dump()), std::move(done));
}

void ApiClient::fetch_bytes(const QString& path, Reply<QByteArray> done) {
  fetch_bytes(resolve(path), std::move(done));
}

void ApiClient::fetch_bytes(const QUrl& url, Reply<QByteArray> done) {
  send("GET", url, {}, {},
       [done = std::move(done)](Expected<HttpAnswer, QString> answer) {
         if (!answer) return done(Unexpected{answer.error()});
         if (answer->status != kHttpOk) return done(Unexpected{http_error(*answer)});
         done(std::move(answer->body));
       });
}

void ApiClient::fetch_time(std::int64_t client_sent_us, Reply<TimeReply> done) {
  QUrlQuery query;
  query.addQueryItem(QStringLiteral("t1"), QString::number(client_sent_us));
  get_json<TimeReply>(QStringLiteral("/api/v1/time"), query, {}, std::move(done),
                      [](const nlohmann::json& json) -> Expected<TimeReply, QString> {
                        auto reply = time_reply_from_json(json);
                        if (!reply) return Unexpected{QString::fromStdString(reply.error())};
                        return std::move(reply).value();
                      });
}

}  // namespace streamsync::viewer
