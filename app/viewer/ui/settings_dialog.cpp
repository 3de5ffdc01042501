#include "ui/settings_dialog.hpp"

#include <QAudioDevice>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QMediaDevices>
#include <QSpinBox>
#include <QVBoxLayout>
#include <cmath>

#include "settings/app_settings.hpp"
#include "ui/form_error_label.hpp"
#include "ui/identity_fields.hpp"

namespace streamsync::viewer {
namespace {

const QString kAutoQuality = QStringLiteral("auto");

template <class Widget>
Widget* named(Widget* widget, const char* object_name) {
  widget->setObjectName(QString::fromLatin1(object_name));
  return widget;
}

// Selects the item whose data is value; appends one labelled `missing_label` for it when
// there is none, so a saved choice the machine lacks right now is kept, not overwritten.
void select_or_keep(QComboBox* combo, const QString& value, const QString& missing_label) {
  int at = combo->findData(value);
  if (at < 0) {
    combo->addItem(missing_label, value);
    at = combo->count() - 1;
  }
  combo->setCurrentIndex(at);
}

}  // namespace

SettingsDialog::SettingsDialog(AppSettings& settings, const QStringList& rendition_names,
                               QWidget* parent)
    : QDialog(parent),
      settings_(settings),
      identity_(new IdentityFields(settings)),
      deadband_ms_(named(new QSpinBox, "deadbandMs")),
      max_rate_deviation_percent_(named(new QDoubleSpinBox, "maxRateDeviationPercent")),
      seek_threshold_ms_(named(new QSpinBox, "seekThresholdMs")),
      hardware_decoding_(
          named(new QCheckBox(tr("Use hardware decoding when available")), "hardwareDecoding")),
      audio_device_(named(new QComboBox, "audioDevice")),
      quality_(named(new QComboBox, "quality")),
      error_(new FormErrorLabel) {
  setWindowTitle(tr("Settings"));

  // The spin boxes stop what is wrong on its own (core's single-field limits); core's
  // validate() on Ok catches what is wrong together (a seek threshold under the deadband).
  deadband_ms_->setRange(1, 500);
  deadband_ms_->setSuffix(QStringLiteral(" ms"));
  max_rate_deviation_percent_->setRange(0.1, 50.0);
  max_rate_deviation_percent_->setDecimals(1);
  max_rate_deviation_percent_->setSingleStep(0.5);
  max_rate_deviation_percent_->setSuffix(QStringLiteral(" %"));
  seek_threshold_ms_->setRange(1, 600'000);
  seek_threshold_ms_->setSingleStep(100);
  seek_threshold_ms_->setSuffix(QStringLiteral(" ms"));

  auto* server_box = new QGroupBox(tr("Server"));
  auto* server_layout = new QVBoxLayout(server_box);
  server_layout->addWidget(identity_);

  auto* sync_box = new QGroupBox(tr("Synchronization"));
  auto* sync_form = new QFormLayout(sync_box);
  sync_form->addRow(tr("Deadband"), deadband_ms_);
  sync_form->addRow(tr("Max rate deviation"), max_rate_deviation_percent_);
  sync_form->addRow(tr("Seek threshold"), seek_threshold_ms_);

  auto* playback_box = new QGroupBox(tr("Playback"));
  auto* playback_form = new QFormLayout(playback_box);
  playback_form->addRow(QString(), hardware_decoding_);
  playback_form->addRow(tr("Audio output"), audio_device_);
  playback_form->addRow(tr("Quality"), quality_);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  buttons->setObjectName(QStringLiteral("buttons"));
  connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(server_box);
  layout->addWidget(sync_box);
  layout->addWidget(playback_box);
  layout->addWidget(error_);
  layout->addWidget(buttons);

  load();
  fill_qualities(rendition_names, settings_.quality());
}

// The server URL and display name: IdentityFields loads those itself.
void SettingsDialog::load() {
  const SyncThresholds thresholds = settings_.sync_thresholds();
  deadband_ms_->setValue(static_cast<int>(thresholds.deadband_ms));
  max_rate_deviation_percent_->setValue(thresholds.max_rate_deviation * 100.0);
  seek_threshold_ms_->setValue(static_cast<int>(thresholds.seek_threshold_ms));
  hardware_decoding_->setChecked(settings_.hardware_decoding());
  fill_audio_devices(settings_.audio_device());
}

void SettingsDialog::fill_audio_devices(const QString& selected_id) {
  audio_device_->addItem(tr("System default"), QString());
  for (const QAudioDevice& device : QMediaDevices::audioOutputs()) {
    audio_device_->addItem(device.description(), QString::fromUtf8(device.id()));
  }
  select_or_keep(audio_device_, selected_id, tr("Unavailable device (%1)").arg(selected_id));
}

void SettingsDialog::fill_qualities(const QStringList& rendition_names, const QString& selected) {
  quality_->addItem(tr("Auto"), kAutoQuality);
  for (const QString& name : rendition_names) quality_->addItem(name, name);
  select_or_keep(quality_, selected, selected);
}

QString SettingsDialog::error_text() const {
  return error_->shown_text();
}

void SettingsDialog::accept() {
  if (!identity_->check(*error_)) return;
  // Percent with one decimal, so round to the 0.1 % the box shows.
  const double max_rate_deviation =
      std::round(max_rate_deviation_percent_->value() * 10.0) / 1000.0;
  const SyncThresholds thresholds{deadband_ms_->value(), max_rate_deviation,
                                  seek_threshold_ms_->value()};
  // Saved first because it is the only part that can still be refused.
  if (const std::optional<QString> problem = settings_.set_sync_thresholds(thresholds)) {
    if (problem->startsWith(QLatin1String("deadband"))) {
      error_->refuse(deadband_ms_, tr("Deadband: %1").arg(*problem));
    } else if (problem->startsWith(QLatin1String("max_rate_deviation"))) {
      error_->refuse(max_rate_deviation_percent_, tr("Max rate deviation: %1").arg(*problem));
    } else {
      error_->refuse(seek_threshold_ms_, tr("Seek threshold: %1").arg(*problem));
    }
    return;
  }
  identity_->save_to(settings_);
  settings_.set_hardware_decoding(hardware_decoding_->isChecked());
  settings_.set_audio_device(audio_device_->currentData().toString());
  settings_.set_quality(quality_->currentData().toString());
  settings_.sync();
  error_->hide();
  QDialog::accept();
}

}  // namespace streamsync::viewer
