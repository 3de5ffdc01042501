#pragma once

// ChannelListDelegate: paints one channel of the list from ChannelListModel's roles:
// poster thumbnail on the left; name and viewer count; "Now: <title>" with a thin
// progress bar, or the channel's state ("starts in 1:23", "ended", "no schedule"); and
// "Next: <title> at 20:15:00". All text comes from the model; this only lays it out.

#include <QStyledItemDelegate>

namespace streamsync::viewer {

class ChannelListDelegate : public QStyledItemDelegate {
  Q_OBJECT

 public:
  explicit ChannelListDelegate(QObject* parent = nullptr);

  void paint(QPainter* painter, const QStyleOptionViewItem& option,
             const QModelIndex& index) const override;
  QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

}  // namespace streamsync::viewer
