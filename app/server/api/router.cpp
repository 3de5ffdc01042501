#include "api/router.hpp"

#include <exception>

#include "api/api_support.hpp"
#include "api/channels_api.hpp"
#include "api/jobs_api.hpp"
#include "api/live_media_api.hpp"
#include "api/request_target.hpp"
#include "api/system_api.hpp"
#include "api/videos_api.hpp"
#include "api/viewers_api.hpp"
#include "http/responses.hpp"
#include "media/media_handler.hpp"
#include "observability/logger.hpp"
#include "observability/metrics.hpp"

namespace streamsync::server {
namespace {

Routed route_api(ApiContext& ctx, const Request& request, const RequestTarget& target) {
  const auto& s = target.segments;  // api, v1, ...
  if (target.is({"api", "v1", "time"})) return {time_now(ctx, request, target), "/api/v1/time"};
  if (target.is({"api", "v1", "channels"}))
    return {channels_collection(ctx, request), "/api/v1/channels"};
  if (target.is({"api", "v1", "videos"}))
    return {videos_collection(ctx, request), "/api/v1/videos"};
  if (target.is({"api", "v1", "viewers"}))
    return {register_viewer(ctx, request), "/api/v1/viewers"};
  if (target.is({"api", "v1", "jobs"})) return {jobs_collection(ctx, request), "/api/v1/jobs"};
  if (s.size() == 4 && s[2] == "jobs")
    return {job_resource(ctx, request, std::string(s[3])), "/api/v1/jobs/{id}"};
  if (s.size() == 5 && s[2] == "jobs" && s[4] == "cancel") {
    return {job_cancel(ctx, request, std::string(s[3])), "/api/v1/jobs/{id}/cancel"};
  }
  if (s.size() == 4 && s[2] == "channels") {
    return {channel_resource(ctx, request, std::string(s[3])), "/api/v1/channels/{id}"};
  }
  if (s.size() == 4 && s[2] == "videos")
    return {video_resource(ctx, request, std::string(s[3])), "/api/v1/videos/{id}"};
  if (s.size() == 5 && s[2] == "channels" && s[4] == "schedule") {
    return {channel_schedule(ctx, request, std::string(s[3])), "/api/v1/channels/{id}/schedule"};
  }
  if (s.size() == 5 && s[2] == "channels" && s[4] == "viewers") {
    return {channel_viewers(ctx, request, std::string(s[3])), "/api/v1/channels/{id}/viewers"};
  }
  if (s.size() == 5 && s[2] == "viewers" && s[4] == "heartbeat") {
    return {viewer_heartbeat(ctx, request, std::string(s[3])), "/api/v1/viewers/{id}/heartbeat"};
  }
  return {not_found(request, "API resource '" + std::string(request.target()) + "'"), "unmatched"};
}

std::uint64_t body_bytes(const Response& response) {
  return std::visit(
      [](const auto& message) -> std::uint64_t { return message.payload_size().value_or(0); },
      response);
}

int status_code(const Response& response) {
  return std::visit([](const auto& message) { return static_cast<int>(message.result_int()); },
                    response);
}

}  // namespace

Routed route_request(ApiContext& ctx, const Request& request) {
  const RequestTarget target = parse_target(request.target());
  const auto& s = target.segments;
  if (target.is({"healthz"})) return {health(ctx, request), "/healthz"};
  if (target.is({"metrics"})) return {metrics(ctx, request), "/metrics"};
  if (s.size() >= 2 && s[0] == "api" && s[1] == "v1") return route_api(ctx, request, target);
  if (s.size() >= 3 && s[0] == "media" && s[1] == "channels") {
    return {channel_media(ctx, request, target), "/media/channels/{id}/..."};
  }
  if (!s.empty() && s[0] == "media")
    return {serve_media_file(ctx.media_root, request), "/media/..."};
  return {not_found(request, "'" + std::string(request.target()) + "'"), "unmatched"};
}

Response handle_request(ApiContext& ctx, const Request& request) {
  Routed routed;
  try {
    routed = route_request(ctx, request);
  } catch (const std::exception& failure) {
    log_error("request failed",
              {{"target", std::string(request.target())}, {"error", failure.what()}});
    routed = {error_response(request, beast_http::status::internal_server_error, "internal_error",
                             "the server failed to answer this request; see its log"),
              "error"};
  }
  ctx.metrics.count_request(routed.route, status_code(routed.response),
                            body_bytes(routed.response));
  return std::move(routed.response);
}

}  // namespace streamsync::server
