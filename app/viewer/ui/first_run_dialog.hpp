#pragma once

// FirstRunDialog: the two things the viewer cannot start without, asked once: the server
// URL (http or https, with a host) and the name others see. Ok saves both to AppSettings
// when both are valid; otherwise it names the field and stays open. Children have object
// names (serverUrl, displayName, errorMessage) for tests.

#include <QDialog>

namespace streamsync::viewer {

class AppSettings;
class FormErrorLabel;
class IdentityFields;

class FirstRunDialog : public QDialog {
  Q_OBJECT

 public:
  // Starts from what settings already hold (a --server given on the command line, say).
  explicit FirstRunDialog(AppSettings& settings, QWidget* parent = nullptr);

  // What stopped the last Ok; "" when nothing did.
  QString error_text() const;

 public slots:
  void accept() override;

 private:
  AppSettings& settings_;
  IdentityFields* identity_;
  FormErrorLabel* error_;
};

}  // namespace streamsync::viewer
