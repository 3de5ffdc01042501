#include "settings/app_settings.hpp"

#include <QUuid>
#include <algorithm>
#include <limits>

#include "protocol/api_messages.hpp"

namespace streamsync::viewer {
namespace {

// Keys, grouped the way the INI file shows them.
const QString kServerUrl = QStringLiteral("server/url");
const QString kDisplayName = QStringLiteral("identity/display_name");
const QString kViewerId = QStringLiteral("identity/viewer_id");
const QString kDeadbandMs = QStringLiteral("sync/deadband_ms");
const QString kMaxRateDeviation = QStringLiteral("sync/max_rate_deviation");
const QString kSeekThresholdMs = QStringLiteral("sync/seek_threshold_ms");
const QString kHardwareDecoding = QStringLiteral("player/hardware_decoding");
const QString kAudioDevice = QStringLiteral("player/audio_device");
const QString kQuality = QStringLiteral("player/quality");
const QString kVolume = QStringLiteral("player/volume");
const QString kMuted = QStringLiteral("player/muted");

const QString kAutoQuality = QStringLiteral("auto");
constexpr int kMaxVolume = 100;

// Saturating, so that an absurd stored value fails validate() instead of overflowing.
std::int64_t us_from_ms(std::int64_t ms) {
  constexpr std::int64_t kLimitMs = std::numeric_limits<std::int64_t>::max() / 1000;
  return std::clamp(ms, -kLimitMs, kLimitMs) * 1000;
}

SyncPolicy with_thresholds(const SyncThresholds& thresholds) {
  SyncPolicy policy;
  policy.deadband_us = us_from_ms(thresholds.deadband_ms);
  policy.max_rate_deviation = thresholds.max_rate_deviation;
  policy.seek_threshold_us = us_from_ms(thresholds.seek_threshold_ms);
  return policy;
}

}  // namespace

AppSettings::AppSettings()
    : owned_(
          std::make_unique<QSettings>(QStringLiteral("StreamSync"), QStringLiteral("streamsync"))),
      settings_(owned_.get()) {
  ensure_viewer_id();
}

AppSettings::AppSettings(const QString& ini_path)
    : owned_(std::make_unique<QSettings>(ini_path, QSettings::IniFormat)), settings_(owned_.get()) {
  ensure_viewer_id();
}

AppSettings::AppSettings(QSettings* settings) : settings_(settings) {
  ensure_viewer_id();
}

void AppSettings::ensure_viewer_id() {
  viewer_id_ = settings_->value(kViewerId).toString();
  if (is_uuid(viewer_id_.toStdString())) return;
  viewer_id_ = QUuid::createUuid().toString(QUuid::WithoutBraces);
  settings_->setValue(kViewerId, viewer_id_);
  // The identity must survive even a crash right after the first start.
  settings_->sync();
}

bool AppSettings::first_run() const {
  return server_url().isEmpty() || display_name().isEmpty();
}

QString AppSettings::server_url() const {
  return settings_->value(kServerUrl).toString().trimmed();
}
void AppSettings::set_server_url(const QString& url) {
  settings_->setValue(kServerUrl, url.trimmed());
}

QString AppSettings::display_name() const {
  return settings_->value(kDisplayName).toString().trimmed();
}
void AppSettings::set_display_name(const QString& name) {
  settings_->setValue(kDisplayName, name.trimmed());
}

SyncThresholds AppSettings::sync_thresholds() const {
  const SyncThresholds defaults;
  bool ok_deadband = false;
  bool ok_rate = false;
  bool ok_seek = false;
  const SyncThresholds stored{
      settings_->value(kDeadbandMs, QVariant::fromValue<qint64>(defaults.deadband_ms))
          .toLongLong(&ok_deadband),
      settings_->value(kMaxRateDeviation, defaults.max_rate_deviation).toDouble(&ok_rate),
      settings_->value(kSeekThresholdMs, QVariant::fromValue<qint64>(defaults.seek_threshold_ms))
          .toLongLong(&ok_seek)};
  // A file edited by hand into something core refuses would stop the sync loop: use the
  // defaults instead, all three together since they are only valid relative to each other.
  if (!ok_deadband || !ok_rate || !ok_seek || validate(with_thresholds(stored))) return defaults;
  return stored;
}

SyncPolicy AppSettings::sync_policy() const {
  return with_thresholds(sync_thresholds());
}

std::optional<QString> AppSettings::set_sync_thresholds(const SyncThresholds& thresholds) {
  if (const std::optional<std::string> problem = validate(with_thresholds(thresholds))) {
    return QString::fromStdString(*problem);
  }
  settings_->setValue(kDeadbandMs, QVariant::fromValue<qint64>(thresholds.deadband_ms));
  settings_->setValue(kMaxRateDeviation, thresholds.max_rate_deviation);
  settings_->setValue(kSeekThresholdMs, QVariant::fromValue<qint64>(thresholds.seek_threshold_ms));
  return std::nullopt;
}

bool AppSettings::hardware_decoding() const {
  return settings_->value(kHardwareDecoding, true).toBool();
}
void AppSettings::set_hardware_decoding(bool enabled) {
  settings_->setValue(kHardwareDecoding, enabled);
}

QString AppSettings::audio_device() const {
  return settings_->value(kAudioDevice).toString();
}
void AppSettings::set_audio_device(const QString& device_id) {
  settings_->setValue(kAudioDevice, device_id);
}

QString AppSettings::quality() const {
  const QString stored = settings_->value(kQuality, kAutoQuality).toString().trimmed();
  return stored.isEmpty() ? kAutoQuality : stored;
}
void AppSettings::set_quality(const QString& quality) {
  const QString trimmed = quality.trimmed();
  settings_->setValue(kQuality, trimmed.isEmpty() ? kAutoQuality : trimmed);
}
QString AppSettings::pinned_quality() const {
  const QString stored = quality();
  return stored == kAutoQuality ? QString() : stored;
}

int AppSettings::volume() const {
  bool ok = false;
  const int stored = settings_->value(kVolume, kMaxVolume).toInt(&ok);
  return ok ? std::clamp(stored, 0, kMaxVolume) : kMaxVolume;
}
void AppSettings::set_volume(int volume) {
  settings_->setValue(kVolume, std::clamp(volume, 0, kMaxVolume));
}

bool AppSettings::muted() const {
  return settings_->value(kMuted, false).toBool();
}
void AppSettings::set_muted(bool muted) {
  settings_->setValue(kMuted, muted);
}

void AppSettings::sync() {
  settings_->sync();
}

}  // namespace streamsync::viewer
