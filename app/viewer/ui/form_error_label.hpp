#pragma once

// FormErrorLabel: the red line under a dialog's form that says why Ok was refused. Hidden
// until refuse(); Ok going through hides it again (hide()). Plain text, since the message
// may quote what the user typed. Object name errorMessage, for tests.

#include <QLabel>

namespace streamsync::viewer {

class FormErrorLabel : public QLabel {
  Q_OBJECT

 public:
  explicit FormErrorLabel(QWidget* parent = nullptr);

  // Shows message and puts the cursor in field, the one the message is about.
  void refuse(QWidget* field, const QString& message);

  // The message on show; "" while hidden.
  QString shown_text() const;
};

}  // namespace streamsync::viewer
