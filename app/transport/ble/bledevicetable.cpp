#include "app/transport/ble/bledevicetable.h"

namespace provbench::ble {

DeviceTable::Change DeviceTable::update(const Advert &advert, const QDateTime &now)
{
    if (advert.address.isEmpty())
        return Change::Unchanged;
    auto it = m_devices.find(advert.address);
    if (it == m_devices.end()) {
        BleDevice device = describe(advert);
        device.firstSeen = now;
        device.lastSeen = now;
        m_devices.insert(advert.address, device);
        return Change::Added;
    }
    const Advert merged = merge(it->advert, advert);
    BleDevice device = describe(merged);
    device.firstSeen = it->firstSeen;
    device.lastSeen = now;
    // "Last seen" moves on every advertisement, so an update is always worth
    // reporting: the page shows it.
    *it = device;
    return Change::Updated;
}

QStringList DeviceTable::expire(const QDateTime &now, std::chrono::seconds maxAge)
{
    QStringList removed;
    const QDateTime cutoff = now.addSecs(-maxAge.count());
    for (auto it = m_devices.begin(); it != m_devices.end();) {
        if (it->lastSeen < cutoff) {
            removed << it.key();
            it = m_devices.erase(it);
        } else {
            ++it;
        }
    }
    return removed;
}

const BleDevice *DeviceTable::find(const QString &address) const
{
    const auto it = m_devices.constFind(address);
    return it == m_devices.cend() ? nullptr : &*it;
}

} // namespace provbench::ble
