#include "ui/channel_list_view.hpp"

#include <gtest/gtest.h>

#include <QSignalSpy>
#include <QTest>

#include "channel_fixtures.hpp"
#include "ui/channel_list_model.hpp"

namespace streamsync::viewer {
namespace {

using fixtures::kNowUs;

class ChannelListViewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    model_.update_channels({fixtures::playing("a", "A", kNowUs, 1'000'000),
                            fixtures::playing("b", "B", kNowUs, 1'000'000)});
    view_.setModel(&model_);
    view_.resize(400, 400);
    view_.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view_));
  }

  ChannelListModel model_;
  ChannelListView view_;
};

TEST_F(ChannelListViewTest, EnterJoinsTheCurrentChannel) {
  QSignalSpy joins(&view_, &ChannelListView::join_requested);
  view_.setCurrentIndex(model_.index_of(QStringLiteral("b")));
  QTest::keyClick(&view_, Qt::Key_Return);
  QTest::keyClick(&view_, Qt::Key_Enter);  // the keypad's
  ASSERT_EQ(joins.count(), 2);
  EXPECT_EQ(joins.at(0).at(0).toString(), QStringLiteral("b"));
  EXPECT_EQ(view_.current_channel_id(), QStringLiteral("b"));
}

TEST_F(ChannelListViewTest, DoubleClickJoinsThatChannel) {
  QSignalSpy joins(&view_, &ChannelListView::join_requested);
  const QRect second = view_.visualRect(model_.index_of(QStringLiteral("b")));
  ASSERT_FALSE(second.isEmpty());
  // A double-click is a click followed by a double-click event at the same place.
  QTest::mouseClick(view_.viewport(), Qt::LeftButton, {}, second.center());
  QTest::mouseDClick(view_.viewport(), Qt::LeftButton, {}, second.center());
  ASSERT_EQ(joins.count(), 1);
  EXPECT_EQ(joins.at(0).at(0).toString(), QStringLiteral("b"));
}

TEST_F(ChannelListViewTest, ASingleClickOnlySelects) {
  QSignalSpy joins(&view_, &ChannelListView::join_requested);
  const QRect first = view_.visualRect(model_.index_of(QStringLiteral("a")));
  QTest::mouseClick(view_.viewport(), Qt::LeftButton, {}, first.center());
  EXPECT_EQ(joins.count(), 0);
  EXPECT_EQ(view_.current_channel_id(), QStringLiteral("a"));
}

TEST_F(ChannelListViewTest, EnterWithoutACurrentChannelDoesNothing) {
  QSignalSpy joins(&view_, &ChannelListView::join_requested);
  view_.setCurrentIndex(QModelIndex());
  QTest::keyClick(&view_, Qt::Key_Return);
  EXPECT_EQ(joins.count(), 0);
}

TEST_F(ChannelListViewTest, RowsAreTallEnoughForPosterAndThreeLines) {
  const QRect row = view_.visualRect(model_.index(0));
  EXPECT_GE(row.height(), 54);
  // Painting every kind of row does not trip over anything (grab renders them all).
  model_.update_channels({fixtures::playing("a", "A", kNowUs, 1'000'000),
                          fixtures::waiting("w", kNowUs), fixtures::in_state("e", "ended")});
  QPixmap poster(160, 90);
  poster.fill(Qt::blue);
  model_.set_poster(QStringLiteral("a"), poster);
  EXPECT_FALSE(view_.grab().isNull());
}

}  // namespace
}  // namespace streamsync::viewer
