#pragma once

#include "app/transport/ble/adapterstatus.h"
#include "app/transport/ble/bleadvert.h"

#include <QObject>

namespace provbench::ble {

// A source of advertisements: BlueZ through QBluetoothDeviceDiscoveryAgent, or
// the simulator. Contract: start() scans continuously until stop(); every
// advertisement or property update (RSSI, service data) is reported through
// advertised(), possibly with fields missing (see merge()). When scanning is
// impossible, statusChanged() carries the reason and activeChanged(false)
// follows; start() may be called again later (e.g. after the adapter is
// switched on). Never blocks the caller's thread.
class Scanner : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    virtual void start() = 0;
    virtual void stop() = 0;
    virtual bool isActive() const = 0;
    virtual AdapterStatus status() const = 0;

Q_SIGNALS:
    void advertised(const provbench::ble::Advert &advert);
    void statusChanged(const provbench::ble::AdapterStatus &status);
    void activeChanged(bool active);
};

} // namespace provbench::ble
