#pragma once

// MediaCatalog: the videos a channel's schedule names, fetched from the server once and
// kept (a video's renditions never change once it is ready). The sync loop asks for a
// video every tick; the first ask starts the fetch, later ones find it.

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <map>
#include <set>

#include "net/api_client.hpp"

namespace streamsync::viewer {

class MediaCatalog : public QObject {
  Q_OBJECT

 public:
  explicit MediaCatalog(ApiClient& api, QObject* parent = nullptr);

  // The video, or nullptr while it is being fetched (or failed; retried on the next ask
  // after a pause, so a server that was away is asked again).
  const VideoInfo* find(const QString& video_id);

 signals:
  void failed(QString message);

 private:
  void store(const QString& video_id, Expected<VideoInfo, QString> video);

  ApiClient& api_;
  std::map<QString, VideoInfo> videos_;
  std::set<QString> in_flight_;
  std::map<QString, qint64> retry_after_ms_;  // on uptime_, after a failed fetch
  QElapsedTimer uptime_;
};

}  // namespace streamsync::viewer
