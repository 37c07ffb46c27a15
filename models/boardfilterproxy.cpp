#include "models/boardfilterproxy.h"

#include "models/boarddevicemodel.h"

namespace provbench {

BoardFilterProxy::BoardFilterProxy(QObject *parent) : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
}

void BoardFilterProxy::setFilter(const journey::BoardFilter &filter)
{
    m_filter = filter;
    invalidateRowsFilter();
}

void BoardFilterProxy::setStuckOnly(bool on)
{
    m_stuckOnly = on;
    invalidateRowsFilter();
}

void BoardFilterProxy::setDeviceIds(const QSet<QString> &ids)
{
    m_ids = ids;
    invalidateRowsFilter();
}

bool BoardFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex i = sourceModel()->index(sourceRow, 0, sourceParent);
    auto text = [&i](int role) { return i.data(role).toString(); };
    if (!m_filter.site.isEmpty() && text(BoardDeviceModel::SiteRole) != m_filter.site)
        return false;
    if (!m_filter.profile.isEmpty() && text(BoardDeviceModel::ProfileRole) != m_filter.profile)
        return false;
    if (!m_filter.transport.isEmpty()
        && text(BoardDeviceModel::TransportRole) != m_filter.transport)
        return false;
    if (m_filter.stage && i.data(BoardDeviceModel::StageRole).toInt() != int(*m_filter.stage))
        return false;
    if (m_stuckOnly && !i.data(BoardDeviceModel::StuckRole).toBool())
        return false;
    if (!m_ids.isEmpty() && !m_ids.contains(text(BoardDeviceModel::IdRole)))
        return false;
    return true;
}

} // namespace provbench
