#include "ui/channel_list_model.hpp"

#include <gtest/gtest.h>

#include <QItemSelectionModel>
#include <QSignalSpy>

#include "channel_fixtures.hpp"
#include "ui/time_format.hpp"

namespace streamsync::viewer {
namespace {

using fixtures::kNowUs;
using fixtures::playing;

constexpr std::int64_t kSecondUs = 1'000'000;

QVariant role(const ChannelListModel& model, int row, int role) {
  return model.data(model.index(row), role);
}

TEST(ChannelListModel, ShowsTheChannelsInTheServersOrder) {
  ChannelListModel model;
  model.update_channels({playing("a", "Intro", kNowUs, 60 * kSecondUs),
                         fixtures::waiting("b", kNowUs), fixtures::in_state("c", "ended")});
  ASSERT_EQ(model.rowCount(), 3);
  EXPECT_EQ(role(model, 0, ChannelListModel::IdRole).toString(), QStringLiteral("a"));
  EXPECT_EQ(role(model, 0, Qt::DisplayRole).toString(), QStringLiteral("Channel a"));
  EXPECT_EQ(role(model, 0, ChannelListModel::NowTitleRole).toString(), QStringLiteral("Intro"));
  EXPECT_EQ(role(model, 0, ChannelListModel::NowLineRole).toString(), QStringLiteral("Now: Intro"));
  EXPECT_EQ(role(model, 0, ChannelListModel::ViewersRole).toLongLong(), 2);
  EXPECT_EQ(role(model, 2, ChannelListModel::StateRole).toString(), QStringLiteral("ended"));
  EXPECT_EQ(model.roleNames().value(ChannelListModel::ProgressRole), QByteArray("progress"));
}

TEST(ChannelListModel, ProgressFollowsTheServerTime) {
  ChannelListModel model;
  // Started 15 s before kNowUs, 60 s long.
  model.update_channels({playing("a", "Intro", kNowUs - 15 * kSecondUs, 60 * kSecondUs)});
  // Before any server time: from the offset the list was fetched with.
  EXPECT_DOUBLE_EQ(role(model, 0, ChannelListModel::ProgressRole).toDouble(), 0.25);

  model.set_server_time_us(kNowUs + 15 * kSecondUs);
  EXPECT_DOUBLE_EQ(role(model, 0, ChannelListModel::ProgressRole).toDouble(), 0.5);
  model.set_server_time_us(kNowUs + 120 * kSecondUs);  // past the end: full, not more
  EXPECT_DOUBLE_EQ(role(model, 0, ChannelListModel::ProgressRole).toDouble(), 1.0);
}

TEST(ChannelListModel, NoProgressWhenNothingPlays) {
  ChannelListModel model;
  model.update_channels({fixtures::in_state("x", "no_schedule")});
  EXPECT_FALSE(role(model, 0, ChannelListModel::ProgressRole).isValid());
  EXPECT_EQ(role(model, 0, ChannelListModel::NowLineRole).toString(), QString());
  EXPECT_EQ(role(model, 0, ChannelListModel::NextLineRole).toString(), QString());
}

TEST(ChannelListModel, RepaintsProgressAtMostOncePerServerSecond) {
  ChannelListModel model;
  model.update_channels({playing("a", "Intro", kNowUs, 60 * kSecondUs)});
  QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
  model.set_server_time_us(kNowUs);
  model.set_server_time_us(kNowUs + 16'000);
  model.set_server_time_us(kNowUs + 33'000);
  EXPECT_EQ(changed.count(), 1);
  model.set_server_time_us(kNowUs + kSecondUs);
  EXPECT_EQ(changed.count(), 2);
}

TEST(ChannelListModel, StateTexts) {
  ChannelListModel model;
  model.update_channels(
      {fixtures::waiting("soon", kNowUs + 83 * kSecondUs), fixtures::in_state("done", "ended"),
       fixtures::in_state("empty", "no_schedule"), playing("on", "Talk", kNowUs, kSecondUs)});
  // Without a server time a start can only be given as a time of day.
  EXPECT_EQ(role(model, 0, ChannelListModel::StatusTextRole).toString(),
            QStringLiteral("starts at ") + format_time_of_day(kNowUs + 83 * kSecondUs));
  model.set_server_time_us(kNowUs);
  EXPECT_EQ(role(model, 0, ChannelListModel::StatusTextRole).toString(),
            QStringLiteral("starts in 1:23"));
  EXPECT_EQ(role(model, 1, ChannelListModel::StatusTextRole).toString(), QStringLiteral("ended"));
  EXPECT_EQ(role(model, 2, ChannelListModel::StatusTextRole).toString(),
            QStringLiteral("no schedule"));
  EXPECT_EQ(role(model, 3, ChannelListModel::StatusTextRole).toString(), QString());
  model.set_server_time_us(kNowUs + 90 * kSecondUs);
  EXPECT_EQ(role(model, 0, ChannelListModel::StatusTextRole).toString(),
            QStringLiteral("starting"));
}

TEST(ChannelListModel, NextLineSaysWhatAndWhen) {
  ChannelListModel model;
  model.update_channels({playing("a", "Intro", kNowUs, 60 * kSecondUs)});
  EXPECT_EQ(role(model, 0, ChannelListModel::NextLineRole).toString(),
            QStringLiteral("Next: Next of a at ") + format_time_of_day(kNowUs + 60 * kSecondUs));
}

TEST(ChannelListModel, UpdatesKeepTheSelectionOnTheSameChannel) {
  ChannelListModel model;
  model.update_channels({playing("a", "A", kNowUs, kSecondUs), playing("b", "B", kNowUs, kSecondUs),
                         playing("c", "C", kNowUs, kSecondUs)});
  QItemSelectionModel selection(&model);
  selection.setCurrentIndex(model.index_of(QStringLiteral("b")),
                            QItemSelectionModel::ClearAndSelect);
  ASSERT_EQ(selection.currentIndex().row(), 1);

  // "a" goes, "d" comes first, the rest swap: "b" moves from row 1 to row 2.
  ChannelSummary renamed = playing("b", "B, part 2", kNowUs, kSecondUs);
  model.update_channels(
      {playing("d", "D", kNowUs, kSecondUs), playing("c", "C", kNowUs, kSecondUs), renamed});
  ASSERT_EQ(model.rowCount(), 3);
  EXPECT_EQ(role(model, 0, ChannelListModel::IdRole).toString(), QStringLiteral("d"));
  EXPECT_EQ(role(model, 1, ChannelListModel::IdRole).toString(), QStringLiteral("c"));
  EXPECT_EQ(selection.currentIndex().data(ChannelListModel::IdRole).toString(),
            QStringLiteral("b"));
  EXPECT_EQ(selection.currentIndex().data(ChannelListModel::NowTitleRole).toString(),
            QStringLiteral("B, part 2"));
  ASSERT_EQ(selection.selectedIndexes().size(), 1);
  EXPECT_EQ(selection.selectedIndexes().front().row(), 2);
}

TEST(ChannelListModel, TheSelectedChannelGoingAwayClearsTheSelection) {
  ChannelListModel model;
  model.update_channels(
      {playing("a", "A", kNowUs, kSecondUs), playing("b", "B", kNowUs, kSecondUs)});
  QItemSelectionModel selection(&model);
  selection.setCurrentIndex(model.index_of(QStringLiteral("b")),
                            QItemSelectionModel::ClearAndSelect);
  model.update_channels({playing("a", "A", kNowUs, kSecondUs)});
  EXPECT_TRUE(selection.selectedIndexes().isEmpty());
}

TEST(ChannelListModel, RepeatedIdsCountOnce) {
  ChannelListModel model;
  model.update_channels(
      {playing("a", "A", kNowUs, kSecondUs), playing("a", "A again", kNowUs, kSecondUs)});
  ASSERT_EQ(model.rowCount(), 1);
  EXPECT_EQ(role(model, 0, ChannelListModel::NowTitleRole).toString(), QStringLiteral("A"));
}

TEST(ChannelListModel, ViewerCountsFromPresence) {
  ChannelListModel model;
  model.update_channels({playing("a", "A", kNowUs, kSecondUs)});
  QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
  model.set_viewer_count(QStringLiteral("a"), 7);
  EXPECT_EQ(role(model, 0, ChannelListModel::ViewersRole).toLongLong(), 7);
  EXPECT_EQ(changed.count(), 1);
  model.set_viewer_count(QStringLiteral("nobody"), 3);  // ignored
  EXPECT_EQ(changed.count(), 1);
}

TEST(ChannelListModel, PostersAreAskedForKeptAndDroppedWhenTheyChange) {
  ChannelListModel model;
  QSignalSpy needed(&model, &ChannelListModel::poster_needed);
  model.update_channels(
      {playing("a", "A", kNowUs, kSecondUs), fixtures::in_state("b", "no_schedule")});
  ASSERT_EQ(needed.count(), 1);  // "b" has no poster to fetch
  EXPECT_EQ(needed.at(0).at(0).toString(), QStringLiteral("a"));
  EXPECT_EQ(needed.at(0).at(1).toString(), QStringLiteral("/media/videos/video-a/poster.jpg"));

  QPixmap poster(16, 9);
  poster.fill(Qt::red);
  model.set_poster(QStringLiteral("a"), poster);
  EXPECT_FALSE(role(model, 0, ChannelListModel::PosterRole).value<QPixmap>().isNull());

  // Same poster URL: kept, not asked for again.
  model.update_channels({playing("a", "A", kNowUs, kSecondUs)});
  EXPECT_EQ(needed.count(), 1);
  EXPECT_FALSE(role(model, 0, ChannelListModel::PosterRole).value<QPixmap>().isNull());

  // The next video's poster: the old picture goes, the new one is asked for.
  ChannelSummary next = playing("a", "A2", kNowUs, kSecondUs);
  next.poster_url = "/media/videos/other/poster.jpg";
  model.update_channels({next});
  EXPECT_EQ(needed.count(), 2);
  EXPECT_TRUE(role(model, 0, ChannelListModel::PosterRole).value<QPixmap>().isNull());
}

}  // namespace
}  // namespace streamsync::viewer
