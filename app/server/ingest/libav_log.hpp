#pragma once

// libav's logging, kept off the server's stderr. libav logs through one process-wide
// callback; ours drops everything except errors raised on a thread that is inside a
// LibavErrorCapture, which keeps the last one as the reason for a failure.

#include <string>

namespace streamsync::server {

// Idempotent and thread-safe. Sets av_log_set_level(AV_LOG_QUIET) and installs the
// capturing callback, for the whole process.
void silence_libav_logging();

// While alive, libav errors logged on this thread are kept (the last one wins). Not nested:
// one per thread at a time. Calls silence_libav_logging().
class LibavErrorCapture {
 public:
  LibavErrorCapture();
  ~LibavErrorCapture();
  LibavErrorCapture(const LibavErrorCapture&) = delete;
  LibavErrorCapture& operator=(const LibavErrorCapture&) = delete;

  // The last error message logged on this thread since construction, without its prefix
  // and newline ("moov atom not found"); empty when none.
  std::string last_error() const;
};

}  // namespace streamsync::server
