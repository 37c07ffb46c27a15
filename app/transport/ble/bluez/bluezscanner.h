#pragma once

#include "app/transport/ble/blescanner.h"

#include <QBluetoothDeviceDiscoveryAgent>
#include <QBluetoothDeviceInfo>
#include <QHash>
#include <QTimer>

#include <chrono>
#include <optional>

class QDBusMessage;
class QDBusServiceWatcher;

namespace provbench::ble {

// Continuous LE scanning on BlueZ through QBluetoothDeviceDiscoveryAgent
// (LowEnergyMethod, no timeout). Every deviceDiscovered becomes a full
// Advert; every deviceUpdated (RSSI, manufacturer or service data) an Advert
// with only the fields that changed, unless it repeats what was just reported.
//
// Adapter status: before the agent starts, and whenever BlueZ appears or
// vanishes on the system bus, an adapter is added or removed or its Powered
// property changes, or the agent reports an error, the scanner looks at BlueZ
// itself (bluez::probeAdapter: one quick call to the bus daemon, the rest
// asynchronous). Any problem stops the agent, and statusChanged() then
// activeChanged(false) are emitted; while it lasts the check is repeated every
// recheckInterval, and scanning resumes by itself (statusChanged(ok),
// activeChanged(true)) once the problem is gone. status() is ok() only while
// the agent runs. QtBluetooth itself restarts BlueZ discovery when another
// program stops it, and the scanner restarts the agent if it ever stops on
// its own; only stop() ends scanning.
//
// QtBluetooth 6.4 facts this relies on: the agent's start() makes a few short
// synchronous D-Bus calls, so it is started only after a successful check;
// its start() reports a powered-off adapter (PoweredOffError) but it says
// nothing when the adapter is switched off while scanning, hence the watch on
// Powered; a ServiceData change alone (without RSSI or manufacturer data)
// never reaches deviceUpdated in 6.4.
class BluezScanner : public Scanner
{
    Q_OBJECT
public:
    struct Options
    {
        std::chrono::milliseconds recheckInterval{2000};
        std::chrono::milliseconds restartDelay{250}; // after the agent stopped on its own
    };

    explicit BluezScanner(QObject *parent = nullptr);
    BluezScanner(Options options, QObject *parent = nullptr);
    ~BluezScanner() override;

    void start() override;
    void stop() override;
    bool isActive() const override { return m_active; }
    AdapterStatus status() const override { return m_status; }

    // Pure conversion, public for tests: the whole QBluetoothDeviceInfo, or
    // only `fields` of it (address always).
    static Advert toAdvert(const QBluetoothDeviceInfo &info,
        QBluetoothDeviceInfo::Fields fields = QBluetoothDeviceInfo::Field::All);

private Q_SLOTS:
    // QDBusConnection::connect() only takes SLOT() names.
    void onBluezSignal(const QDBusMessage &message);

private:
    void watchBluez();
    void connectBluezSignals(bool on);
    void recheck();
    void onProbed(const AdapterStatus &status);
    void startAgent(const AdapterStatus &probed);
    void stopAgent();
    void setStatus(const AdapterStatus &status);
    void setActive(bool active);
    void report(const Advert &advert);

    void onDeviceDiscovered(const QBluetoothDeviceInfo &info);
    void onDeviceUpdated(const QBluetoothDeviceInfo &info, QBluetoothDeviceInfo::Fields fields);
    void onAgentError(QBluetoothDeviceDiscoveryAgent::Error error);
    void onAgentStopped();

    Options m_options;
    QBluetoothDeviceDiscoveryAgent *m_agent = nullptr;
    QDBusServiceWatcher *m_serviceWatcher = nullptr;
    bool m_watching = false;
    QTimer m_recheckTimer;
    QTimer m_restartTimer;
    AdapterStatus m_status;
    bool m_wanted = false;        // between start() and stop()
    bool m_active = false;        // the agent runs
    bool m_stoppingAgent = false; // our own agent->stop() is on the stack
    bool m_probing = false;
    bool m_probeAgain = false;
    bool m_agentFailed = false;                  // errorOccurred since the last start()
    std::optional<AdapterStatus> m_agentFailure; // shown when BlueZ itself looks fine
    quint64 m_probeGeneration = 0;               // results of probes from before stop() are dropped
    QHash<QString, Advert> m_reported;           // last advert per address, to drop repeats
};

} // namespace provbench::ble
