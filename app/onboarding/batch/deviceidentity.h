#pragma once

#include "app/core/error.h"
#include "app/onboarding/credentialplan.h"
#include "app/onboarding/journey/expecteddevices.h"
#include "app/transport/portinfo.h"

#include <QJsonObject>
#include <QObject>
#include <QStringList>

#include <chrono>
#include <functional>
#include <memory>

namespace provbench {

class Link;

namespace onboarding::batch {

// What a device said about itself when a batch asked it: the protocol it
// speaks and the identifiers it can be matched by, best first.
//
// Keys, in this order when present:
//   - the USB serial number of the port (a Zephyr CDC-ACM device reports its
//     hardware id there; an ESP32's USB-Serial/JTAG its MAC; FTDI and CP210x
//     bridges a per-chip serial, though cheap boards often share one);
//   - nRF91: the IMEI (AT+CGSN);
//   - MCUmgr SMP: the node name from OS info (Zephyr's host name, unique per
//     device with CONFIG_NET_HOSTNAME_UNIQUE);
//   - Improv: the device name it reports (ESPHome appends its MAC by default);
//   - BLE: the device address, then the advertised name.
struct DeviceIdentity
{
    DeviceProtocol protocol = DeviceProtocol::Improv;
    QString transport; // "serial" or "ble"
    QString address;   // port path or BLE address
    QStringList keys;
    QString name;      // as the device names itself (may be empty)
    QJsonObject facts; // firmware, hardware, ... for the audit log: never secrets

    // Adds a key unless empty or already present (case-insensitive).
    void addKey(const QString &key);
};

// Which expected device an identity belongs to: the first key, in the
// identity's order, equal (case-insensitive, surrounding space ignored) to
// an expected serial number. -1 when none does.
int matchExpected(const DeviceIdentity &identity, const QList<journey::ExpectedDevice> &expected);

// The order in which to probe a port, from its USB ids: Espressif chips and
// the bridges ESP boards carry (CP210x, CH34x) are asked Improv first,
// Nordic and SEGGER J-Link ports SMP and AT first (Thingy:91: AT first), so a
// device usually answers the first probe instead of waiting out the others'
// timeouts. Ports without USB ids (ptys, built-in UARTs) keep the default
// order: SMP, AT, Improv (each probe is harmless to the other protocols).
QList<DeviceProtocol> probeOrder(const PortInfo &port);

// Asks the device on an open serial link what it is: which protocol it
// speaks (ProtocolProbe), then the identity that protocol offers. Nothing is
// written to the device. Completes exactly once unless destroyed first.
class SerialIdentifier : public QObject
{
    Q_OBJECT
public:
    SerialIdentifier(Link *link, PortInfo port, QObject *parent = nullptr);
    ~SerialIdentifier() override;
    void setProbeTimeout(std::chrono::milliseconds timeout) { m_probeTimeout = timeout; }
    void run(std::function<void(Result<DeviceIdentity>)> done);

private:
    void readIdentity(DeviceProtocol protocol);
    void finish(Result<DeviceIdentity> result);

    Link *m_link;
    PortInfo m_port;
    std::chrono::milliseconds m_probeTimeout{800};
    DeviceIdentity m_identity;
    std::unique_ptr<QObject> m_worker; // the probe or the client in flight
    std::function<void(Result<DeviceIdentity>)> m_done;
};

} // namespace onboarding::batch
} // namespace provbench
