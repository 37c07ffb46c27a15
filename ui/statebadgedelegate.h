#pragma once

#include "app/onboarding/onboardingstate.h"

#include <QColor>
#include <QStyledItemDelegate>

namespace provbench {

// Paints a DeviceModel State cell as a rounded badge: a coloured dot and the
// state's name on a pale fill of the same hue (discovered grey, identified
// blue, provisioning amber, provisioned green, failed red). While
// ProgressRole >= 0 the badge fills from the left like a progress bar and
// shows the percentage. Absent devices are drawn faded. Reads StateRole,
// ProgressRole and PresentRole of the index; DisplayRole gives the text.
class StateBadgeDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    struct Palette
    {
        QColor fill;   // badge background
        QColor accent; // dot, border and progress fill
        QColor text;
    };

    explicit StateBadgeDelegate(QObject *parent = nullptr);

    // Shared with other widgets that show a state (the detail panel).
    static Palette paletteFor(OnboardingState state);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
        const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    static QString badgeText(const QModelIndex &index);
};

} // namespace provbench
