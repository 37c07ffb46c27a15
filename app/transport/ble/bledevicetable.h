#pragma once

#include "app/transport/ble/bleadvert.h"

#include <QMap>
#include <QStringList>

#include <chrono>

namespace provbench::ble {

// The devices a continuous scan has seen, keyed by address, with ageing: a
// device not heard from within maxAge is dropped by expire(). Pure: the caller
// passes the clock, so tests need no timers.
class DeviceTable
{
public:
    enum class Change { Added, Updated, Unchanged };

    Change update(const Advert &advert, const QDateTime &now);
    // Removes devices whose lastSeen is older than now - maxAge; returns their addresses.
    QStringList expire(const QDateTime &now, std::chrono::seconds maxAge);
    void clear() { m_devices.clear(); }

    const BleDevice *find(const QString &address) const;
    QList<BleDevice> devices() const { return m_devices.values(); }
    int size() const { return int(m_devices.size()); }

private:
    QMap<QString, BleDevice> m_devices;
};

} // namespace provbench::ble
