#include "ui/settings_dialog.hpp"

#include <gtest/gtest.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QSpinBox>
#include <QTemporaryDir>

#include "settings/app_settings.hpp"

namespace streamsync::viewer {
namespace {

class SettingsDialogTest : public ::testing::Test {
 protected:
  QString ini_path() const { return dir_.filePath(QStringLiteral("streamsync.ini")); }

  template <class Widget>
  static Widget* field(const SettingsDialog& dialog, const char* name) {
    auto* widget = dialog.findChild<Widget*>(QString::fromLatin1(name));
    EXPECT_NE(widget, nullptr) << name;
    return widget;
  }

 private:
  QTemporaryDir dir_;
};

TEST_F(SettingsDialogTest, ShowsWhatIsSaved) {
  AppSettings settings(ini_path());
  settings.set_server_url(QStringLiteral("http://tv.example.org"));
  settings.set_display_name(QStringLiteral("Ada"));
  ASSERT_EQ(settings.set_sync_thresholds({20, 0.03, 1500}), std::nullopt);
  settings.set_hardware_decoding(false);
  settings.set_quality(QStringLiteral("480p"));

  SettingsDialog dialog(settings, {QStringLiteral("240p"), QStringLiteral("480p")});
  EXPECT_EQ(field<QLineEdit>(dialog, "serverUrl")->text(), QStringLiteral("http://tv.example.org"));
  EXPECT_EQ(field<QLineEdit>(dialog, "displayName")->text(), QStringLiteral("Ada"));
  EXPECT_EQ(field<QSpinBox>(dialog, "deadbandMs")->value(), 20);
  EXPECT_DOUBLE_EQ(field<QDoubleSpinBox>(dialog, "maxRateDeviationPercent")->value(), 3.0);
  EXPECT_EQ(field<QSpinBox>(dialog, "seekThresholdMs")->value(), 1500);
  EXPECT_FALSE(field<QCheckBox>(dialog, "hardwareDecoding")->isChecked());
  auto* audio = field<QComboBox>(dialog, "audioDevice");
  EXPECT_EQ(audio->itemText(0), QStringLiteral("System default"));
  EXPECT_EQ(audio->currentData().toString(), QString());
  auto* quality = field<QComboBox>(dialog, "quality");
  ASSERT_EQ(quality->count(), 3);
  EXPECT_EQ(quality->itemText(0), QStringLiteral("Auto"));
  EXPECT_EQ(quality->currentText(), QStringLiteral("480p"));
}

TEST_F(SettingsDialogTest, OkSavesEverythingRoundTrip) {
  {
    AppSettings settings(ini_path());
    SettingsDialog dialog(settings, {QStringLiteral("360p"), QStringLiteral("720p")});
    field<QLineEdit>(dialog, "serverUrl")
        ->setText(QStringLiteral("https://watch.example.org:8443"));
    field<QLineEdit>(dialog, "displayName")->setText(QStringLiteral("Grace"));
    field<QSpinBox>(dialog, "deadbandMs")->setValue(40);
    field<QDoubleSpinBox>(dialog, "maxRateDeviationPercent")->setValue(7.5);
    field<QSpinBox>(dialog, "seekThresholdMs")->setValue(3000);
    field<QCheckBox>(dialog, "hardwareDecoding")->setChecked(false);
    field<QComboBox>(dialog, "quality")->setCurrentIndex(2);  // 720p
    dialog.accept();
    EXPECT_EQ(dialog.result(), QDialog::Accepted);
    EXPECT_EQ(dialog.error_text(), QString());
  }
  const AppSettings saved(ini_path());
  EXPECT_EQ(saved.server_url(), QStringLiteral("https://watch.example.org:8443"));
  EXPECT_EQ(saved.display_name(), QStringLiteral("Grace"));
  EXPECT_EQ(saved.sync_thresholds(), (SyncThresholds{40, 0.075, 3000}));
  EXPECT_FALSE(saved.hardware_decoding());
  EXPECT_EQ(saved.audio_device(), QString());
  EXPECT_EQ(saved.quality(), QStringLiteral("720p"));

  // And the dialog opened again shows exactly that.
  AppSettings reopened(ini_path());
  SettingsDialog again(reopened, {QStringLiteral("360p"), QStringLiteral("720p")});
  EXPECT_EQ(field<QSpinBox>(again, "deadbandMs")->value(), 40);
  EXPECT_DOUBLE_EQ(field<QDoubleSpinBox>(again, "maxRateDeviationPercent")->value(), 7.5);
  EXPECT_EQ(field<QComboBox>(again, "quality")->currentText(), QStringLiteral("720p"));
}

TEST_F(SettingsDialogTest, InvalidInputIsRefusedNamingTheFieldAndNothingIsSaved) {
  AppSettings settings(ini_path());
  settings.set_server_url(QStringLiteral("http://before.example.org"));
  settings.set_display_name(QStringLiteral("Before"));
  SettingsDialog dialog(settings, {});
  auto* url = field<QLineEdit>(dialog, "serverUrl");
  auto* name = field<QLineEdit>(dialog, "displayName");
  auto* deadband = field<QSpinBox>(dialog, "deadbandMs");
  auto* seek = field<QSpinBox>(dialog, "seekThresholdMs");

  url->setText(QStringLiteral("ftp://example.org"));
  name->setText(QStringLiteral("After"));
  dialog.accept();
  EXPECT_NE(dialog.result(), QDialog::Accepted);
  EXPECT_TRUE(dialog.error_text().startsWith(QStringLiteral("Server URL")))
      << dialog.error_text().toStdString();

  url->setText(QStringLiteral("http://after.example.org"));
  name->setText(QStringLiteral("  "));
  dialog.accept();
  EXPECT_TRUE(dialog.error_text().startsWith(QStringLiteral("Display name")))
      << dialog.error_text().toStdString();

  // Each threshold is in range, but a seek threshold under the deadband is not valid.
  name->setText(QStringLiteral("After"));
  deadband->setValue(200);
  seek->setValue(100);
  dialog.accept();
  EXPECT_NE(dialog.result(), QDialog::Accepted);
  EXPECT_TRUE(dialog.error_text().startsWith(QStringLiteral("Seek threshold")))
      << dialog.error_text().toStdString();
  EXPECT_TRUE(dialog.error_text().contains(QStringLiteral("seek_threshold_us")));

  EXPECT_EQ(settings.server_url(), QStringLiteral("http://before.example.org"));
  EXPECT_EQ(settings.display_name(), QStringLiteral("Before"));
  EXPECT_EQ(settings.sync_thresholds(), SyncThresholds{});

  seek->setValue(2000);
  dialog.accept();
  EXPECT_EQ(dialog.result(), QDialog::Accepted);
  EXPECT_EQ(settings.server_url(), QStringLiteral("http://after.example.org"));
}

TEST_F(SettingsDialogTest, ChoicesThisMachineLacksAreKept) {
  AppSettings settings(ini_path());
  settings.set_server_url(QStringLiteral("http://localhost:8080"));
  settings.set_display_name(QStringLiteral("Ada"));
  settings.set_audio_device(QStringLiteral("usb-headset-unplugged"));
  settings.set_quality(QStringLiteral("1080p"));
  SettingsDialog dialog(settings, {QStringLiteral("360p")});
  EXPECT_EQ(field<QComboBox>(dialog, "audioDevice")->currentData().toString(),
            QStringLiteral("usb-headset-unplugged"));
  EXPECT_EQ(field<QComboBox>(dialog, "quality")->currentData().toString(), QStringLiteral("1080p"));
  dialog.accept();
  EXPECT_EQ(settings.audio_device(), QStringLiteral("usb-headset-unplugged"));
  EXPECT_EQ(settings.quality(), QStringLiteral("1080p"));
}

TEST_F(SettingsDialogTest, CancelSavesNothing) {
  AppSettings settings(ini_path());
  SettingsDialog dialog(settings, {});
  field<QLineEdit>(dialog, "serverUrl")->setText(QStringLiteral("http://example.org"));
  dialog.reject();
  EXPECT_EQ(settings.server_url(), QString());
}

}  // namespace
}  // namespace streamsync::viewer
