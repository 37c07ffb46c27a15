#pragma once

#include "app/onboarding/journey/board.h"

#include <QSet>
#include <QSortFilterProxyModel>

namespace provbench {

// Filters a BoardDeviceModel by site, profile, transport and stage (the
// Board's filter fields), optionally to stuck devices only, and optionally to
// a set of device ids (the devices behind a failure reason).
class BoardFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit BoardFilterProxy(QObject *parent = nullptr);

    void setFilter(const journey::BoardFilter &filter);
    const journey::BoardFilter &filter() const { return m_filter; }
    void setStuckOnly(bool on);
    bool stuckOnly() const { return m_stuckOnly; }
    // Empty: any device.
    void setDeviceIds(const QSet<QString> &ids);
    const QSet<QString> &deviceIds() const { return m_ids; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    journey::BoardFilter m_filter;
    bool m_stuckOnly = false;
    QSet<QString> m_ids;
};

} // namespace provbench
