#include "api/api_support.hpp"

#include <string>

#include "catalog/token_store.hpp"
#include "http/responses.hpp"

namespace streamsync::server {

std::optional<StringResponse> require_presenter(ApiContext& ctx, const Request& request) {
  const auto header = request.find(beast_http::field::authorization);
  constexpr std::string_view kScheme = "Bearer ";
  if (header == request.end() || header->value().substr(0, kScheme.size()) != kScheme) {
    auto response = error_response(request, beast_http::status::unauthorized, "unauthorized",
                                   "this needs a presenter token: Authorization: Bearer <token>");
    response.set(beast_http::field::www_authenticate, "Bearer realm=\"streamsync\"");
    return response;
  }
  if (!ctx.tokens.verify(header->value().substr(kScheme.size()))) {
    return error_response(request, beast_http::status::forbidden, "forbidden",
                          "the presenter token is not valid (wrong or revoked)");
  }
  return std::nullopt;
}

Expected<nlohmann::json, StringResponse> json_body(const Request& request) {
  const auto type = request[beast_http::field::content_type];
  if (type.substr(0, type.find(';')) != "application/json") {
    return Unexpected{error_response(request, beast_http::status::unsupported_media_type,
                                     "unsupported_media_type",
                                     "send the body as application/json")};
  }
  auto json = nlohmann::json::parse(request.body(), nullptr, false);
  if (json.is_discarded()) {
    return Unexpected{bad_request(request, "the body is not valid JSON")};
  }
  return json;
}

StringResponse not_found(const Request& request, std::string_view what) {
  return error_response(request, beast_http::status::not_found, "not_found",
                        std::string(what) + " not found");
}

StringResponse bad_request(const Request& request, std::string_view message) {
  return error_response(request, beast_http::status::bad_request, "bad_request", message);
}

StringResponse method_not_allowed(const Request& request,
                                  std::initializer_list<std::string_view> allowed) {
  std::string allow;
  for (const auto method : allowed) {
    if (!allow.empty()) allow += ", ";
    allow += method;
  }
  auto response = error_response(request, beast_http::status::method_not_allowed,
                                 "method_not_allowed", "allowed here: " + allow);
  response.set(beast_http::field::allow, allow);
  return response;
}

}  // namespace streamsync::server
