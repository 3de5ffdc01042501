#include "ui/channel_list_model.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "ui/time_format.hpp"

namespace streamsync::viewer {
namespace {

QString q(const std::string& text) {
  return QString::fromStdString(text);
}

// The server's ids are unique; a list that repeats one would break the row bookkeeping,
// so only the first of each id counts.
void drop_duplicate_ids(std::vector<ChannelSummary>& channels) {
  std::unordered_set<std::string> seen;
  std::erase_if(channels, [&](const ChannelSummary& c) { return !seen.insert(c.id).second; });
}

}  // namespace

ChannelListModel::ChannelListModel(QObject* parent) : QAbstractListModel(parent) {}

int ChannelListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(channels_.size());
}

QVariant ChannelListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const ChannelSummary& channel = channels_[static_cast<std::size_t>(index.row())];
  switch (role) {
    case Qt::DisplayRole:
    case NameRole:
      return q(channel.name);
    case Qt::ToolTipRole:
      return q(channel.description);
    case IdRole:
      return q(channel.id);
    case StateRole:
      return q(channel.state);
    case NowTitleRole:
      return channel.now_playing ? q(channel.now_playing->title) : QString();
    case ProgressRole: {
      const std::optional<double> fraction = progress(channel);
      return fraction ? QVariant(*fraction) : QVariant();
    }
    case NowLineRole:
      return channel.now_playing ? tr("Now: %1").arg(q(channel.now_playing->title)) : QString();
    case NextLineRole:
      return next_line(channel);
    case StatusTextRole:
      return status_text(channel);
    case ViewersRole:
      return QVariant::fromValue<qint64>(channel.viewers);
    case PosterRole:
      return posters_.value(q(channel.id));
    case PosterUrlRole:
      return q(channel.poster_url);
    default:
      return {};
  }
}

QHash<int, QByteArray> ChannelListModel::roleNames() const {
  QHash<int, QByteArray> names = QAbstractListModel::roleNames();
  names[IdRole] = "id";
  names[NameRole] = "name";
  names[StateRole] = "state";
  names[NowTitleRole] = "nowTitle";
  names[ProgressRole] = "progress";
  names[NowLineRole] = "nowLine";
  names[NextLineRole] = "nextLine";
  names[StatusTextRole] = "statusText";
  names[ViewersRole] = "viewers";
  names[PosterRole] = "poster";
  names[PosterUrlRole] = "posterUrl";
  return names;
}

void ChannelListModel::update_channels(std::vector<ChannelSummary> channels) {
  drop_duplicate_ids(channels);
  std::vector<std::pair<QString, QString>> posters_wanted;
  for (const ChannelSummary& fresh : channels) {
    const ChannelSummary* known = channel(q(fresh.id));
    if (known && known->poster_url == fresh.poster_url) continue;
    // A different poster is a different picture: showing the old one would be wrong.
    posters_.remove(q(fresh.id));
    if (!fresh.poster_url.empty()) posters_wanted.emplace_back(q(fresh.id), q(fresh.poster_url));
  }

  remove_missing(channels);
  append_new(channels);
  reorder_like(channels);
  channels_ = std::move(channels);  // same ids, same order as the rows now
  if (!channels_.empty()) emit dataChanged(index(0), index(rowCount() - 1));

  for (const auto& [channel_id, poster_url] : posters_wanted)
    emit poster_needed(channel_id, poster_url);
}

void ChannelListModel::remove_missing(const std::vector<ChannelSummary>& channels) {
  std::unordered_set<std::string> staying;
  for (const ChannelSummary& c : channels) staying.insert(c.id);
  for (int row = rowCount() - 1; row >= 0; --row) {
    const auto at = channels_.begin() + row;
    if (staying.contains(at->id)) continue;
    beginRemoveRows({}, row, row);
    posters_.remove(q(at->id));
    channels_.erase(at);
    endRemoveRows();
  }
}

void ChannelListModel::append_new(const std::vector<ChannelSummary>& channels) {
  std::unordered_set<std::string> known;
  for (const ChannelSummary& c : channels_) known.insert(c.id);
  std::vector<ChannelSummary> fresh;
  std::copy_if(channels.begin(), channels.end(), std::back_inserter(fresh),
               [&](const ChannelSummary& c) { return !known.contains(c.id); });
  if (fresh.empty()) return;
  beginInsertRows({}, rowCount(), rowCount() + static_cast<int>(fresh.size()) - 1);
  std::move(fresh.begin(), fresh.end(), std::back_inserter(channels_));
  endInsertRows();
}

