#include "settings/field_checks.hpp"

#include <QUrl>

namespace streamsync::viewer {

std::optional<QString> server_url_problem(const QString& url) {
  const QString trimmed = url.trimmed();
  if (trimmed.isEmpty()) return QStringLiteral("is required, for example http://localhost:8080");
  const QUrl parsed(trimmed, QUrl::StrictMode);
  if (!parsed.isValid()) return QStringLiteral("is not a valid URL");
  const QString scheme = parsed.scheme().toLower();
  if (scheme != QLatin1String("http") && scheme != QLatin1String("https")) {
    return QStringLiteral("must start with http:// or https://");
  }
  if (parsed.host().isEmpty()) return QStringLiteral("has no host name");
  return std::nullopt;
}

std::optional<QString> display_name_problem(const QString& name) {
  constexpr qsizetype kMaxBytes = 64;
  const QString trimmed = name.trimmed();
  if (trimmed.isEmpty()) return QStringLiteral("is required");
  if (trimmed.toUtf8().size() > kMaxBytes) {
    return QStringLiteral("is too long (at most %1 bytes)").arg(kMaxBytes);
  }
  return std::nullopt;
}

}  // namespace streamsync::viewer
