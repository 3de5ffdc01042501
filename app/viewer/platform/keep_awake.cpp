#include "platform/keep_awake.hpp"

#include "platform/keep_awake_backend.hpp"

namespace streamsync::viewer {

KeepAwake::KeepAwake(const QString& app_name, const QString& reason)
    : backend_(make_keep_awake_backend(app_name, reason)) {}

KeepAwake::~KeepAwake() {
  set_active(false);
}

void KeepAwake::set_active(bool active) {
  if (active == active_) return;
  active_ = active;
  if (active) {
    backend_->hold();
  } else {
    backend_->release();
  }
}

QString KeepAwake::problem() const {
  return backend_->problem();
}

}  // namespace streamsync::viewer
