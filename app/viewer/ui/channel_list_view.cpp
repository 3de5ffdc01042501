#include "ui/channel_list_view.hpp"

#include <QKeyEvent>

#include "ui/channel_list_delegate.hpp"
#include "ui/channel_list_model.hpp"

namespace streamsync::viewer {

ChannelListView::ChannelListView(QWidget* parent) : QListView(parent) {
  setObjectName(QStringLiteral("channelList"));
  setItemDelegate(new ChannelListDelegate(this));
  setSelectionMode(QAbstractItemView::SingleSelection);
  setEditTriggers(QAbstractItemView::NoEditTriggers);
  setUniformItemSizes(true);
  setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
  // Not `activated`: on some platforms that fires on a single click, and joining a channel
  // by merely selecting it would be a surprise.
  connect(this, &QListView::doubleClicked, this, &ChannelListView::request_join);
}

QString ChannelListView::current_channel_id() const {
  return currentIndex().data(ChannelListModel::IdRole).toString();
}

void ChannelListView::keyPressEvent(QKeyEvent* event) {
  if (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) {
    request_join(currentIndex());
    event->accept();
    return;
  }
  QListView::keyPressEvent(event);
}

void ChannelListView::request_join(const QModelIndex& index) {
  const QString channel_id = index.data(ChannelListModel::IdRole).toString();
  if (!channel_id.isEmpty()) emit join_requested(channel_id);
}

}  // namespace streamsync::viewer
