#pragma once

// What each platform's keep_awake_<platform>.cpp implements for KeepAwake, which calls
// hold() and release() alternately, starting with hold(), and releases a hold before it
// destroys the backend.

#include <QString>
#include <memory>

namespace streamsync::viewer {

class KeepAwakeBackend {
 public:
  virtual ~KeepAwakeBackend() = default;
  virtual void hold() = 0;
  virtual void release() = 0;
  virtual QString problem() const = 0;
};

std::unique_ptr<KeepAwakeBackend> make_keep_awake_backend(const QString& app_name,
                                                          const QString& reason);

}  // namespace streamsync::viewer
