#include "ui/first_run_dialog.hpp"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

#include "settings/app_settings.hpp"
#include "settings/field_checks.hpp"

namespace streamsync::viewer {

FirstRunDialog::FirstRunDialog(AppSettings& settings, QWidget* parent)
    : QDialog(parent),
      settings_(settings),
      server_url_(new QLineEdit(settings.server_url())),
      display_name_(new QLineEdit(settings.display_name())),
      error_(new QLabel) {
  setWindowTitle(tr("Welcome to StreamSync"));
  server_url_->setObjectName(QStringLiteral("serverUrl"));
  server_url_->setPlaceholderText(QStringLiteral("http://localhost:8080"));
  display_name_->setObjectName(QStringLiteral("displayName"));
  display_name_->setPlaceholderText(tr("How others see you"));
  display_name_->setMaxLength(64);
  error_->setObjectName(QStringLiteral("errorMessage"));
  error_->setTextFormat(Qt::PlainText);
  error_->setWordWrap(true);
  error_->setStyleSheet(QStringLiteral("color: #d32f2f;"));
  error_->hide();

  auto* intro = new QLabel(tr("Which StreamSync server do you watch, and under what name?"));
  intro->setWordWrap(true);
  auto* form = new QFormLayout;
  form->addRow(tr("Server URL"), server_url_);
  form->addRow(tr("Display name"), display_name_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  connect(buttons, &QDialogButtonBox::accepted, this, &FirstRunDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &FirstRunDialog::reject);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(intro);
  layout->addLayout(form);
  layout->addWidget(error_);
  layout->addWidget(buttons);
}

QString FirstRunDialog::error_text() const {
  return error_->isHidden() ? QString() : error_->text();
}

void FirstRunDialog::accept() {
  if (const auto problem = server_url_problem(server_url_->text())) {
    refuse(server_url_, tr("Server URL %1").arg(*problem));
    return;
  }
  if (const auto problem = display_name_problem(display_name_->text())) {
    refuse(display_name_, tr("Display name %1").arg(*problem));
    return;
  }
  settings_.set_server_url(server_url_->text());
  settings_.set_display_name(display_name_->text());
  settings_.sync();
  error_->hide();
  QDialog::accept();
}

void FirstRunDialog::refuse(QLineEdit* field, const QString& message) {
  error_->setText(message);
  error_->show();
  field->setFocus();
}

}  // namespace streamsync::viewer
