#pragma once

// Splitting a request target into path segments and query parameters, for routing.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace streamsync::server {

struct RequestTarget {
  std::vector<std::string_view> segments;  // "/api/v1/channels/x" -> api, v1, channels, x
  std::string_view query;                  // after '?', without it

  // The raw value of query parameter `name` (not percent-decoded: our parameters are
  // ids and integers), or nullopt.
  std::optional<std::string_view> param(std::string_view name) const;
  // The value of `name` percent-decoded ('+' is a space), for free text such as titles;
  // nullopt when absent or not valid percent-encoding.
  std::optional<std::string> decoded_param(std::string_view name) const;
  bool is(std::initializer_list<std::string_view> path) const;
};

// Views into `target`, which must outlive the result.
RequestTarget parse_target(std::string_view target);

}  // namespace streamsync::server
