#include "app/simulator/ble/simulatedperipheral.h"

namespace provbench::sim {

SimulatedPeripheral::SimulatedPeripheral(
    QString address, QString name, qint16 rssi, quint32 seed, QObject *parent)
    : QObject(parent),
      m_address(std::move(address)),
      m_name(std::move(name)),
      m_baseRssi(rssi),
      m_rssi(rssi),
      m_rng(seed)
{
}

void SimulatedPeripheral::drift()
{
    // A bounded random walk: real readings jump by a few dB between
    // advertisements and stay near what the distance allows.
    const int step = m_rng.bounded(-4, 5);
    const int next = qBound(m_baseRssi - 12, m_rssi + step, m_baseRssi + 8);
    m_rssi = qint16(qBound(-100, next, -30));
}

void SimulatedPeripheral::setBaseRssi(qint16 rssi)
{
    m_baseRssi = rssi;
    m_rssi = rssi;
}

ble::Advert SimulatedPeripheral::advert() const
{
    ble::Advert advert;
    advert.address = m_address;
    advert.name = m_name;
    advert.rssi = m_rssi;
    advert.serviceUuids = m_advertisedServices;
    advert.serviceData = m_serviceData;
    return advert;
}

void SimulatedPeripheral::setConnected(bool connected)
{
    m_connected = connected;
}

void SimulatedPeripheral::dropConnection()
{
    if (!m_connected)
        return;
    setConnected(false);
    Q_EMIT connectionDropped();
}

void SimulatedPeripheral::addCharacteristic(const Characteristic &characteristic)
{
    m_chars.append(characteristic);
}

SimulatedPeripheral::Characteristic *SimulatedPeripheral::find(
    const QBluetoothUuid &service, const QBluetoothUuid &uuid)
{
    for (Characteristic &c : m_chars) {
        if (c.service == service && c.uuid == uuid)
            return &c;
    }
    return nullptr;
}

const SimulatedPeripheral::Characteristic *SimulatedPeripheral::find(
    const QBluetoothUuid &service, const QBluetoothUuid &uuid) const
{
    return const_cast<SimulatedPeripheral *>(this)->find(service, uuid);
}

void SimulatedPeripheral::setValue(
    const QBluetoothUuid &service, const QBluetoothUuid &uuid, const QByteArray &value, bool notify)
{
    Characteristic *c = find(service, uuid);
    if (!c)
        return;
    c->value = value;
    if (notify && c->notifies && m_connected)
        Q_EMIT notified(service, uuid, value);
}

Result<QByteArray> SimulatedPeripheral::read(
    const QBluetoothUuid &service, const QBluetoothUuid &uuid) const
{
    const Characteristic *c = find(service, uuid);
    if (!c || !c->readable)
        return fail(Error::Code::Device, QStringLiteral("The device refused to read this value."));
    return c->value;
}

Result<void> SimulatedPeripheral::write(const QBluetoothUuid &service, const QBluetoothUuid &uuid,
    const QByteArray &value, ble::WriteMode)
{
    const Characteristic *c = find(service, uuid);
    if (!c || !c->writable)
        return fail(Error::Code::Device, QStringLiteral("The device refused the write."));
    if (value.size() > m_mtu - 3)
        return fail(Error::Code::Protocol,
            QStringLiteral("A write of %1 bytes does not fit the %2-byte MTU.")
                .arg(value.size())
                .arg(m_mtu));
    written(service, uuid, value);
    return {};
}

} // namespace provbench::sim
