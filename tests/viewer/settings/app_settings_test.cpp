#include "settings/app_settings.hpp"

#include <gtest/gtest.h>

#include <QSettings>
#include <QTemporaryDir>

#include "protocol/api_messages.hpp"

namespace streamsync::viewer {
namespace {

class AppSettingsTest : public ::testing::Test {
 protected:
  QString ini_path() const { return dir_.filePath(QStringLiteral("streamsync.ini")); }

 private:
  QTemporaryDir dir_;
};

TEST_F(AppSettingsTest, DefaultsOnAnEmptyFile) {
  const AppSettings settings(ini_path());
  EXPECT_TRUE(settings.first_run());
  EXPECT_EQ(settings.server_url(), QString());
  EXPECT_EQ(settings.display_name(), QString());
  EXPECT_TRUE(settings.hardware_decoding());
  EXPECT_EQ(settings.audio_device(), QString());
  EXPECT_EQ(settings.quality(), QStringLiteral("auto"));
  EXPECT_EQ(settings.pinned_quality(), QString());
  EXPECT_EQ(settings.volume(), 100);
  EXPECT_FALSE(settings.muted());
  EXPECT_EQ(settings.sync_policy().deadband_us, SyncPolicy{}.deadband_us);
  EXPECT_EQ(settings.sync_thresholds(), (SyncThresholds{7, 0.05, 1000}));
}

TEST_F(AppSettingsTest, ValuesPersistAcrossInstances) {
  {
    AppSettings settings(ini_path());
    settings.set_server_url(QStringLiteral(" http://example.org:8080 "));
    settings.set_display_name(QStringLiteral("Ada"));
    ASSERT_EQ(settings.set_sync_thresholds({25, 0.03, 2500}), std::nullopt);
    settings.set_hardware_decoding(false);
    settings.set_audio_device(QStringLiteral("alsa_output.usb-headset"));
    settings.set_quality(QStringLiteral("720p"));
    settings.set_volume(42);
    settings.set_muted(true);
  }
  const AppSettings settings(ini_path());
  EXPECT_FALSE(settings.first_run());
  EXPECT_EQ(settings.server_url(), QStringLiteral("http://example.org:8080"));
  EXPECT_EQ(settings.display_name(), QStringLiteral("Ada"));
  EXPECT_EQ(settings.sync_thresholds(), (SyncThresholds{25, 0.03, 2500}));
  const SyncPolicy policy = settings.sync_policy();
  EXPECT_EQ(policy.deadband_us, 25'000);
  EXPECT_DOUBLE_EQ(policy.max_rate_deviation, 0.03);
  EXPECT_EQ(policy.seek_threshold_us, 2'500'000);
  EXPECT_EQ(policy.rate_gain_per_s, SyncPolicy{}.rate_gain_per_s);  // the rest: core's defaults
  EXPECT_FALSE(settings.hardware_decoding());
  EXPECT_EQ(settings.audio_device(), QStringLiteral("alsa_output.usb-headset"));
  EXPECT_EQ(settings.quality(), QStringLiteral("720p"));
  EXPECT_EQ(settings.pinned_quality(), QStringLiteral("720p"));
  EXPECT_EQ(settings.volume(), 42);
  EXPECT_TRUE(settings.muted());
}

TEST_F(AppSettingsTest, FirstRunUntilBothServerAndNameAreSaved) {
  AppSettings settings(ini_path());
  settings.set_server_url(QStringLiteral("http://localhost:8080"));
  EXPECT_TRUE(settings.first_run());
  settings.set_display_name(QStringLiteral("   "));
  EXPECT_TRUE(settings.first_run());
  settings.set_display_name(QStringLiteral("Grace"));
  EXPECT_FALSE(settings.first_run());
}

TEST_F(AppSettingsTest, ViewerIdIsAUuidMadeOnceAndKept) {
  QString first;
  {
    const AppSettings settings(ini_path());
    first = settings.viewer_id();
    EXPECT_TRUE(is_uuid(first.toStdString())) << first.toStdString();
  }
  const AppSettings again(ini_path());
  EXPECT_EQ(again.viewer_id(), first);

  QTemporaryDir other_dir;
  const AppSettings other(other_dir.filePath(QStringLiteral("other.ini")));
  EXPECT_NE(other.viewer_id(), first);
}

TEST_F(AppSettingsTest, AMalformedViewerIdIsReplaced) {
  {
    QSettings raw(ini_path(), QSettings::IniFormat);
    raw.setValue(QStringLiteral("identity/viewer_id"), QStringLiteral("not-a-uuid"));
  }
  const AppSettings settings(ini_path());
  EXPECT_TRUE(is_uuid(settings.viewer_id().toStdString()));
  EXPECT_EQ(AppSettings(ini_path()).viewer_id(), settings.viewer_id());
}

TEST_F(AppSettingsTest, InvalidThresholdsAreRefusedWithTheFieldNamed) {
  AppSettings settings(ini_path());
  ASSERT_EQ(settings.set_sync_thresholds({20, 0.04, 1500}), std::nullopt);

  struct Case {
    SyncThresholds thresholds;
    const char* field;
  };
  const Case cases[] = {
      {{0, 0.04, 1500}, "deadband_us"},        {{501, 0.04, 1500}, "deadband_us"},
      {{20, 0.0, 1500}, "max_rate_deviation"}, {{20, 0.6, 1500}, "max_rate_deviation"},
      {{20, 0.04, 20}, "seek_threshold_us"},  // not above the deadband
  };
  for (const Case& c : cases) {
    const std::optional<QString> problem = settings.set_sync_thresholds(c.thresholds);
    ASSERT_TRUE(problem.has_value()) << c.field;
    EXPECT_TRUE(problem->startsWith(QLatin1String(c.field))) << problem->toStdString();
  }
  // Nothing of the refused values was saved.
  EXPECT_EQ(settings.sync_thresholds(), (SyncThresholds{20, 0.04, 1500}));
}

TEST_F(AppSettingsTest, HandEditedNonsenseFallsBackToDefaults) {
  {
    QSettings raw(ini_path(), QSettings::IniFormat);
    raw.setValue(QStringLiteral("sync/deadband_ms"), QStringLiteral("fast"));
    raw.setValue(QStringLiteral("player/volume"), 250);
    raw.setValue(QStringLiteral("player/quality"), QString());
  }
  const AppSettings settings(ini_path());
  EXPECT_EQ(settings.sync_thresholds(), (SyncThresholds{7, 0.05, 1000}));
  EXPECT_EQ(settings.volume(), 100);
  EXPECT_EQ(settings.quality(), QStringLiteral("auto"));
}

TEST_F(AppSettingsTest, AbsurdStoredThresholdsDoNotOverflow) {
  {
    QSettings raw(ini_path(), QSettings::IniFormat);
    raw.setValue(QStringLiteral("sync/seek_threshold_ms"), QStringLiteral("9223372036854775807"));
  }
  const AppSettings settings(ini_path());
  // Saturated, not wrapped: still a valid (very large) seek threshold.
  EXPECT_GT(settings.sync_policy().seek_threshold_us, 0);
}

TEST_F(AppSettingsTest, VolumeIsClamped) {
  AppSettings settings(ini_path());
  settings.set_volume(-5);
  EXPECT_EQ(settings.volume(), 0);
  settings.set_volume(170);
  EXPECT_EQ(settings.volume(), 100);
}

TEST_F(AppSettingsTest, WorksOnSettingsItDoesNotOwn) {
  QSettings raw(ini_path(), QSettings::IniFormat);
  {
    AppSettings settings(&raw);
    settings.set_display_name(QStringLiteral("Lin"));
  }
  EXPECT_EQ(raw.value(QStringLiteral("identity/display_name")).toString(), QStringLiteral("Lin"));
}

}  // namespace
}  // namespace streamsync::viewer
