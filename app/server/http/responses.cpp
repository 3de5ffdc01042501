#include "http/responses.hpp"

namespace streamsync::server {

StringResponse json_response(const Request& request, beast_http::status status,
                             const nlohmann::json& body) {
  StringResponse response{status, request.version()};
  response.set(beast_http::field::content_type, "application/json");
  response.set(beast_http::field::cache_control, "no-store");
  response.keep_alive(request.keep_alive());
  response.body() = body.dump();
  response.prepare_payload();
  return response;
}

StringResponse error_response(const Request& request, beast_http::status status,
                              std::string_view code, std::string_view message) {
  return json_response(request, status, {{"error", {{"code", code}, {"message", message}}}});
}

}  // namespace streamsync::server