void ChannelListModel::reorder_like(const std::vector<ChannelSummary>& channels) {
  std::unordered_map<std::string, int> wanted_row;
  for (std::size_t i = 0; i < channels.size(); ++i)
    wanted_row[channels[i].id] = static_cast<int>(i);
  const bool in_order = std::all_of(
      channels_.begin(), channels_.end(),
      [&, row = 0](const ChannelSummary& c) mutable { return wanted_row.at(c.id) == row++; });
  if (in_order) return;

  // A layout change rather than remove + insert: views keep selection and current row,
  // which follow the persistent indexes moved here.
  emit layoutAboutToBeChanged();
  const QModelIndexList from = persistentIndexList();
  QModelIndexList to;
  for (const QModelIndex& old : from) {
    to.append(
        index(wanted_row.at(channels_[static_cast<std::size_t>(old.row())].id), old.column()));
  }
  std::vector<ChannelSummary> reordered(channels_.size());
  for (ChannelSummary& c : channels_) {
    const int row = wanted_row.at(c.id);
    reordered[static_cast<std::size_t>(row)] = std::move(c);
  }
  channels_ = std::move(reordered);
  changePersistentIndexList(from, to);
  emit layoutChanged();
}

void ChannelListModel::set_server_time_us(std::int64_t server_time_us) {
  constexpr std::int64_t kSecondUs = 1'000'000;
  const bool new_second =
      !server_time_us_ || *server_time_us_ / kSecondUs != server_time_us / kSecondUs;
  server_time_us_ = server_time_us;
  if (new_second && !channels_.empty()) {
    emit dataChanged(index(0), index(rowCount() - 1), {ProgressRole, StatusTextRole});
  }
}

void ChannelListModel::set_viewer_count(const QString& channel_id, qint64 viewers) {
  const QModelIndex at = index_of(channel_id);
  if (!at.isValid()) return;
  ChannelSummary& channel = channels_[static_cast<std::size_t>(at.row())];
  if (channel.viewers == viewers) return;
  channel.viewers = viewers;
  emit dataChanged(at, at, {ViewersRole});
}

void ChannelListModel::set_poster(const QString& channel_id, const QPixmap& poster) {
  const QModelIndex at = index_of(channel_id);
  if (!at.isValid()) return;  // the channel went away while its poster loaded
  posters_.insert(channel_id, poster);
  emit dataChanged(at, at, {PosterRole});
}

QModelIndex ChannelListModel::index_of(const QString& channel_id) const {
  const std::string id = channel_id.toStdString();
  const auto found = std::find_if(channels_.begin(), channels_.end(),
                                  [&](const ChannelSummary& c) { return c.id == id; });
  return found == channels_.end() ? QModelIndex()
                                  : index(static_cast<int>(found - channels_.begin()));
}

const ChannelSummary* ChannelListModel::channel(const QString& channel_id) const {
  const QModelIndex at = index_of(channel_id);
  return at.isValid() ? &channels_[static_cast<std::size_t>(at.row())] : nullptr;
}

std::optional<double> ChannelListModel::progress(const ChannelSummary& channel) const {
  if (!channel.now_playing || channel.now_playing->duration_us <= 0) return std::nullopt;
  const NowPlaying& now = *channel.now_playing;
  // offset_us was right when the list was fetched; started_at_us stays right as time goes on.
  const std::int64_t elapsed_us =
      server_time_us_ ? *server_time_us_ - now.started_at_us : now.offset_us;
  return std::clamp(static_cast<double>(elapsed_us) / static_cast<double>(now.duration_us), 0.0,
                    1.0);
}

QString ChannelListModel::next_line(const ChannelSummary& channel) const {
  if (!channel.next_up) return {};
  return tr("Next: %1 at %2")
      .arg(q(channel.next_up->title), format_time_of_day(channel.next_up->starts_at_us));
}

QString ChannelListModel::status_text(const ChannelSummary& channel) const {
  if (channel.state == "before_start") {
    if (!channel.starts_at_us) return tr("not started");
    if (!server_time_us_) return tr("starts at %1").arg(format_time_of_day(*channel.starts_at_us));
    const std::int64_t remaining_us = *channel.starts_at_us - *server_time_us_;
    return remaining_us > 0 ? tr("starts in %1").arg(format_countdown(remaining_us))
                            : tr("starting");
  }
  if (channel.state == "ended") return tr("ended");
  if (channel.state == "no_schedule") return tr("no schedule");
  return {};  // playing, or a state this version does not know
}

}  // namespace streamsync::viewer
