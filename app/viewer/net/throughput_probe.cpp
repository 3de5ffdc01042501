#include "net/throughput_probe.hpp"

#include <QPointer>
#include <algorithm>
#include <cmath>

namespace streamsync::viewer {
namespace {

// A download shorter than this is timer resolution, not throughput.
constexpr qint64 kMinDownloadNs = 100'000;

}  // namespace

std::optional<MediaSegment> first_segment(const QByteArray& media_playlist,
                                          const QUrl& playlist_url) {
  if (!media_playlist.startsWith("#EXTM3U")) return std::nullopt;
  std::optional<double> duration_s;
  for (const QByteArray& raw_line : media_playlist.split('\n')) {
    const QByteArray line = raw_line.trimmed();
    if (line.startsWith("#EXTINF:")) {
      // "#EXTINF:<duration>,[<title>]" (RFC 8216 §4.3.2.1)
      bool number = false;
      const double seconds = line.mid(8).split(',').front().toDouble(&number);
      if (!number || seconds <= 0) return std::nullopt;
      duration_s = seconds;
    } else if (!line.isEmpty() && !line.startsWith('#') && duration_s) {
      // The URI line that follows the segment's EXTINF.
      const QUrl url = playlist_url.resolved(QUrl(QString::fromUtf8(line)));
      if (!url.isValid()) return std::nullopt;
      return MediaSegment{url, std::llround(*duration_s * 1e6)};
    }
  }
  return std::nullopt;
}

ThroughputProbe::ThroughputProbe(ApiClient& api, QObject* parent) : QObject(parent), api_(api) {}

void ThroughputProbe::start(const QUrl& media_playlist) {
  if (started_) return;
  started_ = true;
  api_.fetch_bytes(media_playlist, [self = QPointer(this),
                                    media_playlist](Expected<QByteArray, QString> playlist) {
    if (!self) return;
    if (!playlist) return self->finish_with_error(playlist.error());
    const std::optional<MediaSegment> segment = first_segment(*playlist, media_playlist);
    if (!segment) {
      return self->finish_with_error(
          QStringLiteral("%1 names no media segment").arg(media_playlist.toDisplayString()));
    }
    self->time_segment(*segment);
  });
}

bool ThroughputProbe::slower_than(double throughput_bps, std::int64_t bandwidth_bps) const {
  if (!download_.isValid() || finished_ || throughput_bps <= 0) return false;
  const double segment_bits =
      static_cast<double>(bandwidth_bps) * static_cast<double>(segment_duration_us_) / 1e6;
  return static_cast<double>(download_.nsecsElapsed()) / 1e9 > segment_bits / throughput_bps;
}

void ThroughputProbe::time_segment(const MediaSegment& segment) {
  segment_duration_us_ = segment.duration_us;
  download_.start();
  api_.fetch_bytes(segment.url, [self = QPointer(this)](Expected<QByteArray, QString> bytes) {
    if (!self) return;
    if (!bytes) return self->finish_with_error(bytes.error());
    if (bytes->isEmpty()) return self->finish_with_error(QStringLiteral("an empty media segment"));
    const double seconds =
        static_cast<double>(std::max(self->download_.nsecsElapsed(), kMinDownloadNs)) / 1e9;
    self->finished_ = true;
    emit self->measured(
        static_cast<std::int64_t>(static_cast<double>(bytes->size()) * 8 / seconds));
  });
}

void ThroughputProbe::finish_with_error(const QString& message) {
  finished_ = true;
  emit failed(QStringLiteral("cannot measure the network before playing: ") + message);
}

}  // namespace streamsync::viewer
