#pragma once

// ChannelListView: the channel list. Enter or a double-click on a channel asks to join it;
// what joining means is for whoever listens (the view only says which channel).

#include <QListView>
#include <QString>

namespace streamsync::viewer {

class ChannelListView : public QListView {
  Q_OBJECT

 public:
  explicit ChannelListView(QWidget* parent = nullptr);

  // The id of the current row (ChannelListModel::IdRole); "" when there is none.
  QString current_channel_id() const;

 signals:
  void join_requested(const QString& channel_id);

 protected:
  void keyPressEvent(QKeyEvent* event) override;

 private:
  void request_join(const QModelIndex& index);
};

}  // namespace streamsync::viewer
