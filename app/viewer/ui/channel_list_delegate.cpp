#include "ui/channel_list_delegate.hpp"

#include <QApplication>
#include <QPainter>
#include <algorithm>

#include "ui/channel_list_model.hpp"

namespace streamsync::viewer {
namespace {

constexpr int kMarginPx = 6;
constexpr int kPosterWidthPx = 96;
constexpr int kPosterHeightPx = 54;  // 16:9, the shape of the videos
constexpr int kProgressHeightPx = 4;
constexpr int kLines = 3;

}  // namespace

ChannelListDelegate::ChannelListDelegate(QObject* parent) : QStyledItemDelegate(parent) {}

QSize ChannelListDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex&) const {
  const int text_height_px = kLines * option.fontMetrics.lineSpacing() + kProgressHeightPx + 2;
  return {kPosterWidthPx + 4 * kMarginPx + 160,
          std::max(kPosterHeightPx, text_height_px) + 2 * kMarginPx};
}

void ChannelListDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                                const QModelIndex& index) const {
  QStyleOptionViewItem item = option;
  initStyleOption(&item, index);
  const QWidget* widget = option.widget;
  QStyle* style = widget ? widget->style() : QApplication::style();
  // Selection and hover backgrounds as the platform draws them.
  item.text.clear();
  item.icon = QIcon();
  style->drawControl(QStyle::CE_ItemViewItem, &item, painter, widget);

  painter->save();
  const bool selected = option.state.testFlag(QStyle::State_Selected);
  const QPalette::ColorGroup group =
      option.state.testFlag(QStyle::State_Enabled) ? QPalette::Normal : QPalette::Disabled;
  const QColor text_colour =
      option.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
  QColor dim_colour = text_colour;
  dim_colour.setAlphaF(0.7f);

  const QRect area = option.rect.adjusted(kMarginPx, kMarginPx, -kMarginPx, -kMarginPx);
  const QRect poster_rect(area.left(), area.top() + (area.height() - kPosterHeightPx) / 2,
                          kPosterWidthPx, kPosterHeightPx);
  const QPixmap poster = index.data(ChannelListModel::PosterRole).value<QPixmap>();
  if (poster.isNull()) {
    painter->fillRect(poster_rect, option.palette.color(group, QPalette::Mid));
  } else {
    const QPixmap scaled =
        poster.scaled(poster_rect.size(), Qt::KeepAspectRatio, Qt::SmoothTransformation);
    const QRect centred(poster_rect.left() + (poster_rect.width() - scaled.width()) / 2,
                        poster_rect.top() + (poster_rect.height() - scaled.height()) / 2,
                        scaled.width(), scaled.height());
    painter->fillRect(poster_rect, Qt::black);
    painter->drawPixmap(centred, scaled);
  }

  QRect text_rect = area.adjusted(kPosterWidthPx + 2 * kMarginPx, 0, 0, 0);
  const int line_px = option.fontMetrics.lineSpacing();
  const auto draw_line = [&](const QString& text, const QFont& font, const QColor& colour,
                             int flags = Qt::AlignLeft) {
    painter->setFont(font);
    painter->setPen(colour);
    const QRect line(text_rect.left(), text_rect.top(), text_rect.width(), line_px);
    painter->drawText(line, flags | Qt::AlignVCenter,
                      QFontMetrics(font).elidedText(text, Qt::ElideRight, line.width()));
  };

  // Line 1: name, and how many watch on the right.
  QFont bold = option.font;
  bold.setBold(true);
  const qint64 viewers = index.data(ChannelListModel::ViewersRole).toLongLong();
  const QString watching = tr("%n watching", nullptr, static_cast<int>(viewers));
  const int watching_px = option.fontMetrics.horizontalAdvance(watching) + kMarginPx;
  draw_line(watching, option.font, dim_colour, Qt::AlignRight);
  text_rect.setRight(text_rect.right() - watching_px);
  draw_line(index.data(ChannelListModel::NameRole).toString(), bold, text_colour);
  text_rect.setRight(area.right());
  text_rect.setTop(text_rect.top() + line_px);

  // Line 2: what plays now with its progress, or the channel's state.
  const QString now_line = index.data(ChannelListModel::NowLineRole).toString();
  const QVariant progress = index.data(ChannelListModel::ProgressRole);
  if (!now_line.isEmpty()) {
    draw_line(now_line, option.font, text_colour);
    text_rect.setTop(text_rect.top() + line_px);
    if (progress.isValid()) {
      const QRect track(text_rect.left(), text_rect.top() + 1, text_rect.width(),
                        kProgressHeightPx);
      // Drawn in the text's colour, faint for the track, so it reads on a selected row too.
      QColor track_colour = text_colour;
      track_colour.setAlphaF(0.25f);
      painter->fillRect(track, track_colour);
      QRect done = track;
      done.setWidth(static_cast<int>(progress.toDouble() * track.width()));
      painter->fillRect(done,
                        selected ? text_colour : option.palette.color(group, QPalette::Highlight));
    }
    text_rect.setTop(text_rect.top() + kProgressHeightPx + 2);
  } else {
    QFont italic = option.font;
    italic.setItalic(true);
    draw_line(index.data(ChannelListModel::StatusTextRole).toString(), italic, dim_colour);
    text_rect.setTop(text_rect.top() + line_px);
  }

  // Line 3: what comes next.
  draw_line(index.data(ChannelListModel::NextLineRole).toString(), option.font, dim_colour);
  painter->restore();
}

}  // namespace streamsync::viewer
