#pragma once

#include <QStyledItemDelegate>

namespace provbench {

// Paints a DeviceModel Signal cell: four bars filled by SignalBarsRole (green
// for 3-4, amber for 2, red for 1, all empty for an unknown signal), then the
// cell's text ("-58 dBm", or "seen 12 s ago" for a silent device). Rows without bars (serial
// devices, SignalBarsRole < 0) are painted as plain empty cells. Absent
// devices are drawn faded.
class SignalBarsDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
        const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace provbench
