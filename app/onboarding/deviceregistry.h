#pragma once

#include "app/onboarding/devicesession.h"
#include "app/transport/ble/adapterstatus.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>

namespace provbench {

class SerialDiscovery;
namespace ble {
class Backend;
class Discovery;
} // namespace ble

// All devices the workbench has seen in this run, in order of appearance.
// Listens to a SerialDiscovery: a new port becomes a device (and is probed when
// autoIdentify is on); a removed port removes an untouched device or marks a
// touched one absent, so nothing a user worked on silently vanishes.
//
// With followBle() it also follows a BLE discovery, by the same rule: a device
// heard for the first time becomes a record (id "ble:" + address) with what
// its advertisement says, but is not connected to on its own (connecting to
// everything in range would disturb other people's devices); advertisements
// keep its RSSI, last-seen time and Improv state current; a device that ages
// out is removed when untouched, marked absent when worked on. A device whose
// session holds a connection may stop advertising meanwhile: it is judged
// when the connection closes.
class DeviceRegistry : public QObject
{
    Q_OBJECT
public:
    explicit DeviceRegistry(SerialDiscovery *discovery, QObject *parent = nullptr);
    ~DeviceRegistry() override;

    void setLinkFactory(DeviceSession::LinkFactory factory) { m_linkFactory = std::move(factory); }
    void setAutoIdentify(bool on) { m_autoIdentify = on; }
    bool autoIdentify() const { return m_autoIdentify; }
    void setClientOptions(const improv::ImprovClient::Options &options);

    // Neither is owned; both must outlive this registry's sessions or be
    // destroyed after it.
    void followBle(ble::Discovery *discovery, ble::Backend *backend);
    ble::Discovery *bleDiscovery() const;
    // Why BLE is unusable; ok() when it works or when no BLE discovery is followed.
    ble::AdapterStatus bleStatus() const;
    // Starts the BLE scan again (after the adapter was fixed).
    void restartBle();
    void setBleOptions(const BleSession::Options &options);

    int count() const { return int(m_sessions.size()); }
    DeviceSession *at(int row) const { return m_sessions.value(row); }
    DeviceSession *find(const QString &id) const;
    int indexOf(const QString &id) const;

Q_SIGNALS:
    void deviceAboutToBeAdded(int row);
    void deviceAdded(int row);
    void deviceAboutToBeRemoved(int row);
    void deviceRemoved(int row);
    void deviceChanged(int row);
    void bleStatusChanged(const provbench::ble::AdapterStatus &status);

private:
    void onPortAdded(const PortInfo &port);
    void onPortRemoved(const PortInfo &port);
    void onBleSeen(const ble::BleDevice &device);
    void onBleGone(const QString &address);
    void judgeBleAbsence(DeviceSession *session);
    void append(DeviceSession *session);
    // Gone from discovery: removed when untouched, else marked absent.
    void retire(DeviceSession *session);

    SerialDiscovery *m_discovery;
    DeviceSession::LinkFactory m_linkFactory;
    improv::ImprovClient::Options m_clientOptions;
    QList<DeviceSession *> m_sessions;
    bool m_autoIdentify = true;

    QPointer<ble::Discovery> m_bleDiscovery;
    ble::Backend *m_bleBackend = nullptr;
    BleSession::Options m_bleOptions;
    QSet<QString> m_bleGone; // ids that aged out while connected or busy
};

} // namespace provbench
