#pragma once

// Checks most handlers share: presenter authentication, JSON request bodies, and the
// standard error answers.

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "api/api_context.hpp"
#include "http/http_types.hpp"
#include "util/expected.hpp"

namespace streamsync::server {

// nullopt when the request carries a valid presenter token (Authorization: Bearer ...);
// otherwise the answer: 401 without credentials, 403 with a wrong or revoked token.
std::optional<StringResponse> require_presenter(ApiContext& ctx, const Request& request);

// The body as JSON; 415 unless Content-Type is application/json, 400 when it does not parse.
Expected<nlohmann::json, StringResponse> json_body(const Request& request);

StringResponse not_found(const Request& request, std::string_view what);
StringResponse bad_request(const Request& request, std::string_view message);
StringResponse method_not_allowed(const Request& request,
                                  std::initializer_list<std::string_view> allowed);

}  // namespace streamsync::server
