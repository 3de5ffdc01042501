#include "net/server_paths.hpp"

#include <gtest/gtest.h>

#include "qt_test_support.hpp"

namespace streamsync::viewer {
namespace {

TEST(ServerPaths, MediaPathsBecomeAbsolute) {
  const QUrl server(QStringLiteral("http://127.0.0.1:8080"));
  EXPECT_EQ(resolve_server_path(server, QStringLiteral("/media/videos/a/poster.jpg")).toString(),
            QStringLiteral("http://127.0.0.1:8080/media/videos/a/poster.jpg"));
  EXPECT_EQ(resolve_server_path(server, QStringLiteral("media/x.m3u8")).toString(),
            QStringLiteral("http://127.0.0.1:8080/media/x.m3u8"));
}

TEST(ServerPaths, KeepTheServersPathPrefix) {
  const QUrl proxied(QStringLiteral("https://example.org/streamsync"));
  EXPECT_EQ(api_url(proxied, QStringLiteral("/api/v1/channels")).toString(),
            QStringLiteral("https://example.org/streamsync/api/v1/channels"));
  EXPECT_EQ(resolve_server_path(QUrl(QStringLiteral("https://example.org/streamsync/")),
                                QStringLiteral("/media/a"))
                .toString(),
            QStringLiteral("https://example.org/streamsync/media/a"));
}

TEST(ServerPaths, IdsCannotReachAnotherEndpoint) {
  const QUrl server(QStringLiteral("http://h:1"));
  const QUrl url = api_url(
      server, QStringLiteral("/api/v1/channels/") + path_segment(QStringLiteral("a/../b c?d")));
  EXPECT_EQ(url.toString(QUrl::FullyEncoded),
            QStringLiteral("http://h:1/api/v1/channels/a%2F..%2Fb%20c%3Fd"));
}

TEST(ServerPaths, EventsUseWebSocketSchemes) {
  EXPECT_EQ(events_url(QUrl(QStringLiteral("http://h:8080")), QStringLiteral("demo")).toString(),
            QStringLiteral("ws://h:8080/api/v1/events?channel=demo"));
  EXPECT_EQ(events_url(QUrl(QStringLiteral("https://h")), QStringLiteral("a&b=c"))
                .toString(QUrl::FullyEncoded),
            QStringLiteral("wss://h/api/v1/events?channel=a%26b%3Dc"));
}

TEST(ServerPaths, DisplayUrlHasNoCredentialsOrTrailingSlash) {
  EXPECT_EQ(display_url(QUrl(QStringLiteral("http://user:pw@h:8080/"))),
            QStringLiteral("http://h:8080"));
}

}  // namespace
}  // namespace streamsync::viewer
