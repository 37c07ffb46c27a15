#include "ui/signalbarsdelegate.h"

#include "models/devicemodel.h"

#include <QApplication>
#include <QPainter>

namespace provbench {

namespace {
constexpr int kMargin = 6;   // cell edge to the first bar
constexpr int kBarWidth = 4; // one bar
constexpr int kBarGap = 2;   // between bars
constexpr int kTextGap = 8;  // last bar to the text
constexpr int kBars = 4;
constexpr int kBarsWidth = kBars * kBarWidth + (kBars - 1) * kBarGap;

QColor barColor(int bars)
{
    if (bars >= 3)
        return QColor(0x05, 0x96, 0x69); // green
    if (bars == 2)
        return QColor(0xd9, 0x77, 0x06); // amber
    return QColor(0xdc, 0x26, 0x26);     // red
}
} // namespace

void SignalBarsDelegate::paint(
    QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QVariant barsData = index.data(DeviceModel::SignalBarsRole);
    const int bars = barsData.isValid() ? barsData.toInt() : -1;
    if (bars < 0) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    const QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);

    const QVariant presentData = index.data(DeviceModel::PresentRole);
    const bool present = !presentData.isValid() || presentData.toBool();
    const bool selected = opt.state & QStyle::State_Selected;
    const QPalette::ColorGroup group
        = opt.state & QStyle::State_Enabled ? QPalette::Normal : QPalette::Disabled;
    const QColor textColor
        = opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    if (!present)
        painter->setOpacity(0.45);
    const int full = qMin(opt.rect.height() - 8, 14);
    const int bottom = opt.rect.center().y() + full / 2;
    QColor off = textColor;
    off.setAlpha(45);
    painter->setPen(Qt::NoPen);
    // An old reading is drawn faded: it says little about the signal now.
    const bool stale = DeviceModel::isStale(
        index.data(DeviceModel::LastSeenRole).toDateTime(), QDateTime::currentDateTimeUtc());
    if (stale)
        painter->setOpacity(painter->opacity() * 0.4);
    for (int i = 0; i < kBars; ++i) {
        const int h = full * (i + 1) / kBars;
        const QRectF bar(
            opt.rect.left() + kMargin + i * (kBarWidth + kBarGap), bottom - h + 1, kBarWidth, h);
        painter->setBrush(i < bars ? barColor(bars) : off);
        painter->drawRoundedRect(bar, 1, 1);
    }
    if (stale)
        painter->setOpacity(present ? 1.0 : 0.45);
    painter->setPen(textColor);
    painter->setFont(opt.font);
    const QRect textRect = opt.rect.adjusted(kMargin + kBarsWidth + kTextGap, 0, -kMargin / 2, 0);
    painter->drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft,
        opt.fontMetrics.elidedText(text, Qt::ElideRight, textRect.width()));
    painter->restore();
}

QSize SignalBarsDelegate::sizeHint(
    const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    if (index.data(DeviceModel::SignalBarsRole).toInt() >= 0)
        size.rwidth() += kBarsWidth + kTextGap;
    return size;
}

} // namespace provbench
