#include "ui/identity_fields.hpp"

#include <QFormLayout>
#include <QLineEdit>

#include "settings/app_settings.hpp"
#include "settings/field_checks.hpp"
#include "ui/form_error_label.hpp"

namespace streamsync::viewer {

IdentityFields::IdentityFields(const AppSettings& settings, QWidget* parent)
    : QWidget(parent),
      server_url_(new QLineEdit(settings.server_url())),
      display_name_(new QLineEdit(settings.display_name())) {
  server_url_->setObjectName(QStringLiteral("serverUrl"));
  server_url_->setPlaceholderText(QStringLiteral("http://localhost:8080"));
  display_name_->setObjectName(QStringLiteral("displayName"));

  // No margins of its own: the rows line up with whatever layout holds this widget.
  auto* form = new QFormLayout(this);
  form->setContentsMargins(0, 0, 0, 0);
  form->addRow(tr("Server URL"), server_url_);
  form->addRow(tr("Display name"), display_name_);
}

void IdentityFields::guide_first_entry() {
  display_name_->setPlaceholderText(tr("How others see you"));
  display_name_->setMaxLength(64);
}

bool IdentityFields::check(FormErrorLabel& error) {
  if (const auto problem = server_url_problem(server_url_->text())) {
    error.refuse(server_url_, tr("Server URL %1").arg(*problem));
    return false;
  }
  if (const auto problem = display_name_problem(display_name_->text())) {
    error.refuse(display_name_, tr("Display name %1").arg(*problem));
    return false;
  }
  return true;
}

void IdentityFields::save_to(AppSettings& settings) const {
  settings.set_server_url(server_url_->text());
  settings.set_display_name(display_name_->text());
}

}  // namespace streamsync::viewer
