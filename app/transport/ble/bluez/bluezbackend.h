#pragma once

#include "app/transport/ble/gattconnection.h"

namespace provbench::ble {

// The real Bluetooth stack on Linux: BlueZ over the system D-Bus, through
// QtBluetooth. Scanners and connections are created lazily; nothing here
// talks to D-Bus until a scan starts or a connection opens.
//
// QtBluetooth picks its LE backend from bluetoothd's version (5.42 and later:
// the D-Bus API these classes are written for). It finds that version by
// running the binary that owns org.bluez with --version; where that fails
// (containers, sandboxes) set BLUETOOTH_FORCE_DBUS_LE_VERSION=5.64 before the
// first connection.
class BluezBackend : public Backend
{
public:
    QString name() const override { return QStringLiteral("BlueZ"); }
    Scanner *createScanner(QObject *parent) override;
    GattConnection *createConnection(const QString &address, QObject *parent) override;
};

} // namespace provbench::ble
