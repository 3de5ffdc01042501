#include "ui/identity_fields.hpp"

#include <gtest/gtest.h>

#include <QLineEdit>
#include <QTemporaryDir>

#include "settings/app_settings.hpp"
#include "ui/form_error_label.hpp"

namespace streamsync::viewer {
namespace {

class IdentityFieldsTest : public ::testing::Test {
 protected:
  QString ini_path() const { return dir_.filePath(QStringLiteral("streamsync.ini")); }

  static QLineEdit* field(const IdentityFields& fields, const char* name) {
    auto* edit = fields.findChild<QLineEdit*>(QString::fromLatin1(name));
    EXPECT_NE(edit, nullptr) << name;
    return edit;
  }

 private:
  QTemporaryDir dir_;
};

TEST_F(IdentityFieldsTest, StartsFromSettingsAndSavesBoth) {
  AppSettings settings(ini_path());
  settings.set_server_url(QStringLiteral("http://before.example.org"));
  settings.set_display_name(QStringLiteral("Before"));
  IdentityFields fields(settings);
  EXPECT_EQ(field(fields, "serverUrl")->text(), QStringLiteral("http://before.example.org"));
  EXPECT_EQ(field(fields, "displayName")->text(), QStringLiteral("Before"));

  field(fields, "serverUrl")->setText(QStringLiteral("https://after.example.org"));
  field(fields, "displayName")->setText(QStringLiteral("After"));
  fields.save_to(settings);
  EXPECT_EQ(settings.server_url(), QStringLiteral("https://after.example.org"));
  EXPECT_EQ(settings.display_name(), QStringLiteral("After"));
}

TEST_F(IdentityFieldsTest, CheckRefusesTheUrlFirstThenTheName) {
  AppSettings settings(ini_path());
  IdentityFields fields(settings);
  FormErrorLabel error;
  EXPECT_EQ(error.shown_text(), QString());

  EXPECT_FALSE(fields.check(error));
  EXPECT_TRUE(error.shown_text().startsWith(QStringLiteral("Server URL")))
      << error.shown_text().toStdString();

  field(fields, "serverUrl")->setText(QStringLiteral("http://localhost:8080"));
  EXPECT_FALSE(fields.check(error));
  EXPECT_TRUE(error.shown_text().startsWith(QStringLiteral("Display name")))
      << error.shown_text().toStdString();

  field(fields, "displayName")->setText(QStringLiteral("Ada"));
  EXPECT_TRUE(fields.check(error));
  EXPECT_EQ(settings.server_url(), QString());  // checking saves nothing
}

TEST_F(IdentityFieldsTest, OnlyAFirstEntryCapsTheName) {
  AppSettings settings(ini_path());
  settings.set_display_name(QString(80, QLatin1Char('a')));
  IdentityFields settings_fields(settings);
  EXPECT_EQ(field(settings_fields, "displayName")->text().size(), 80);

  IdentityFields first_run_fields(settings);
  first_run_fields.guide_first_entry();
  EXPECT_EQ(field(first_run_fields, "displayName")->text().size(), 64);
}

}  // namespace
}  // namespace streamsync::viewer
