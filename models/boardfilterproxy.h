#pragma once

#include "app/onboarding/journey/board.h"

#include <QSortFilterProxyModel>

namespace provbench {

// Filters a BoardDeviceModel by site, profile, transport and stage (the
// Board's filter fields), and optionally to stuck devices only.
class BoardFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit BoardFilterProxy(QObject *parent = nullptr);

    void setFilter(const journey::BoardFilter &filter);
    const journey::BoardFilter &filter() const { return m_filter; }
    void setStuckOnly(bool on);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    journey::BoardFilter m_filter;
    bool m_stuckOnly = false;
};

} // namespace provbench
