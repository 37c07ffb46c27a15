#include "ui/batchstatusdelegate.h"

#include "models/batchentrymodel.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>

namespace provbench {

using onboarding::batch::BatchEntry;

namespace {
constexpr int kPad = 8;    // inside the badge, left and right
constexpr int kDot = 8;    // diameter of the status dot
constexpr int kGap = 6;    // between the dot and the text
constexpr int kMargin = 4; // between the cell edge and the badge
} // namespace

StateBadgeDelegate::Palette BatchStatusDelegate::paletteFor(BatchEntry::Status status)
{
    switch (status) {
    case BatchEntry::Status::Waiting:
        return StateBadgeDelegate::paletteFor(OnboardingState::Discovered);
    case BatchEntry::Status::Identifying:
        return StateBadgeDelegate::paletteFor(OnboardingState::Identified);
    case BatchEntry::Status::Provisioning:
        return StateBadgeDelegate::paletteFor(OnboardingState::Provisioning);
    case BatchEntry::Status::Done:
        return StateBadgeDelegate::paletteFor(OnboardingState::Provisioned);
    case BatchEntry::Status::Failed:
        return StateBadgeDelegate::paletteFor(OnboardingState::Failed);
    case BatchEntry::Status::Skipped:
        return {QColor(0xf0, 0xfd, 0xf4), QColor(0x86, 0xef, 0xac), QColor(0x16, 0x65, 0x34)};
    case BatchEntry::Status::Unknown:
        return {QColor(0xf3, 0xf4, 0xf6), QColor(0x9c, 0xa3, 0xaf), QColor(0x4b, 0x55, 0x63)};
    case BatchEntry::Status::Busy:
        return {QColor(0xff, 0xed, 0xd5), QColor(0xea, 0x58, 0x0c), QColor(0x7c, 0x2d, 0x12)};
    }
    return StateBadgeDelegate::paletteFor(OnboardingState::Discovered);
}

void BatchStatusDelegate::paint(
    QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    const QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);

    const auto pal
        = paletteFor(BatchEntry::Status(index.data(BatchEntryModel::StatusRole).toInt()));
    QFont font = opt.font;
    font.setWeight(QFont::DemiBold);
    const QFontMetrics fm(font);
    const int h = qMin(fm.height() + 6, opt.rect.height() - 2);
    const int w = qMin(
        kPad + kDot + kGap + fm.horizontalAdvance(text) + kPad, opt.rect.width() - 2 * kMargin);
    const QRectF badge(
        opt.rect.left() + kMargin, opt.rect.top() + (opt.rect.height() - h) / 2.0, w, h);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    QPainterPath shape;
    shape.addRoundedRect(badge.adjusted(0.5, 0.5, -0.5, -0.5), h / 2.0, h / 2.0);
    painter->fillPath(shape, pal.fill);
    painter->setPen(QPen(pal.accent, 1));
    painter->drawPath(shape);
    painter->setPen(Qt::NoPen);
    painter->setBrush(pal.accent);
    painter->drawEllipse(QRectF(badge.left() + kPad, badge.center().y() - kDot / 2.0, kDot, kDot));
    painter->setPen(pal.text);
    painter->setFont(font);
    const QRectF textRect = badge.adjusted(kPad + kDot + kGap, 0, -kPad / 2.0, 0);
    painter->drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft,
        fm.elidedText(text, Qt::ElideRight, int(textRect.width())));
    painter->restore();
}

QSize BatchStatusDelegate::sizeHint(
    const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QFont font = option.font;
    font.setWeight(QFont::DemiBold);
    const QFontMetrics fm(font);
    const QString text = index.data(Qt::DisplayRole).toString();
    return {2 * kMargin + kPad + kDot + kGap + fm.horizontalAdvance(text) + kPad, fm.height() + 12};
}

void ElideMiddleDelegate::initStyleOption(
    QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    option->textElideMode = Qt::ElideMiddle;
}

} // namespace provbench
