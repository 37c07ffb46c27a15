#pragma once

#include "app/core/error.h"

#include <QJsonObject>
#include <QString>

namespace provbench::store {
class AuditLog;
struct AuditRecord;
} // namespace provbench::store

namespace provbench::journey {

// What discovery or identification learned about a device, for the audit log.
struct DeviceSighting
{
    QString transport;    // "serial", "ble"
    QString address;      // port path or BLE address
    QString name;         // as the device names itself, may be empty
    QString profileKind;  // "static" / "dynamic" when already known, else empty
    QJsonObject identity; // firmware, hardware, protocols, ...: facts, never secrets
};

// Records "device.discovered": the first step of a device's journey.
Result<store::AuditRecord> recordDiscovered(
    store::AuditLog &log, const QString &deviceId, const DeviceSighting &sighting);
// Records "device.identified": the device answered and said what it is.
Result<store::AuditRecord> recordIdentified(
    store::AuditLog &log, const QString &deviceId, const DeviceSighting &sighting);

} // namespace provbench::journey
