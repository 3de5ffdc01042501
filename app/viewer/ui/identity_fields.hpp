#pragma once

// IdentityFields: the server URL and the display name, the part of the form the first-run
// and the settings dialog share. Starts from what AppSettings holds; check() refuses what
// settings/field_checks refuses, with the same words in both dialogs; save_to() writes
// both. Children have object names (serverUrl, displayName) for tests.

#include <QWidget>

class QLineEdit;

namespace streamsync::viewer {

class AppSettings;
class FormErrorLabel;

class IdentityFields : public QWidget {
  Q_OBJECT

 public:
  explicit IdentityFields(const AppSettings& settings, QWidget* parent = nullptr);

  // For a first run, where the name is usually still empty: a placeholder that says what
  // the name is for, and no typing past 64 characters. Not for the settings dialog, where
  // a longer name given on the command line must show whole (and be refused), not be cut.
  void guide_first_entry();

  // True when the server will take both. Otherwise refuses the first one it will not take
  // on `error` ("Server URL has no host name"), puts the cursor there and returns false.
  bool check(FormErrorLabel& error);

  // Writes both to settings; does not sync().
  void save_to(AppSettings& settings) const;

 private:
  QLineEdit* server_url_;
  QLineEdit* display_name_;
};

}  // namespace streamsync::viewer
