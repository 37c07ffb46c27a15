#include "ui/statebadgedelegate.h"

#include "models/devicemodel.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>

namespace provbench {

namespace {
constexpr int kHPad = 8;   // inside the badge, left and right
constexpr int kVPad = 3;   // inside the badge, above and below the text
constexpr int kMargin = 4; // between the cell edge and the badge
constexpr int kDot = 8;    // diameter of the state dot
constexpr int kDotGap = 6; // between the dot and the text
} // namespace

StateBadgeDelegate::StateBadgeDelegate(QObject *parent) : QStyledItemDelegate(parent) { }

StateBadgeDelegate::Palette StateBadgeDelegate::paletteFor(OnboardingState state)
{
    switch (state) {
    case OnboardingState::Discovered:
        return {QColor(0xe5, 0xe7, 0xeb), QColor(0x6b, 0x72, 0x80), QColor(0x37, 0x41, 0x51)};
    case OnboardingState::Identified:
        return {QColor(0xdb, 0xea, 0xfe), QColor(0x25, 0x63, 0xeb), QColor(0x1e, 0x3a, 0x8a)};
    case OnboardingState::Provisioning:
        return {QColor(0xfe, 0xf3, 0xc7), QColor(0xd9, 0x77, 0x06), QColor(0x78, 0x35, 0x0f)};
    case OnboardingState::Provisioned:
        return {QColor(0xd1, 0xfa, 0xe5), QColor(0x05, 0x96, 0x69), QColor(0x06, 0x4e, 0x3b)};
    case OnboardingState::Failed:
        return {QColor(0xfe, 0xe2, 0xe2), QColor(0xdc, 0x26, 0x26), QColor(0x7f, 0x1d, 0x1d)};
    }
    return {QColor(Qt::lightGray), QColor(Qt::darkGray), QColor(Qt::black)};
}

QString StateBadgeDelegate::badgeText(const QModelIndex &index)
{
    const QString name = index.data(Qt::DisplayRole).toString();
    const QVariant progress = index.data(DeviceModel::ProgressRole);
    const auto state = OnboardingState(index.data(DeviceModel::StateRole).toInt());
    // Every running operation fills the badge; only a Wi-Fi write states a number.
    if (state == OnboardingState::Provisioning && progress.isValid() && progress.toInt() >= 0)
        return tr("%1 %2%").arg(name).arg(progress.toInt());
    return name;
}

void StateBadgeDelegate::paint(
    QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    const QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);

    const auto state = OnboardingState(index.data(DeviceModel::StateRole).toInt());
    const Palette pal = paletteFor(state);
    const QString text = badgeText(index);
    const QVariant progressData = index.data(DeviceModel::ProgressRole);
    const int progress = progressData.isValid() ? progressData.toInt() : -1;
    const QVariant presentData = index.data(DeviceModel::PresentRole);
    const bool present = !presentData.isValid() || presentData.toBool();

    QFont font = opt.font;
    font.setWeight(QFont::DemiBold);
    const QFontMetrics fm(font);
    const int height = qMin(fm.height() + 2 * kVPad, opt.rect.height() - 2);
    const int width = qMin(kHPad + kDot + kDotGap + fm.horizontalAdvance(text) + kHPad,
        opt.rect.width() - 2 * kMargin);
    const QRectF badge(opt.rect.left() + kMargin,
        opt.rect.top() + (opt.rect.height() - height) / 2.0, width, height);
    const qreal radius = height / 2.0;

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    if (!present)
        painter->setOpacity(0.45);

    QPainterPath shape;
    shape.addRoundedRect(badge.adjusted(0.5, 0.5, -0.5, -0.5), radius, radius);
    painter->fillPath(shape, pal.fill);
    if (progress >= 0) {
        painter->save();
        painter->setClipPath(shape);
        QColor bar = pal.accent;
        bar.setAlpha(90);
        QRectF filled = badge;
        filled.setWidth(badge.width() * qBound(0, progress, 100) / 100.0);
        painter->fillRect(filled, bar);
        painter->restore();
    }
    painter->setPen(QPen(pal.accent, 1));
    painter->drawPath(shape);

    painter->setPen(Qt::NoPen);
    painter->setBrush(pal.accent);
    const QRectF dot(badge.left() + kHPad, badge.center().y() - kDot / 2.0, kDot, kDot);
    painter->drawEllipse(dot);

    painter->setPen(pal.text);
    painter->setFont(font);
    const QRectF textRect = badge.adjusted(kHPad + kDot + kDotGap, 0, -kHPad / 2.0, 0);
    painter->drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft,
        fm.elidedText(text, Qt::ElideRight, int(textRect.width())));
    painter->restore();
}

QSize StateBadgeDelegate::sizeHint(
    const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QFont font = option.font;
    font.setWeight(QFont::DemiBold);
    const QFontMetrics fm(font);
    const QString text = badgeText(index);
    const int width = 2 * kMargin + kHPad + kDot + kDotGap + fm.horizontalAdvance(text) + kHPad;
    return {width, fm.height() + 2 * kVPad + 6};
}

} // namespace provbench
