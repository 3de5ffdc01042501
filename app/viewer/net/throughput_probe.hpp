#pragma once

// ThroughputProbe: how fast the network brings media, measured once before the first load
// by timing one real segment download (the first segment of a rendition's playlist).
//
// Without it adaptive quality starts on the lowest rung and moves up at its first
// measurement a second later, and for a synchronized viewer every switch is another held
// seek: a join took two loads (~3.1 s to converge on loopback instead of ~1.6 s). A timed
// download is a lower bound (request latency counts as time without bytes), which is the
// safe side for choosing a rung.

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QUrl>
#include <cstdint>
#include <optional>

#include "net/api_client.hpp"

namespace streamsync::viewer {

struct MediaSegment {
  QUrl url;                      // resolved against the playlist's URL
  std::int64_t duration_us = 0;  // its EXTINF
  friend bool operator==(const MediaSegment&, const MediaSegment&) = default;
};

// The first media segment of an HLS media playlist; nullopt when the text names none (not a
// playlist, a master playlist's variants are not segments, an empty one) or its duration is
// not a positive number.
std::optional<MediaSegment> first_segment(const QByteArray& media_playlist,
                                          const QUrl& playlist_url);

class ThroughputProbe : public QObject {
  Q_OBJECT

 public:
  explicit ThroughputProbe(ApiClient& api, QObject* parent = nullptr);

  // Fetches `media_playlist`, then times the download of its first segment. Once per probe:
  // later calls do nothing.
  void start(const QUrl& media_playlist);
  bool started() const { return started_; }
  // Whether it ended, with a measurement or without one.
  bool finished() const { return finished_; }
  // Whether the segment's download has already run longer than it would take at
  // `throughput_bps`, sizing the segment as `bandwidth_bps` × its duration (a rung's
  // BANDWIDTH is its peak, so the size is an upper bound). False before the download starts.
  bool slower_than(double throughput_bps, std::int64_t bandwidth_bps) const;

 signals:
  // Bits per second over the segment's download, from request to last byte.
  void measured(std::int64_t throughput_bps);
  // No measurement: why, for the log (the viewer simply starts on the lowest rung).
  void failed(QString message);

 private:
  void time_segment(const MediaSegment& segment);
  void finish_with_error(const QString& message);

  ApiClient& api_;
  QElapsedTimer download_;
  std::int64_t segment_duration_us_ = 0;
  bool started_ = false;
  bool finished_ = false;
};

}  // namespace streamsync::viewer
