#include "app/onboarding/devicerecord.h"

namespace provbench {

QString DeviceRecord::identitySummary() const
{
    if (!info)
        return QString();
    QString s = info->firmwareName;
    if (!info->firmwareVersion.isEmpty())
        s += QLatin1Char(' ') + info->firmwareVersion;
    if (!info->hardware.isEmpty())
        s += QStringLiteral(" on ") + info->hardware;
    return s;
}

QString DeviceRecord::displayName() const
{
    if (isBle())
        return ble.advert.name.isEmpty() ? ble.advert.address : ble.advert.name;
    return port.portName.isEmpty() ? port.path : port.portName;
}

QString DeviceRecord::transportName() const
{
    if (isBle())
        return QStringLiteral("BLE");
    if (port.vendorId.has_value())
        return QStringLiteral("USB serial");
    if (port.userAdded)
        return QStringLiteral("pty");
    return QStringLiteral("Serial");
}

bool DeviceRecord::speaksImprov() const
{
    if (protocols.isEmpty())
        return !isBle() || (ble.protocols & ble::ProtoImprov);
    return protocols.contains(kImprovSerialLabel) || protocols.contains(kImprovBleLabel);
}

bool DeviceRecord::speaksSmpOverBle() const
{
    return isBle() && protocols.contains(kSmpBleLabel);
}

QStringList bleProtocolLabels(const ble::BleDevice &device)
{
    QStringList labels;
    if (device.protocols & ble::ProtoImprov)
        labels << QString(kImprovBleLabel);
    if (device.protocols & ble::ProtoSmp)
        labels << QString(kSmpBleLabel);
    if (device.protocols & ble::ProtoEspProv)
        labels << QStringLiteral("ESP provisioning (not supported)");
    return labels;
}

DeviceRecord bleRecord(const ble::BleDevice &device)
{
    DeviceRecord rec;
    rec.id = QStringLiteral("ble:") + device.advert.address;
    rec.transport = Transport::Ble;
    rec.port.path = device.advert.address;
    rec.port.portName = device.advert.address;
    rec.ble = device;
    rec.protocols = bleProtocolLabels(device);
    if (device.improv)
        rec.improvState = device.improv->state;
    rec.firstSeen = device.firstSeen.isValid() ? device.firstSeen.toLocalTime()
                                               : QDateTime::currentDateTime();
    return rec;
}

} // namespace provbench
