#include "api/viewers_api.hpp"

#include "api/api_support.hpp"
#include "api/channel_view.hpp"
#include "api/event_hub.hpp"
#include "catalog/channel_store.hpp"
#include "catalog/viewer_store.hpp"
#include "http/responses.hpp"
#include "protocol/api_messages.hpp"

namespace streamsync::server {

using beast_http::status;

StringResponse register_viewer(ApiContext& ctx, const Request& request) {
  if (request.method() != beast_http::verb::post) return method_not_allowed(request, {"POST"});
  auto body = json_body(request);
  if (!body) return body.error();
  auto registration = viewer_registration_from_json(*body);
  if (!registration) return bad_request(request, registration.error());
  const ViewerRecord viewer =
      ctx.viewers.register_viewer(registration->id, registration->display_name, ctx.now_us());
  return json_response(request, status::ok,
                       {{"id", viewer.id},
                        {"display_name", viewer.display_name},
                        {"first_seen_us", viewer.first_seen_us}});
}

StringResponse viewer_heartbeat(ApiContext& ctx, const Request& request, const std::string& id) {
  if (request.method() != beast_http::verb::post) return method_not_allowed(request, {"POST"});
  if (!is_uuid(id)) return not_found(request, "viewer '" + id + "'");
  auto body = json_body(request);
  if (!body) return body.error();
  auto heartbeat = viewer_heartbeat_from_json(*body);
  if (!heartbeat) return bad_request(request, heartbeat.error());
  if (!ctx.channels.get(heartbeat->channel_id))
    return not_found(request, "channel '" + heartbeat->channel_id + "'");
  if (!ctx.viewers.heartbeat(id, heartbeat->channel_id, to_json(*heartbeat), ctx.now_us())) {
    return not_found(request, "viewer '" + id + "' (register it with POST /api/v1/viewers first)");
  }
  publish_presence_changes(ctx);
  StringResponse response{status::no_content, request.version()};
  response.keep_alive(request.keep_alive());
  response.prepare_payload();
  return response;
}

void publish_presence_changes(ApiContext& ctx) {
  const std::int64_t now_us = ctx.now_us();
  ctx.viewers.close_stale_sessions(now_us);
  const auto counts = ctx.viewers.active_counts(now_us);
  for (const ChannelRecord& channel : ctx.channels.list()) {
    ctx.events.publish_presence_if_changed(channel.id, viewers_of(counts, channel.id));
  }
}

}  // namespace streamsync::server
