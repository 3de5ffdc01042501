#pragma once

// AppSettings: what the viewer remembers between runs, over QSettings (organization
// "StreamSync", application "streamsync"): the server, who this viewer is, the sync
// thresholds, and the player's preferences. Each getter returns a usable value whatever the
// file holds (a hand-edited or older file falls back to the defaults); setters that can be
// refused say why.

#include <QSettings>
#include <QString>
#include <cstdint>
#include <memory>
#include <optional>

#include "sync/sync_policy.hpp"

namespace streamsync::viewer {

// The three sync thresholds a user may change, in the units the settings dialog shows;
// the defaults are core's.
struct SyncThresholds {
  std::int64_t deadband_ms = SyncPolicy{}.deadband_us / 1000;
  // fraction: 0.05 = playback between 0.95x and 1.05x
  double max_rate_deviation = SyncPolicy{}.max_rate_deviation;
  std::int64_t seek_threshold_ms = SyncPolicy{}.seek_threshold_us / 1000;
  friend bool operator==(const SyncThresholds&, const SyncThresholds&) = default;
};

class AppSettings {
 public:
  // The user's settings in the platform's usual place.
  AppSettings();
  // An INI file at this path (tests, portable installs).
  explicit AppSettings(const QString& ini_path);
  // Settings someone else owns and outlives this object.
  explicit AppSettings(QSettings* settings);

  AppSettings(const AppSettings&) = delete;
  AppSettings& operator=(const AppSettings&) = delete;

  // True until both a server URL and a display name have been saved.
  bool first_run() const;

  QString server_url() const;  // "" until set
  void set_server_url(const QString& url);
  QString display_name() const;  // "" until set
  void set_display_name(const QString& name);

  // This installation's identity for the server: an RFC 4122 UUID made on first use and
  // kept (a missing or malformed stored one is replaced), so the server sees one viewer
  // across restarts.
  QString viewer_id() const { return viewer_id_; }

  SyncThresholds sync_thresholds() const;
  // core's defaults with the user's thresholds on top.
  SyncPolicy sync_policy() const;
  // Saves the thresholds if core's validate() accepts them; otherwise saves nothing and
  // returns its message, which starts with the offending field (deadband_us,
  // max_rate_deviation or seek_threshold_us).
  std::optional<QString> set_sync_thresholds(const SyncThresholds& thresholds);

  bool hardware_decoding() const;  // default true
  void set_hardware_decoding(bool enabled);

  // QAudioDevice::id() of the output to use; "" = the system default.
  QString audio_device() const;
  void set_audio_device(const QString& device_id);

  // "auto" or the name of a rendition to keep ("720p").
  QString quality() const;
  void set_quality(const QString& quality);
  // The same for the engine: "" for automatic choice, else the rendition name.
  QString pinned_quality() const;

  int volume() const;           // 0..100, default 100
  void set_volume(int volume);  // clamped to 0..100
  bool muted() const;
  void set_muted(bool muted);

  // Writes pending changes to storage now (also done when this object goes away).
  void sync();

 private:
  void ensure_viewer_id();

  std::unique_ptr<QSettings> owned_;
  QSettings* settings_;
  QString viewer_id_;
};

}  // namespace streamsync::viewer
