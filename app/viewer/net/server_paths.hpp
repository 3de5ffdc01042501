#pragma once

// Where things live on a StreamSync server, as absolute URLs. The server's JSON names media
// by paths ("/media/videos/a/poster.jpg", or "videos/a/360p/index.m3u8" under /media/); the
// viewer needs URLs it can hand to mpv or QNetworkAccessManager. A server URL may carry a
// path prefix (a reverse proxy serving it under /streamsync/): every path lands below it.

#include <QString>
#include <QUrl>
#include <QUrlQuery>

namespace streamsync::viewer {

// `path` ("/media/x" or "media/x") below the server's root.
QUrl resolve_server_path(const QUrl& server_url, const QString& path);

// An API endpoint ("/api/v1/channels") with an optional query.
QUrl api_url(const QUrl& server_url, const QString& path, const QUrlQuery& query = {});

// One path segment, percent-encoded ("a/b c" -> "a%2Fb%20c"), so that an id can never
// reach another endpoint.
QString path_segment(const QString& id);

// The WebSocket events of a channel: ws(s)://.../api/v1/events?channel=ID.
QUrl events_url(const QUrl& server_url, const QString& channel_id);

// The server URL as messages show it ("http://host:8080").
QString display_url(const QUrl& server_url);

}  // namespace streamsync::viewer
