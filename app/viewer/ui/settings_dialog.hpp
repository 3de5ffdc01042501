#pragma once

// SettingsDialog: edits AppSettings: server URL, display name, the sync thresholds
// (deadband, max rate deviation, seek threshold), hardware decoding, the audio output
// (Qt Multimedia's list, "System default" first) and the quality ("Auto" or a rendition).
// Ok checks everything first and saves only when all of it is valid; otherwise it says
// which field is wrong, puts the cursor there and stays open. Cancel saves nothing.
// Children have object names (serverUrl, displayName, deadbandMs, maxRateDeviationPercent,
// seekThresholdMs, hardwareDecoding, audioDevice, quality, errorMessage) for tests.

#include <QDialog>
#include <QStringList>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QSpinBox;

namespace streamsync::viewer {

class AppSettings;
class FormErrorLabel;
class IdentityFields;

class SettingsDialog : public QDialog {
  Q_OBJECT

 public:
  // rendition_names: the qualities the channel on air offers ("360p", "720p"), for the
  // quality choice; a pinned name not among them stays selectable.
  SettingsDialog(AppSettings& settings, const QStringList& rendition_names,
                 QWidget* parent = nullptr);

  // What stopped the last Ok; "" when nothing did.
  QString error_text() const;

 public slots:
  void accept() override;

 private:
  void load();
  void fill_audio_devices(const QString& selected_id);
  void fill_qualities(const QStringList& rendition_names, const QString& selected);

  AppSettings& settings_;
  IdentityFields* identity_;
  QSpinBox* deadband_ms_;
  QDoubleSpinBox* max_rate_deviation_percent_;
  QSpinBox* seek_threshold_ms_;
  QCheckBox* hardware_decoding_;
  QComboBox* audio_device_;
  QComboBox* quality_;
  FormErrorLabel* error_;
};

}  // namespace streamsync::viewer
