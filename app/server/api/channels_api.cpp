#include "api/channels_api.hpp"

#include "api/api_support.hpp"
#include "api/channel_view.hpp"
#include "api/event_hub.hpp"
#include "catalog/channel_store.hpp"
#include "catalog/video_store.hpp"
#include "catalog/viewer_store.hpp"
#include "http/responses.hpp"
#include "timeline/schedule_json.hpp"

namespace streamsync::server {
namespace {

using beast_http::status;
using beast_http::verb;

StringResponse store_error(const Request& request, const StoreError& error) {
  switch (error.code) {
    case StoreErrorCode::not_found:
      return error_response(request, status::not_found, "not_found", error.message);
    case StoreErrorCode::conflict:
      return error_response(request, status::conflict, "conflict", error.message);
    case StoreErrorCode::invalid:
      break;
  }
  return error_response(request, status::bad_request, "bad_request", error.message);
}

nlohmann::json summary_json(ApiContext& ctx, const ChannelRecord& channel, std::int64_t now_us) {
  return to_json(summarize_channel(ctx, channel, now_us,
                                   viewers_of(ctx.viewers.active_counts(now_us), channel.id)));
}

StringResponse list_channels(ApiContext& ctx, const Request& request) {
  const std::int64_t now_us = ctx.now_us();
  const auto counts = ctx.viewers.active_counts(now_us);
  nlohmann::json list = nlohmann::json::array();
  for (const ChannelRecord& channel : ctx.channels.list()) {
    list.push_back(
        to_json(summarize_channel(ctx, channel, now_us, viewers_of(counts, channel.id))));
  }
  return json_response(request, status::ok, {{"channels", list}, {"server_time_us", now_us}});
}

StringResponse create_channel(ApiContext& ctx, const Request& request) {
  if (auto denied = require_presenter(ctx, request)) return *denied;
  auto body = json_body(request);
  if (!body) return body.error();
  auto draft = channel_draft_from_json(*body);
  if (!draft) return bad_request(request, draft.error());
  // A channel's id is its slug at creation, and stays when the slug is renamed later.
  ChannelRecord record{draft->slug, draft->slug, draft->name, draft->description, ctx.now_us()};
  auto created = ctx.channels.create(record);
  if (!created) return store_error(request, created.error());
  auto response =
      json_response(request, status::created, summary_json(ctx, *created, ctx.now_us()));
  response.set(beast_http::field::location, "/api/v1/channels/" + created->id);
  return response;
}

StringResponse update_channel(ApiContext& ctx, const Request& request,
                              const ChannelRecord& existing) {
  if (auto denied = require_presenter(ctx, request)) return *denied;
  auto body = json_body(request);
  if (!body) return body.error();
  auto draft = channel_draft_from_json(*body);
  if (!draft) return bad_request(request, draft.error());
  ChannelRecord record = existing;
  record.slug = draft->slug;
  record.name = draft->name;
  record.description = draft->description;
  auto updated = ctx.channels.update(record);
  if (!updated) return store_error(request, updated.error());
  return json_response(request, status::ok, summary_json(ctx, *updated, ctx.now_us()));
}

// Every item must name a ready video and fit inside it.
std::optional<std::string> check_items_exist(ApiContext& ctx, const Schedule& schedule) {
  for (std::size_t i = 0; i < schedule.items.size(); ++i) {
    const ScheduleItem& item = schedule.items[i];
    const std::string field = "items[" + std::to_string(i) + "]";
    const auto video = ctx.videos.get(item.video_id);
    if (!video) return field + ".video_id: no video '" + item.video_id + "'";
    if (video->status != VideoStatus::ready)
      return field + ".video_id: video '" + item.video_id + "' is not ready";
    if (item.in_point_us + item.duration_us > video->duration_us) {
      return field + ": in_point_us + duration_us = " +
             std::to_string(item.in_point_us + item.duration_us) + " runs past the video's end (" +
             std::to_string(video->duration_us) + " µs)";
    }
  }
  return std::nullopt;
}

StringResponse put_schedule(ApiContext& ctx, const Request& request, const std::string& id) {
  if (auto denied = require_presenter(ctx, request)) return *denied;
  auto body = json_body(request);
  if (!body) return body.error();
  auto schedule = schedule_from_json(*body);
  if (!schedule)
    return bad_request(request, schedule.error().field + ": " + schedule.error().message);
  if (schedule->channel_id != id) {
    return bad_request(request, "channel_id: '" + schedule->channel_id +
                                    "' does not match the URL's '" + id + "'");
  }
  const std::int64_t now_us = ctx.now_us();
  // Viewers switch at effective_at_us; a time already past would switch them at different moments.
  if (ctx.channels.latest_schedule(id) && schedule->effective_at_us <= now_us) {
    return bad_request(request, "effective_at_us: must be in the future (server time now: " +
                                    std::to_string(now_us) + ")");
  }
  if (auto problem = check_items_exist(ctx, *schedule)) return bad_request(request, *problem);
  auto stored = ctx.channels.put_schedule(*schedule, now_us);
  if (!stored) return store_error(request, stored.error());
  ctx.events.publish(id, ScheduleEvent{*stored});
  auto response = json_response(request, status::created, to_json(*stored));
  response.set(beast_http::field::etag, "\"" + std::to_string(stored->revision) + "\"");
  return response;
}

StringResponse get_schedule(ApiContext& ctx, const Request& request, const std::string& id) {
  const ScheduleRevisions revisions = load_revisions(ctx.channels, id);
  const Timeline* latest = revisions.latest();
  if (!latest) return not_found(request, "schedule of channel '" + id + "'");
  // The ETag is the newest revision: it changes exactly when there is something new to fetch.
  const std::string etag = "\"" + std::to_string(latest->schedule().revision) + "\"";
  if (request[beast_http::field::if_none_match] == etag) {
    StringResponse response{status::not_modified, request.version()};
    response.set(beast_http::field::etag, etag);
    response.keep_alive(request.keep_alive());
    response.prepare_payload();
    return response;
  }
  nlohmann::json schedules = nlohmann::json::array();
  const std::int64_t now_us = ctx.now_us();
  for (const Schedule& schedule : current_and_pending(revisions, now_us))
    schedules.push_back(to_json(schedule));
  auto response =
      json_response(request, status::ok,
                    {{"channel_id", id}, {"schedules", schedules}, {"server_time_us", now_us}});
  response.set(beast_http::field::etag, etag);
  response.set(beast_http::field::cache_control, "no-cache");
  return response;
}

}  // namespace

StringResponse channels_collection(ApiContext& ctx, const Request& request) {
  switch (request.method()) {
    case verb::get:
      return list_channels(ctx, request);
    case verb::post:
      return create_channel(ctx, request);
    default:
      return method_not_allowed(request, {"GET", "POST"});
  }
}

StringResponse channel_resource(ApiContext& ctx, const Request& request, const std::string& id) {
  const auto channel = ctx.channels.get(id);
  if (!channel) return not_found(request, "channel '" + id + "'");
  switch (request.method()) {
    case verb::get:
      return json_response(request, status::ok, summary_json(ctx, *channel, ctx.now_us()));
    case verb::put:
      return update_channel(ctx, request, *channel);
    case verb::delete_: {
      if (auto denied = require_presenter(ctx, request)) return *denied;
      ctx.channels.remove(id);
      StringResponse response{status::no_content, request.version()};
      response.keep_alive(request.keep_alive());
      response.prepare_payload();
      return response;
    }
    default:
      return method_not_allowed(request, {"GET", "PUT", "DELETE"});
  }
}

StringResponse channel_schedule(ApiContext& ctx, const Request& request, const std::string& id) {
  if (!ctx.channels.get(id)) return not_found(request, "channel '" + id + "'");
  switch (request.method()) {
    case verb::get:
      return get_schedule(ctx, request, id);
    case verb::put:
      return put_schedule(ctx, request, id);
    default:
      return method_not_allowed(request, {"GET", "PUT"});
  }
}

StringResponse channel_viewers(ApiContext& ctx, const Request& request, const std::string& id) {
  if (request.method() != verb::get) return method_not_allowed(request, {"GET"});
  if (!ctx.channels.get(id)) return not_found(request, "channel '" + id + "'");
  nlohmann::json list = nlohmann::json::array();
  for (const ViewerRecord& viewer : ctx.viewers.active_viewers(id, ctx.now_us())) {
    list.push_back({{"id", viewer.id},
                    {"display_name", viewer.display_name},
                    {"last_seen_us", viewer.last_seen_us}});
  }
  return json_response(request, status::ok, {{"channel_id", id}, {"viewers", list}});
}

}  // namespace streamsync::server
