#include "ui/form_error_label.hpp"

namespace streamsync::viewer {

FormErrorLabel::FormErrorLabel(QWidget* parent) : QLabel(parent) {
  setObjectName(QStringLiteral("errorMessage"));
  setTextFormat(Qt::PlainText);
  setWordWrap(true);
  setStyleSheet(QStringLiteral("color: #d32f2f;"));
  hide();
}

void FormErrorLabel::refuse(QWidget* field, const QString& message) {
  setText(message);
  show();
  field->setFocus();
}

QString FormErrorLabel::shown_text() const {
  return isHidden() ? QString() : text();
}

}  // namespace streamsync::viewer
