#include "app/transport/ble/bleadvert.h"

namespace provbench::ble {

QBluetoothUuid smpServiceUuid()
{
    return QBluetoothUuid(QStringLiteral("8d53dc1d-1db7-4cd3-868b-8a527460aa84"));
}

QBluetoothUuid smpCharacteristicUuid()
{
    return QBluetoothUuid(QStringLiteral("da2e7828-fbce-4e01-ae9e-261174997c48"));
}

QBluetoothUuid espProvServiceUuid()
{
    return QBluetoothUuid(QStringLiteral("021a9004-0382-4aea-bff4-6b3f1c5adfb4"));
}

BleDevice describe(const Advert &advert)
{
    BleDevice device;
    device.advert = advert;
    const QBluetoothUuid improvData(quint16(improv::ble::kServiceDataUuid));
    for (const QBluetoothUuid &uuid : advert.serviceUuids) {
        if (uuid == improv::ble::serviceUuid())
            device.protocols |= ProtoImprov;
        else if (uuid == smpServiceUuid())
            device.protocols |= ProtoSmp;
        else if (uuid == espProvServiceUuid())
            device.protocols |= ProtoEspProv;
    }
    const auto data = advert.serviceData.constFind(improvData);
    if (data != advert.serviceData.cend()) {
        // A device that puts Improv service data in its advertisement speaks
        // Improv even when the service UUID did not fit in the same packet.
        if (auto decoded = improv::ble::decodeServiceData(*data)) {
            device.improv = *decoded;
            device.protocols |= ProtoImprov;
        }
    }
    return device;
}

Advert merge(const Advert &known, const Advert &update)
{
    Advert merged = known;
    if (!update.address.isEmpty())
        merged.address = update.address;
    if (!update.name.isEmpty())
        merged.name = update.name;
    if (update.rssi != 0)
        merged.rssi = update.rssi;
    for (const QBluetoothUuid &uuid : update.serviceUuids) {
        if (!merged.serviceUuids.contains(uuid))
            merged.serviceUuids.append(uuid);
    }
    for (auto it = update.serviceData.cbegin(); it != update.serviceData.cend(); ++it)
        merged.serviceData.insert(it.key(), it.value());
    for (auto it = update.manufacturerData.cbegin(); it != update.manufacturerData.cend(); ++it)
        merged.manufacturerData.insert(it.key(), it.value());
    return merged;
}

int signalBars(qint16 rssi)
{
    if (rssi == 0)
        return 0;
    if (rssi >= -60)
        return 4;
    if (rssi >= -70)
        return 3;
    if (rssi >= -80)
        return 2;
    if (rssi >= -90)
        return 1;
    return 0;
}

namespace {

QString improvStateName(improv::State state)
{
    switch (state) {
    case improv::State::Stopped:
        return QStringLiteral("stopped");
    case improv::State::AuthorizationRequired:
        return QStringLiteral("press button to authorize");
    case improv::State::Ready:
        return QStringLiteral("authorized");
    case improv::State::Provisioning:
        return QStringLiteral("provisioning");
    case improv::State::Provisioned:
        return QStringLiteral("provisioned");
    }
    return QStringLiteral("state %1").arg(int(state));
}

} // namespace

QString protocolSummary(const BleDevice &device)
{
    QStringList parts;
    if (device.protocols & ProtoImprov) {
        QString text = QStringLiteral("Improv Wi-Fi (BLE)");
        if (device.improv)
            text += QStringLiteral(" — %1").arg(improvStateName(device.improv->state));
        parts << text;
    }
    if (device.protocols & ProtoSmp)
        parts << QStringLiteral("MCUmgr SMP (BLE)");
    if (device.protocols & ProtoEspProv)
        parts << QStringLiteral("ESP provisioning (not supported)");
    return parts.join(QStringLiteral(", "));
}

bool Filter::matches(const BleDevice &device) const
{
    if (provisionableOnly && !device.isProvisionable())
        return false;
    if (minRssi != 0 && (device.advert.rssi == 0 || device.advert.rssi < minRssi))
        return false;
    const QString needle = text.trimmed();
    if (!needle.isEmpty() && !device.advert.name.contains(needle, Qt::CaseInsensitive)
        && !device.advert.address.contains(needle, Qt::CaseInsensitive))
        return false;
    return true;
}

} // namespace provbench::ble
