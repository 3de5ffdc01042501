#include "ui/first_run_dialog.hpp"

#include <QDialogButtonBox>
#include <QLabel>
#include <QVBoxLayout>

#include "settings/app_settings.hpp"
#include "ui/form_error_label.hpp"
#include "ui/identity_fields.hpp"

namespace streamsync::viewer {

FirstRunDialog::FirstRunDialog(AppSettings& settings, QWidget* parent)
    : QDialog(parent),
      settings_(settings),
      identity_(new IdentityFields(settings)),
      error_(new FormErrorLabel) {
  setWindowTitle(tr("Welcome to StreamSync"));
  identity_->guide_first_entry();

  auto* intro = new QLabel(tr("Which StreamSync server do you watch, and under what name?"));
  intro->setWordWrap(true);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  connect(buttons, &QDialogButtonBox::accepted, this, &FirstRunDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &FirstRunDialog::reject);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(intro);
  layout->addWidget(identity_);
  layout->addWidget(error_);
  layout->addWidget(buttons);
}

QString FirstRunDialog::error_text() const {
  return error_->shown_text();
}

void FirstRunDialog::accept() {
  if (!identity_->check(*error_)) return;
  identity_->save_to(settings_);
  settings_.sync();
  error_->hide();
  QDialog::accept();
}

}  // namespace streamsync::viewer
