#include "ingest/libav_log.hpp"

#include <cstdarg>
#include <mutex>

extern "C" {
#include <libavutil/log.h>
}

namespace streamsync::server {
namespace {

thread_local bool capturing = false;
thread_local std::string captured;

void on_libav_log(void* context, int level, const char* format, va_list arguments) {
  if (!capturing || level > AV_LOG_ERROR) return;
  char line[512];
  int print_prefix = 0;  // no "[mov,mp4,... @ 0x...]" prefix
  va_list copy;
  va_copy(copy, arguments);
  av_log_format_line2(context, level, format, copy, line, sizeof line, &print_prefix);
  va_end(copy);
  std::string text(line);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (!text.empty()) captured = std::move(text);
}

}  // namespace

void silence_libav_logging() {
  static std::once_flag once;
  std::call_once(once, [] {
    av_log_set_level(AV_LOG_QUIET);
    av_log_set_callback(on_libav_log);
  });
}

LibavErrorCapture::LibavErrorCapture() {
  silence_libav_logging();
  captured.clear();
  capturing = true;
}

LibavErrorCapture::~LibavErrorCapture() {
  capturing = false;
  captured.clear();
}

std::string LibavErrorCapture::last_error() const {
  return captured;
}

}  // namespace streamsync::server
