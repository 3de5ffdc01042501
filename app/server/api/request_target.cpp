#include "api/request_target.hpp"

#include <algorithm>

namespace streamsync::server {

RequestTarget parse_target(std::string_view target) {
  RequestTarget result;
  const auto query_at = target.find('?');
  if (query_at != std::string_view::npos) {
    result.query = target.substr(query_at + 1);
    target = target.substr(0, query_at);
  }
  while (!target.empty()) {
    const auto slash = target.find('/');
    const std::string_view segment = target.substr(0, slash);
    if (!segment.empty()) result.segments.push_back(segment);
    if (slash == std::string_view::npos) break;
    target.remove_prefix(slash + 1);
  }
  return result;
}

std::optional<std::string_view> RequestTarget::param(std::string_view name) const {
  std::string_view rest = query;
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == name)
      return eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

std::optional<std::string> RequestTarget::decoded_param(std::string_view name) const {
  const auto raw = param(name);
  if (!raw) return std::nullopt;
  std::string decoded;
  decoded.reserve(raw->size());
  for (std::size_t i = 0; i < raw->size(); ++i) {
    const char c = (*raw)[i];
    if (c == '+') {
      decoded += ' ';
    } else if (c != '%') {
      decoded += c;
    } else {
      if (i + 2 >= raw->size()) return std::nullopt;
      const auto hex = [](char h) -> int {
        if (h >= '0' && h <= '9') return h - '0';
        if (h >= 'a' && h <= 'f') return h - 'a' + 10;
        if (h >= 'A' && h <= 'F') return h - 'A' + 10;
        return -1;
      };
      const int high = hex((*raw)[i + 1]), low = hex((*raw)[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      decoded += static_cast<char>(high * 16 + low);
      i += 2;
    }
  }
  return decoded;
}

bool RequestTarget::is(std::initializer_list<std::string_view> path) const {
  return segments.size() == path.size() && std::equal(path.begin(), path.end(), segments.begin());
}

}  // namespace streamsync::server
