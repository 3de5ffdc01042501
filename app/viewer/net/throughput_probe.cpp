#include "net/throughput_probe.hpp"

#include <QPointer>
#include <algorithm>

namespace streamsync::viewer {
namespace {

// A download shorter than this is timer resolution, not throughput.
constexpr qint64 kMinDownloadNs = 100'000;

}  // namespace

std::optional<QUrl> first_segment_url(const QByteArray& media_playlist, const QUrl& playlist_url) {
  if (!media_playlist.startsWith("#EXTM3U")) return std::nullopt;
  bool after_segment_info = false;
  for (const QByteArray& raw_line : media_playlist.split('\n')) {
    const QByteArray line = raw_line.trimmed();
    if (line.startsWith("#EXTINF:")) {
      after_segment_info = true;
    } else if (!line.isEmpty() && !line.startsWith('#') && after_segment_info) {
      // The URI line that follows a segment's EXTINF (RFC 8216 §4.3.2.1).
      const QUrl segment = playlist_url.resolved(QUrl(QString::fromUtf8(line)));
      if (!segment.isValid()) return std::nullopt;
      return segment;
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
    const std::optional<QUrl> segment = first_segment_url(*playlist, media_playlist);
    if (!segment) {
      return self->finish_with_error(
          QStringLiteral("%1 names no media segment").arg(media_playlist.toDisplayString()));
    }
    self->time_segment(*segment);
  });
}

void ThroughputProbe::time_segment(const QUrl& segment) {
  download_.start();
  api_.fetch_bytes(segment, [self = QPointer(this)](Expected<QByteArray, QString> bytes) {
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
