#include "demo_channel.hpp"

#include <cmath>
#include <stdexcept>

#include "catalog/channel_store.hpp"
#include "catalog/video_store.hpp"
#include "demo/demo_catalog.hpp"
#include "demo/demo_video.hpp"
#include "observability/logger.hpp"

namespace streamsync::server {
namespace {

VideoRecord make_or_reuse(const DemoVideoSpec& spec, const std::filesystem::path& media_root,
                          VideoStore& videos, std::int64_t now_us) {
  DemoVideoOptions options;
  int last_quarter = -1;
  options.on_progress = [&](double fraction) {
    const int quarter = static_cast<int>(std::floor(fraction * 4));
    if (quarter == last_quarter) return;
    last_quarter = quarter;
    log_info("making demo video", {{"id", spec.id}, {"percent", std::to_string(quarter * 25)}});
  };
  auto video = make_demo_video(spec, media_root, options);
  if (!video) throw std::runtime_error("demo video '" + spec.id + "': " + video.error());
  const auto existing = videos.get(video->id);
  VideoRecord record{video->id,
                     video->title,
                     video->duration_us,
                     VideoStatus::ready,
                     video->renditions,
                     video->poster,
                     "",
                     existing ? existing->created_at_us : now_us};
  videos.upsert(record);
  return record;
}

}  // namespace

void prepare_demo_channel(const std::filesystem::path& media_root, VideoStore& videos,
                          ChannelStore& channels, const std::function<std::int64_t()>& now_us) {
  std::vector<ScheduleItem> items;
  for (const DemoVideoSpec& spec : default_demo_specs()) {
    const VideoRecord video = make_or_reuse(spec, media_root, videos, now_us());
    items.push_back({video.id, 0, video.duration_us});
  }
  if (!channels.get(kDemoChannelId)) {
    auto created =
        channels.create({kDemoChannelId, kDemoChannelId, "Demo",
                         "Test patterns with a burnt-in timecode, a frame-number strip and a tone, "
                         "looping: every viewer should show the same frame.",
                         now_us()});
    if (!created) throw std::runtime_error("demo channel: " + created.error().message);
  }
  if (!channels.latest_schedule(kDemoChannelId)) {
    const std::int64_t start_us = demo_start_at_us(now_us());
    auto stored =
        channels.put_schedule({kDemoChannelId, 1, start_us, start_us, true, items}, now_us());
    if (!stored) throw std::runtime_error("demo schedule: " + stored.error().message);
  }
  log_info("demo channel ready",
           {{"channel", kDemoChannelId}, {"videos", std::to_string(items.size())}});
}

}  // namespace streamsync::server
