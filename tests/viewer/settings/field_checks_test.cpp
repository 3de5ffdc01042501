#include "settings/field_checks.hpp"

#include <gtest/gtest.h>

namespace streamsync::viewer {
namespace {

TEST(FieldChecks, AcceptsHttpAndHttpsUrlsWithAHost) {
  EXPECT_EQ(server_url_problem(QStringLiteral("http://localhost:8080")), std::nullopt);
  EXPECT_EQ(server_url_problem(QStringLiteral("https://watch.example.org")), std::nullopt);
  EXPECT_EQ(server_url_problem(QStringLiteral(" http://192.168.1.10:8080/ ")), std::nullopt);
}

TEST(FieldChecks, RefusesOtherUrlsSayingWhy) {
  EXPECT_EQ(server_url_problem(QString()),
            QStringLiteral("is required, for example http://localhost:8080"));
  EXPECT_EQ(server_url_problem(QStringLiteral("ftp://example.org")),
            QStringLiteral("must start with http:// or https://"));
  EXPECT_EQ(server_url_problem(QStringLiteral("localhost:8080")),
            QStringLiteral("must start with http:// or https://"));
  EXPECT_EQ(server_url_problem(QStringLiteral("http://")), QStringLiteral("has no host name"));
  EXPECT_TRUE(server_url_problem(QStringLiteral("http://exa mple.org")).has_value());
}

TEST(FieldChecks, DisplayNameIsOneToSixtyFourBytes) {
  EXPECT_EQ(display_name_problem(QStringLiteral("Ada")), std::nullopt);
  EXPECT_EQ(display_name_problem(QString(64, QLatin1Char('x'))), std::nullopt);
  EXPECT_EQ(display_name_problem(QStringLiteral("  ")), QStringLiteral("is required"));
  EXPECT_TRUE(display_name_problem(QString(65, QLatin1Char('x'))).has_value());
  // 22 × "é" is 44 bytes; 33 × is 66: bytes count, not characters.
  EXPECT_EQ(display_name_problem(QString(22, QChar(0xE9))), std::nullopt);
  EXPECT_TRUE(display_name_problem(QString(33, QChar(0xE9))).has_value());
}

}  // namespace
}  // namespace streamsync::viewer
