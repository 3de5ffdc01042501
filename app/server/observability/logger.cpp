#include "observability/logger.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace streamsync::server {
namespace {

std::atomic<LogLevel> g_level{LogLevel::info};
std::mutex g_write_mutex;

std::string_view name(LogLevel level) {
  switch (level) {
    case LogLevel::debug:
      return "debug";
    case LogLevel::info:
      return "info";
    case LogLevel::warn:
      return "warn";
    case LogLevel::error:
      return "error";
  }
  return "info";
}

// logfmt: bare when safe, else quoted with \" and \\ escaped.
void append_value(std::string& line, std::string_view value) {
  const bool bare = !value.empty() && value.find_first_of(" =\"\\\n\t") == std::string_view::npos;
  if (bare) {
    line += value;
    return;
  }
  line += '"';
  for (const char c : value) {
    if (c == '"' || c == '\\') line += '\\';
    line += c == '\n' ? ' ' : c;
  }
  line += '"';
}

std::string timestamp() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(millis));
  return text;
}

}  // namespace

bool parse_log_level(std::string_view text, LogLevel& level) {
  for (const LogLevel candidate :
       {LogLevel::debug, LogLevel::info, LogLevel::warn, LogLevel::error}) {
    if (text == name(candidate)) {
      level = candidate;
      return true;
    }
  }
  return false;
}

void Logger::set_level(LogLevel level) {
  g_level = level;
}

bool Logger::enabled(LogLevel level) {
  return level >= g_level.load();
}

void Logger::log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields) {
  if (!enabled(level)) return;
  std::string line = "ts=" + timestamp() + " level=" + std::string(name(level)) + " msg=";
  append_value(line, message);
  for (const auto& [key, value] : fields) {
    line += ' ';
    line += key;
    line += '=';
    append_value(line, value);
  }
  line += '\n';
  const std::lock_guard lock(g_write_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace streamsync::server
