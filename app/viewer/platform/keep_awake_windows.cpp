// KeepAwake on Windows: SetThreadExecutionState keeps the display on and the system awake
// for as long as the calling thread holds ES_CONTINUOUS (the GUI thread here), and ends
// with the thread. Not built or run by CI (Linux only).

#include <windows.h>

#include "platform/keep_awake_backend.hpp"

namespace streamsync::viewer {
namespace {

class ExecutionStateHold final : public KeepAwakeBackend {
 public:
  void hold() override {
    const EXECUTION_STATE previous =
        SetThreadExecutionState(ES_CONTINUOUS | ES_DISPLAY_REQUIRED | ES_SYSTEM_REQUIRED);
    problem_ = previous == 0 ? QStringLiteral(
                                   "cannot keep the screen awake: "
                                   "SetThreadExecutionState failed")
                             : QString();
  }
  void release() override { SetThreadExecutionState(ES_CONTINUOUS); }
  QString problem() const override { return problem_; }

 private:
  QString problem_;
};

}  // namespace

std::unique_ptr<KeepAwakeBackend> make_keep_awake_backend(const QString&, const QString&) {
  return std::make_unique<ExecutionStateHold>();
}

}  // namespace streamsync::viewer
