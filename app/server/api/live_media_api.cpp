#include "api/live_media_api.hpp"

#include "api/api_support.hpp"
#include "api/channel_view.hpp"
#include "api/playlist_cache.hpp"
#include "http/responses.hpp"
#include "media/live_playlist.hpp"
#include "media/media_response.hpp"
#include "observability/logger.hpp"

namespace streamsync::server {
namespace {

// A video's ladder lives in videos/<id>/master.m3u8, each rung in its own folder.
std::filesystem::path video_dir(const ApiContext& ctx, const std::string& video_id) {
  return ctx.media_root / "videos" / video_id;
}

std::string variant_name(const VariantStream& variant) {
  const auto slash = variant.uri.find('/');
  return slash == std::string::npos ? variant.uri : variant.uri.substr(0, slash);
}

StringResponse server_fault(const Request& request, const std::string& message) {
  log_error("live playlist failed",
            {{"target", std::string(request.target())}, {"error", message}});
  return error_response(request, beast_http::status::internal_server_error, "internal_error",
                        "the channel's media is inconsistent; see the server log");
}

Response master_playlist(ApiContext& ctx, const Request& request, const Timeline& timeline) {
  const std::string& first_video = timeline.schedule().items.front().video_id;
  auto master = ctx.playlists.master(video_dir(ctx, first_video) / "master.m3u8");
  if (!master) return server_fault(request, master.error());
  std::vector<LiveVariant> variants;
  for (const VariantStream& stream : master->variants)
    variants.push_back({variant_name(stream), stream});
  // Short-lived: a new schedule revision can start with another video and ladder.
  return serve_generated_playlist(request, build_live_master_playlist(variants), kCacheShort);
}

Response live_playlist(ApiContext& ctx, const Request& request, const Timeline& timeline,
                       std::string_view variant, std::int64_t now_us) {
  std::vector<LiveItemMedia> items;
  for (const ScheduleItem& item : timeline.schedule().items) {
    const auto dir = video_dir(ctx, item.video_id);
    auto master = ctx.playlists.master(dir / "master.m3u8");
    if (!master) return server_fault(request, master.error());
    const auto stream =
        std::find_if(master->variants.begin(), master->variants.end(),
                     [&](const VariantStream& s) { return variant_name(s) == variant; });
    if (stream == master->variants.end())
      return not_found(request, "variant '" + std::string(variant) + "'");
    auto playlist = ctx.playlists.media(dir / stream->uri);
    if (!playlist) return server_fault(request, playlist.error());
    items.push_back({std::move(playlist).value(),
                     "/media/videos/" + item.video_id + "/" + std::string(variant) + "/"});
  }
  auto text = build_live_media_playlist(timeline, items, now_us);
  if (!text) {
    if (text.error().kind == LivePlaylistError::Kind::before_start) {
      return error_response(
          request, beast_http::status::not_found, "not_started",
          "the channel starts at " + std::to_string(text.error().starts_at_us) + " (server µs)");
    }
    return server_fault(request, text.error().message);
  }
  return serve_generated_playlist(request, std::move(text).value());
}

}  // namespace

Response channel_media(ApiContext& ctx, const Request& request, const RequestTarget& target) {
  // media, channels, {id}, master.m3u8 | media, channels, {id}, {variant}, live.m3u8
  const auto& s = target.segments;
  const bool is_master = s.size() == 4 && s[3] == "master.m3u8";
  const bool is_live = s.size() == 5 && s[4] == "live.m3u8";
  if (!is_master && !is_live) return not_found(request, "'" + std::string(request.target()) + "'");
  if (request.method() != beast_http::verb::get && request.method() != beast_http::verb::head) {
    return method_not_allowed(request, {"GET", "HEAD"});
  }
  const std::string channel_id(s[2]);
  if (!ctx.channels.get(channel_id)) return not_found(request, "channel '" + channel_id + "'");
  const std::int64_t now_us = ctx.now_us();
  const ScheduleRevisions revisions = load_revisions(ctx.channels, channel_id);
  const Timeline* timeline = revisions.active_at(now_us);
  if (!timeline) return not_found(request, "schedule of channel '" + channel_id + "'");
  if (is_master) return master_playlist(ctx, request, *timeline);
  return live_playlist(ctx, request, *timeline, s[3], now_us);
}

}  // namespace streamsync::server
