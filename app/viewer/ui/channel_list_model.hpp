#pragma once

// ChannelListModel: the server's channels as the channel list shows them. It holds the
// ChannelSummary list (GET /api/v1/channels), live viewer counts (presence events) and
// posters, and turns them into display text against the current server time: progress
// through what plays now, the countdown to a start, what comes next and when.
// Updates keep rows by channel id, so the selection and the current row stay on the same
// channel when the list is refreshed, reordered or grows.

#include <QAbstractListModel>
#include <QHash>
#include <QPixmap>
#include <QString>
#include <cstdint>
#include <optional>
#include <vector>

#include "protocol/api_messages.hpp"

namespace streamsync::viewer {

class ChannelListModel : public QAbstractListModel {
  Q_OBJECT

 public:
  enum Role {
    IdRole = Qt::UserRole + 1,  // QString
    NameRole,                   // QString (also Qt::DisplayRole)
    StateRole,                  // QString: no_schedule | before_start | playing | ended
    NowTitleRole,               // QString: "" when nothing plays
    ProgressRole,               // double 0..1 through the item on air; invalid when nothing plays
    NowLineRole,                // QString: "Now: <title>"; "" when nothing plays
    NextLineRole,               // QString: "Next: <title> at 20:15:00"; "" when nothing follows
    StatusTextRole,  // QString: "starts in 1:23", "ended", "no schedule"; "" while playing
    ViewersRole,     // qint64
    PosterRole,      // QPixmap; null until set_poster()
    PosterUrlRole,   // QString: the server's path of the poster; "" when none
  };

  explicit ChannelListModel(QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = QModelIndex()) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QHash<int, QByteArray> roleNames() const override;

  // The server's list, in its order. Rows of channels that stay are moved, not recreated.
  void update_channels(std::vector<ChannelSummary> channels);
  // The server's time now (µs since the epoch); progress and countdowns follow it.
  // Repaints at most once per server second, so it can be fed from every sync tick.
  void set_server_time_us(std::int64_t server_time_us);
  // A presence event: how many watch this channel now. Unknown ids are ignored.
  void set_viewer_count(const QString& channel_id, qint64 viewers);
  // The poster picture of a channel, kept until its poster URL changes.
  void set_poster(const QString& channel_id, const QPixmap& poster);

  // The row of a channel; invalid when the list has no such channel.
  QModelIndex index_of(const QString& channel_id) const;
  const ChannelSummary* channel(const QString& channel_id) const;

 signals:
  // A channel appeared or its poster changed: whoever fetches pictures should get
  // poster_url (relative to the server) and call set_poster().
  void poster_needed(const QString& channel_id, const QString& poster_url);

 private:
  void remove_missing(const std::vector<ChannelSummary>& channels);
  void append_new(const std::vector<ChannelSummary>& channels);
  void reorder_like(const std::vector<ChannelSummary>& channels);

  std::optional<double> progress(const ChannelSummary& channel) const;
  QString next_line(const ChannelSummary& channel) const;
  QString status_text(const ChannelSummary& channel) const;

  std::vector<ChannelSummary> channels_;
  QHash<QString, QPixmap> posters_;  // by channel id
  std::optional<std::int64_t> server_time_us_;
};

}  // namespace streamsync::viewer
