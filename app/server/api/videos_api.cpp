#include "api/videos_api.hpp"

#include "api/api_support.hpp"
#include "catalog/video_store.hpp"
#include "http/responses.hpp"

namespace streamsync::server {
namespace {

nlohmann::json video_json(const VideoRecord& video) {
  return {{"id", video.id},
          {"title", video.title},
          {"duration_us", video.duration_us},
          {"status", to_string(video.status)},
          {"error", video.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(video.error)},
          {"renditions", video.renditions},
          {"poster_url", video.poster.empty() ? "" : "/media/" + video.poster},
          {"master_url", "/media/videos/" + video.id + "/master.m3u8"},
          {"created_at_us", video.created_at_us}};
}

}  // namespace

StringResponse videos_collection(ApiContext& ctx, const Request& request) {
  if (request.method() != beast_http::verb::get) return method_not_allowed(request, {"GET"});
  nlohmann::json list = nlohmann::json::array();
  for (const VideoRecord& video : ctx.videos.list()) list.push_back(video_json(video));
  return json_response(request, beast_http::status::ok, {{"videos", list}});
}

StringResponse video_resource(ApiContext& ctx, const Request& request, const std::string& id) {
  if (request.method() != beast_http::verb::get) return method_not_allowed(request, {"GET"});
  const auto video = ctx.videos.get(id);
  if (!video) return not_found(request, "video '" + id + "'");
  return json_response(request, beast_http::status::ok, video_json(*video));
}

}  // namespace streamsync::server
