#include "models/devicefilterproxy.h"

#include "models/devicemodel.h"

namespace provbench {

DeviceFilterProxy::DeviceFilterProxy(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setSortLocaleAware(true);
    // The engine changes records often; keep filtering and sorting current.
    setDynamicSortFilter(true);
}

void DeviceFilterProxy::setFilterText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_text)
        return;
    m_text = trimmed;
    invalidateFilter();
}

void DeviceFilterProxy::setStateFilter(std::optional<OnboardingState> state)
{
    if (state == m_state)
        return;
    m_state = state;
    invalidateFilter();
}

void DeviceFilterProxy::setPresentOnly(bool on)
{
    if (on == m_presentOnly)
        return;
    m_presentOnly = on;
    invalidateFilter();
}

void DeviceFilterProxy::setTransportFilter(std::optional<Transport> transport)
{
    if (transport == m_transport)
        return;
    m_transport = transport;
    invalidateFilter();
}

void DeviceFilterProxy::setMinRssi(int dBm)
{
    if (dBm == m_minRssi)
        return;
    m_minRssi = dBm;
    invalidateFilter();
}

void DeviceFilterProxy::setProvisionableOnly(bool on)
{
    if (on == m_provisionableOnly)
        return;
    m_provisionableOnly = on;
    invalidateFilter();
}

bool DeviceFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *src = sourceModel();
    if (!src)
        return false;
    const QModelIndex first = src->index(sourceRow, 0, sourceParent);
    if (m_presentOnly && !first.data(DeviceModel::PresentRole).toBool())
        return false;
    if (m_state && first.data(DeviceModel::StateRole).toInt() != int(*m_state))
        return false;
    const auto transport = Transport(first.data(DeviceModel::TransportRole).toInt());
    if (m_transport && transport != *m_transport)
        return false;
    if (transport == Transport::Ble) {
        const int rssi = first.data(DeviceModel::RssiRole).toInt();
        if (m_minRssi != 0 && (rssi == 0 || rssi < m_minRssi))
            return false;
        if (m_provisionableOnly && !first.data(DeviceModel::ProvisionableRole).toBool())
            return false;
    }
    if (m_text.isEmpty())
        return true;
    for (int column : {DeviceModel::Port, DeviceModel::Transport, DeviceModel::Bridge,
             DeviceModel::Identity, DeviceModel::Protocol}) {
        const QString text = src->index(sourceRow, column, sourceParent).data().toString();
        if (text.contains(m_text, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

bool DeviceFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    if (left.column() == DeviceModel::State && right.column() == DeviceModel::State) {
        const int l = left.data(DeviceModel::StateRole).toInt();
        const int r = right.data(DeviceModel::StateRole).toInt();
        if (l != r)
            return l < r;
    }
    if (left.column() == DeviceModel::Signal && right.column() == DeviceModel::Signal) {
        // Unknown (0) and serial rows sort below every real reading.
        auto key = [](const QModelIndex &index) {
            const int rssi = index.data(DeviceModel::RssiRole).toInt();
            return rssi == 0 ? -1000 : rssi;
        };
        if (key(left) != key(right))
            return key(left) < key(right);
    }
    return QSortFilterProxyModel::lessThan(left, right);
}

} // namespace provbench
