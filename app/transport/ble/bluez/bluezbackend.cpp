#include "app/transport/ble/bluez/bluezbackend.h"

#include "app/transport/ble/bluez/bluezgattconnection.h"
#include "app/transport/ble/bluez/bluezscanner.h"

namespace provbench::ble {

Scanner *BluezBackend::createScanner(QObject *parent)
{
    return new BluezScanner(parent);
}

GattConnection *BluezBackend::createConnection(const QString &address, QObject *parent)
{
    return new BluezGattConnection(address, parent);
}

} // namespace provbench::ble
