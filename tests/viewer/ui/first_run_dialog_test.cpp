#include "ui/first_run_dialog.hpp"

#include <gtest/gtest.h>

#include <QLineEdit>
#include <QTemporaryDir>

#include "settings/app_settings.hpp"

namespace streamsync::viewer {
namespace {

class FirstRunDialogTest : public ::testing::Test {
 protected:
  QString ini_path() const { return dir_.filePath(QStringLiteral("streamsync.ini")); }

  static QLineEdit* field(const FirstRunDialog& dialog, const char* name) {
    auto* edit = dialog.findChild<QLineEdit*>(QString::fromLatin1(name));
    EXPECT_NE(edit, nullptr) << name;
    return edit;
  }

 private:
  QTemporaryDir dir_;
};

TEST_F(FirstRunDialogTest, BothFieldsAreRequired) {
  AppSettings settings(ini_path());
  FirstRunDialog dialog(settings);
  dialog.accept();
  EXPECT_NE(dialog.result(), QDialog::Accepted);
  EXPECT_TRUE(dialog.error_text().startsWith(QStringLiteral("Server URL")))
      << dialog.error_text().toStdString();

  field(dialog, "serverUrl")->setText(QStringLiteral("http://localhost:8080"));
  dialog.accept();
  EXPECT_NE(dialog.result(), QDialog::Accepted);
  EXPECT_TRUE(dialog.error_text().startsWith(QStringLiteral("Display name")))
      << dialog.error_text().toStdString();
  EXPECT_TRUE(settings.first_run());
}

TEST_F(FirstRunDialogTest, TheUrlMustBeHttpOrHttpsWithAHost) {
  AppSettings settings(ini_path());
  FirstRunDialog dialog(settings);
  field(dialog, "displayName")->setText(QStringLiteral("Ada"));
  for (const char* bad : {"localhost:8080", "ftp://example.org", "http://", "not a url"}) {
    field(dialog, "serverUrl")->setText(QString::fromLatin1(bad));
    dialog.accept();
    EXPECT_NE(dialog.result(), QDialog::Accepted) << bad;
    EXPECT_TRUE(dialog.error_text().startsWith(QStringLiteral("Server URL"))) << bad;
  }
  EXPECT_EQ(settings.server_url(), QString());
}

TEST_F(FirstRunDialogTest, OkSavesServerAndName) {
  AppSettings settings(ini_path());
  FirstRunDialog dialog(settings);
  field(dialog, "serverUrl")->setText(QStringLiteral(" https://watch.example.org "));
  field(dialog, "displayName")->setText(QStringLiteral("Ada"));
  dialog.accept();
  EXPECT_EQ(dialog.result(), QDialog::Accepted);
  EXPECT_EQ(dialog.error_text(), QString());
  EXPECT_FALSE(settings.first_run());
  EXPECT_EQ(AppSettings(ini_path()).server_url(), QStringLiteral("https://watch.example.org"));
}

TEST_F(FirstRunDialogTest, StartsFromWhatIsKnown) {
  AppSettings settings(ini_path());
  settings.set_server_url(QStringLiteral("http://from-the-command-line:8080"));
  FirstRunDialog dialog(settings);
  EXPECT_EQ(field(dialog, "serverUrl")->text(),
            QStringLiteral("http://from-the-command-line:8080"));
  EXPECT_EQ(field(dialog, "displayName")->text(), QString());
}

}  // namespace
}  // namespace streamsync::viewer
