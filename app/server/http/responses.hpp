#pragma once

// Building blocks for responses: JSON bodies and the API's error shape
// {"error": {"code": "...", "message": "..."}}.

#include <nlohmann/json.hpp>
#include <string_view>

#include "http/http_types.hpp"

namespace streamsync::server {

// A JSON response answering `request` (keep-alive and version copied from it).
StringResponse json_response(const Request& request, beast_http::status status,
                             const nlohmann::json& body);

// The API's error response: `code` is a stable machine-readable word ("not_found",
// "bad_request", ...), `message` says what is wrong for a human.
StringResponse error_response(const Request& request, beast_http::status status,
                              std::string_view code, std::string_view message);

}  // namespace streamsync::server
