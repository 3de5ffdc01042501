#include "api/videos_api.hpp"

#include <algorithm>

#include "api/api_support.hpp"
#include "api/channel_view.hpp"
#include "api/jobs_api.hpp"
#include "api/request_target.hpp"
#include "catalog/channel_store.hpp"
#include "catalog/job_store.hpp"
#include "catalog/video_store.hpp"
#include "http/responses.hpp"
#include "jobs/ingest_queue.hpp"

namespace streamsync::server {
namespace {

nlohmann::json video_json(ApiContext& ctx, const VideoRecord& video) {
  const auto job = ctx.jobs.latest_for_video(video.id);
  return {{"id", video.id},
          {"title", video.title},
          {"duration_us", video.duration_us},
          {"status", to_string(video.status)},
          {"error", video.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(video.error)},
          {"renditions", video.renditions},
          {"poster_url", video.poster.empty() ? "" : "/media/" + video.poster},
          {"master_url", "/media/videos/" + video.id + "/master.m3u8"},
          {"created_at_us", video.created_at_us},
          {"job", job ? job_json(*job) : nlohmann::json(nullptr)}};
}

// Channels whose active or pending schedule plays the video.
std::vector<std::string> channels_scheduling(ApiContext& ctx, const std::string& video_id) {
  std::vector<std::string> users;
  const std::int64_t now_us = ctx.now_us();
  for (const ChannelRecord& channel : ctx.channels.list()) {
    const ScheduleRevisions revisions = load_revisions(ctx.channels, channel.id);
    for (const Schedule& schedule : current_and_pending(revisions, now_us)) {
      const bool plays =
          std::any_of(schedule.items.begin(), schedule.items.end(),
                      [&](const ScheduleItem& item) { return item.video_id == video_id; });
      if (plays) {
        users.push_back(channel.id);
        break;
      }
    }
  }
  return users;
}

StringResponse delete_video(ApiContext& ctx, const Request& request, const VideoRecord& video) {
  if (auto denied = require_presenter(ctx, request)) return *denied;
  const bool force = parse_target(request.target()).param("force") == "true";
  const auto users = channels_scheduling(ctx, video.id);
  if (!users.empty() && !force) {
    std::string list;
    for (const auto& channel : users) list += (list.empty() ? "" : ", ") + channel;
    return error_response(request, beast_http::status::conflict, "conflict",
                          "video '" + video.id + "' is scheduled on " + list +
                              "; add ?force=true to delete it anyway");
  }
  if (const auto job = ctx.jobs.latest_for_video(video.id); job && !is_finished(job->status))
    ctx.ingest.cancel(job->id);
  ctx.videos.remove(video.id);
  std::error_code ignored;
  std::filesystem::remove_all(ctx.media_root / "videos" / video.id, ignored);
  StringResponse response{beast_http::status::no_content, request.version()};
  response.keep_alive(request.keep_alive());
  response.prepare_payload();
  return response;
}

}  // namespace

StringResponse videos_collection(ApiContext& ctx, const Request& request) {
  // POST (uploads) never gets here: the HTTP layer streams them to a file (upload_api).
  if (request.method() != beast_http::verb::get)
    return method_not_allowed(request, {"GET", "POST"});
  nlohmann::json list = nlohmann::json::array();
  for (const VideoRecord& video : ctx.videos.list()) list.push_back(video_json(ctx, video));
  return json_response(request, beast_http::status::ok, {{"videos", list}});
}

StringResponse video_resource(ApiContext& ctx, const Request& request, const std::string& id) {
  const auto video = ctx.videos.get(id);
  if (!video) return not_found(request, "video '" + id + "'");
  switch (request.method()) {
    case beast_http::verb::get:
      return json_response(request, beast_http::status::ok, video_json(ctx, *video));
    case beast_http::verb::delete_:
      return delete_video(ctx, request, *video);
    default:
      return method_not_allowed(request, {"GET", "DELETE"});
  }
}

}  // namespace streamsync::server
