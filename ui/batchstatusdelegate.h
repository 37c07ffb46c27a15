#pragma once

#include "app/onboarding/batch/batchrunner.h"
#include "ui/statebadgedelegate.h"

#include <QStyledItemDelegate>

namespace provbench {

// Paints the Status cell of the Batch page (BatchEntryModel::StatusRole) as a
// rounded badge in the colours the Devices page uses for states: waiting
// grey, identifying blue, provisioning amber, done green, failed red; skipped
// pale green, unknown light grey, busy orange. DisplayRole gives the text.
class BatchStatusDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    static StateBadgeDelegate::Palette paletteFor(onboarding::batch::BatchEntry::Status status);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
        const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

// Elides the middle of its column's text (port paths are long and differ at
// their end); the rest of the table elides on the right.
class ElideMiddleDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};

} // namespace provbench
