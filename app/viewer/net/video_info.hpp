#pragma once

// A video as the viewer needs it: its HLS ladder with absolute URLs (GET /api/v1/videos/{id}).

#include <QString>
#include <QUrl>
#include <cstdint>
#include <vector>

namespace streamsync::viewer {

// One rung of the ladder.
struct Rendition {
  QString name;  // "360p"
  int width = 0, height = 0;
  std::int64_t bandwidth_bps = 0;  // peak, as the HLS master playlist states it
  QUrl playlist_url;               // absolute: server + "/media/" + the JSON's "playlist"
};

struct VideoInfo {
  QString id, title;
  std::int64_t duration_us = 0;
  std::vector<Rendition> renditions;  // sorted by bandwidth ascending
  QUrl poster_url;                    // absolute; empty when the video has no poster
};

}  // namespace streamsync::viewer
