#include "api/channel_view.hpp"

#include "catalog/video_store.hpp"

namespace streamsync::server {
namespace {

std::string_view state_name(PlaybackState state) {
  switch (state) {
    case PlaybackState::before_start:
      return "before_start";
    case PlaybackState::playing:
      return "playing";
    case PlaybackState::ended:
      return "ended";
  }
  return "ended";
}

std::string media_url(std::string_view relative_path) {
  return "/media/" + std::string(relative_path);
}

}  // namespace

ScheduleRevisions load_revisions(ChannelStore& channels, const std::string& channel_id) {
  ScheduleRevisions revisions;
  for (Schedule& schedule : channels.schedule_revisions(channel_id)) {
    // Stored schedules were validated on the way in; one that no longer validates (a
    // newer, stricter server) is skipped rather than taking the channel down.
    if (auto timeline = Timeline::create(std::move(schedule)))
      revisions.offer(std::move(timeline).value());
  }
  return revisions;
}

std::vector<Schedule> current_and_pending(const ScheduleRevisions& revisions, std::int64_t now_us) {
  std::vector<Schedule> result;
  const Timeline* active = revisions.active_at(now_us);
  if (!active) return result;
  result.push_back(active->schedule());
  for (std::optional<std::int64_t> at = revisions.next_switch_at_us(now_us); at;
       at = revisions.next_switch_at_us(*at)) {
    result.push_back(revisions.active_at(*at)->schedule());
  }
  return result;
}

std::int64_t viewers_of(const std::map<std::string, std::int64_t>& active_counts,
                        const std::string& channel_id) {
  const auto count = active_counts.find(channel_id);
  return count == active_counts.end() ? 0 : count->second;
}

ChannelSummary summarize_channel(ApiContext& ctx, const ChannelRecord& channel, std::int64_t now_us,
                                 std::int64_t viewers) {
  ChannelSummary summary;
  summary.id = channel.id;
  summary.slug = channel.slug;
  summary.name = channel.name;
  summary.description = channel.description;
  summary.viewers = viewers;
  summary.master_url = "/media/channels/" + channel.id + "/master.m3u8";
  summary.state = "no_schedule";

  const ScheduleRevisions revisions = load_revisions(ctx.channels, channel.id);
  const Timeline* timeline = revisions.active_at(now_us);
  if (!timeline) return summary;
  const Schedule& schedule = timeline->schedule();
  const Resolution now = timeline->resolve(now_us);
  summary.state = state_name(now.state);
  summary.schedule_revision = schedule.revision;

  const ScheduleItem& item = schedule.items[now.item_index];
  const std::optional<VideoRecord> video = ctx.videos.get(item.video_id);
  if (video && !video->poster.empty()) summary.poster_url = media_url(video->poster);

  if (now.state == PlaybackState::before_start) summary.starts_at_us = schedule.start_at_us;
  if (now.state == PlaybackState::playing) {
    summary.now_playing =
        NowPlaying{now.item_index,        item.video_id,    video ? video->title : item.video_id,
                   now.offset_in_item_us, item.duration_us, now.item_started_at_us};
  }
  if (now.next_transition_at_us && now.state != PlaybackState::ended) {
    // Before the start the next item is the first one; while playing, the one after (wrapping).
    const std::size_t next_index =
        now.state == PlaybackState::before_start ? 0 : (now.item_index + 1) % schedule.items.size();
    const bool has_next = now.state == PlaybackState::before_start || schedule.loop ||
                          now.item_index + 1 < schedule.items.size();
    if (has_next) {
      const ScheduleItem& next = schedule.items[next_index];
      const std::optional<VideoRecord> next_video = ctx.videos.get(next.video_id);
      summary.next_up = NextUp{next.video_id, next_video ? next_video->title : next.video_id,
                               *now.next_transition_at_us};
    }
  }
  return summary;
}

}  // namespace streamsync::server
