// KeepAwake on macOS: an IOKit power assertion that prevents idle display sleep (and with
// it idle system sleep) until released; `pmset -g assertions` lists it with the reason.
// Not built or run by CI (Linux only).

#include <IOKit/pwr_mgt/IOPMLib.h>

#include <utility>

#include "platform/keep_awake_backend.hpp"

namespace streamsync::viewer {
namespace {

class PowerAssertionHold final : public KeepAwakeBackend {
 public:
  explicit PowerAssertionHold(QString reason) : reason_(std::move(reason)) {}

  void hold() override {
    const CFStringRef name = reason_.toCFString();
    const IOReturn result = IOPMAssertionCreateWithName(
        kIOPMAssertionTypePreventUserIdleDisplaySleep, kIOPMAssertionLevelOn, name, &assertion_);
    CFRelease(name);
    held_ = result == kIOReturnSuccess;
    problem_ = held_ ? QString()
                     : QStringLiteral(
                           "cannot keep the screen awake: "
                           "IOPMAssertionCreateWithName failed (0x%1)")
                           .arg(static_cast<unsigned>(result), 0, 16);
  }

  void release() override {
    if (!held_) return;
    IOPMAssertionRelease(assertion_);
    held_ = false;
  }

  QString problem() const override { return problem_; }

 private:
  QString reason_;
  IOPMAssertionID assertion_ = kIOPMNullAssertionID;
  bool held_ = false;
  QString problem_;
};

}  // namespace

std::unique_ptr<KeepAwakeBackend> make_keep_awake_backend(const QString&, const QString& reason) {
  return std::make_unique<PowerAssertionHold>(reason);
}

}  // namespace streamsync::viewer
