#include "net/server_paths.hpp"

namespace streamsync::viewer {

QUrl resolve_server_path(const QUrl& server_url, const QString& path) {
  // Paths are handled in their encoded form (TolerantMode), so that "%2F" in an id stays
  // a character of its segment instead of becoming a separator.
  QUrl base = server_url.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment);
  const QString base_path = base.path(QUrl::FullyEncoded);
  if (!base_path.endsWith(QLatin1Char('/')))
    base.setPath(base_path + QLatin1Char('/'), QUrl::TolerantMode);
  QString relative_path = path;
  while (relative_path.startsWith(QLatin1Char('/'))) relative_path.remove(0, 1);
  // A path-only relative reference: a "x:" in its first segment is not taken for a scheme.
  QUrl relative;
  relative.setPath(relative_path, QUrl::TolerantMode);
  return base.resolved(relative);
}

QUrl api_url(const QUrl& server_url, const QString& path, const QUrlQuery& query) {
  QUrl url = resolve_server_path(server_url, path);
  if (!query.isEmpty()) url.setQuery(query);
  return url;
}

QString path_segment(const QString& id) {
  return QString::fromLatin1(QUrl::toPercentEncoding(id));
}

QUrl events_url(const QUrl& server_url, const QString& channel_id) {
  QUrlQuery query;
  query.addQueryItem(QStringLiteral("channel"),
                     QString::fromLatin1(QUrl::toPercentEncoding(channel_id)));
  QUrl url = api_url(server_url, QStringLiteral("/api/v1/events"), query);
  url.setScheme(server_url.scheme() == QLatin1String("https") ? QStringLiteral("wss")
                                                              : QStringLiteral("ws"));
  return url;
}

QString display_url(const QUrl& server_url) {
  QUrl url = server_url.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment |
                                 QUrl::StripTrailingSlash);
  if (url.path() == QLatin1String("/")) url.setPath(QString());
  return url.toDisplayString();
}

}  // namespace streamsync::viewer
