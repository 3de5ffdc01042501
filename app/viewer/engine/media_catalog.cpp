#include "engine/media_catalog.hpp"

#include <QPointer>

namespace streamsync::viewer {
namespace {

constexpr qint64 kRetryAfterFailureMs = 2000;

}  // namespace

MediaCatalog::MediaCatalog(ApiClient& api, QObject* parent) : QObject(parent), api_(api) {
  uptime_.start();
}

const VideoInfo* MediaCatalog::find(const QString& video_id) {
  if (const auto found = videos_.find(video_id); found != videos_.end()) return &found->second;
  if (in_flight_.contains(video_id)) return nullptr;
  if (const auto retry = retry_after_ms_.find(video_id);
      retry != retry_after_ms_.end() && uptime_.elapsed() < retry->second) {
    return nullptr;
  }
  in_flight_.insert(video_id);
  // The reply may outlive this catalog (the viewer left the channel): then it is dropped.
  api_.fetch_video(video_id, [self = QPointer(this), video_id](Expected<VideoInfo, QString> video) {
    if (self) self->store(video_id, std::move(video));
  });
  return nullptr;
}

void MediaCatalog::store(const QString& video_id, Expected<VideoInfo, QString> video) {
  in_flight_.erase(video_id);
  if (!video) {
    retry_after_ms_[video_id] = uptime_.elapsed() + kRetryAfterFailureMs;
    emit failed(video.error());
    return;
  }
  if (video->renditions.empty()) {
    retry_after_ms_[video_id] = uptime_.elapsed() + kRetryAfterFailureMs;
    emit failed(QStringLiteral("video '%1' has no renditions to play").arg(video_id));
    return;
  }
  videos_.insert_or_assign(video_id, std::move(*video));
}

}  // namespace streamsync::viewer
