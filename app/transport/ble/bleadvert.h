#pragma once

#include "app/protocol/improv/improvble.h"

#include <QBluetoothUuid>
#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

#include <optional>

// What one BLE advertisement (or a scan update) says about a device, and what
// ProvBench makes of it. Pure data and pure functions: no Bluetooth I/O here,
// so the same code serves BlueZ, the simulator and the tests.
namespace provbench::ble {

// Well-known GATT services a provisioning tool cares about.
QBluetoothUuid smpServiceUuid();        // MCUmgr SMP: 8d53dc1d-1db7-4cd3-868b-8a527460aa84
QBluetoothUuid smpCharacteristicUuid(); // da2e7828-fbce-4e01-ae9e-261174997c48
QBluetoothUuid
espProvServiceUuid(); // ESP-IDF wifi_prov default: 021a9004-0382-4aea-bff4-6b3f1c5adfb4

// Protocols a device advertises that ProvBench recognises.
enum Protocol : quint8 {
    ProtoNone = 0,
    ProtoImprov = 0x01, // Improv Wi-Fi service or 0x4677 service data
    ProtoSmp = 0x02,    // MCUmgr SMP service
    ProtoEspProv = 0x04 // ESP-IDF provisioning (recognised, not writable by ProvBench)
};

// One scan result as a backend reports it. `rssi` is in dBm; 0 means "not
// reported" (BlueZ leaves it out for cached devices that are not advertising).
struct Advert
{
    QString address; // "AA:BB:CC:DD:EE:FF" (or a platform UUID elsewhere)
    QString name;    // may be empty
    qint16 rssi = 0;
    QList<QBluetoothUuid> serviceUuids;
    QHash<QBluetoothUuid, QByteArray> serviceData;
    QHash<quint16, QByteArray> manufacturerData;
};

// A device as the discovery table keeps it.
struct BleDevice
{
    Advert advert;
    QDateTime firstSeen;
    QDateTime lastSeen;
    quint8 protocols = ProtoNone;
    // Decoded from 0x4677 service data when present.
    std::optional<improv::ble::Advertisement> improv;

    bool isProvisionable() const { return (protocols & (ProtoImprov | ProtoSmp)) != 0; }
};

// Protocols and Improv service data read from an advertisement. Malformed
// service data is ignored (the device still counts as Improv when it lists the
// service UUID).
BleDevice describe(const Advert &advert);

// Merges a newer advertisement into what is known: an update may omit the
// name, the RSSI, UUIDs or service data (BlueZ sends only what changed), and
// what is missing keeps its earlier value.
Advert merge(const Advert &known, const Advert &update);

// 0..4 bars for a signal strength: >= -60 dBm 4, >= -70 3, >= -80 2,
// >= -90 1, weaker (or unknown) 0.
int signalBars(qint16 rssi);

// "Improv (authorized, identify)", "MCUmgr SMP", ... for tables and the CLI.
QString protocolSummary(const BleDevice &device);

// Filters of the Devices page and `ble scan`. Text matches name or address,
// case-insensitive; minRssi 0 means no limit (a device with unknown RSSI is
// kept only when there is no limit).
struct Filter
{
    QString text;
    qint16 minRssi = 0;
    bool provisionableOnly = false;

    bool matches(const BleDevice &device) const;
};

} // namespace provbench::ble
