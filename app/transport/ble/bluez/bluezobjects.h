#pragma once

#include "app/transport/ble/adapterstatus.h"

#include <QDBusError>
#include <QMap>
#include <QString>
#include <QVariantMap>

#include <functional>

class QObject;

// Small, non-blocking look-ups on BlueZ's D-Bus API that QtBluetooth does not
// offer: is BlueZ there, which adapter is the default one and is it powered,
// what ATT MTU a connection uses. QtBluetooth keeps doing the real work.
namespace provbench::ble::bluez {

inline constexpr char16_t kService[] = u"org.bluez";
inline constexpr char16_t kAdapterInterface[] = u"org.bluez.Adapter1";
inline constexpr char16_t kDeviceInterface[] = u"org.bluez.Device1";
inline constexpr char16_t kCharacteristicInterface[] = u"org.bluez.GattCharacteristic1";

// org.freedesktop.DBus.ObjectManager.GetManagedObjects of org.bluez: object
// path -> interface -> properties. Property values of container types stay
// QDBusArgument; the simple ones used here (bool, string, uint16) are plain.
struct ManagedObjects
{
    QDBusError error; // valid when the call failed
    QMap<QString, QMap<QString, QVariantMap>> objects;

    bool ok() const { return !error.isValid(); }
    // Paths of the objects that carry `interface`, in path order.
    QStringList pathsWith(const QString &interface) const;
    // The Device1 object of `address` ("AA:BB:..."), empty when unknown.
    QString devicePath(const QString &address) const;
};

// Calls GetManagedObjects asynchronously; `done` runs once on the context's
// thread, unless the context is destroyed first. When the system bus or
// BlueZ is missing it still runs (from the event loop) with the error.
void fetchManagedObjects(QObject *context, std::function<void(const ManagedObjects &)> done);

// What the objects say about the default adapter (the first Adapter1 in path
// order, as QtBluetooth picks it): NoAdapter, AdapterOff or None.
AdapterStatus statusFromObjects(const ManagedObjects &objects);
// Maps a D-Bus error of a call to BlueZ: access denied -> NoPermission, no
// owner of org.bluez / bus gone -> BluezNotRunning, anything else -> Failed.
AdapterStatus statusFromError(const QDBusError &error);

// The whole check: system bus reachable, org.bluez registered (one quick
// synchronous call to the bus daemon), then GetManagedObjects asynchronously.
void probeAdapter(QObject *context, std::function<void(const AdapterStatus &)> done);

// The largest "MTU" property (BlueZ >= 5.62 puts it on each
// GattCharacteristic1) under the device's object, or 0 when BlueZ does not
// report one.
int characteristicMtu(const ManagedObjects &objects, const QString &devicePath);

} // namespace provbench::ble::bluez
