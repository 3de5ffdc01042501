#pragma once

// Structured logs to stderr, one logfmt line per event:
//   ts=2026-11-28T10:51:26.123Z level=info msg="listening" http=0.0.0.0:8080
// Thread-safe; lines never interleave.

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace streamsync::server {

enum class LogLevel { debug, info, warn, error };

// Parses "debug", "info", "warn", "error"; false for anything else.
bool parse_log_level(std::string_view text, LogLevel& level);

using LogField = std::pair<std::string_view, std::string>;

class Logger {
 public:
  static void set_level(LogLevel level);
  static bool enabled(LogLevel level);
  static void log(LogLevel level, std::string_view message,
                  std::initializer_list<LogField> fields = {});
};

inline void log_info(std::string_view message, std::initializer_list<LogField> fields = {}) {
  Logger::log(LogLevel::info, message, fields);
}
inline void log_warn(std::string_view message, std::initializer_list<LogField> fields = {}) {
  Logger::log(LogLevel::warn, message, fields);
}
inline void log_error(std::string_view message, std::initializer_list<LogField> fields = {}) {
  Logger::log(LogLevel::error, message, fields);
}

}  // namespace streamsync::server
