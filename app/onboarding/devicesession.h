#pragma once

#include "app/onboarding/blesession.h"
#include "app/onboarding/devicerecord.h"
#include "app/protocol/improv/improvclient.h"

#include <QList>
#include <QObject>

namespace provbench {

class Link;

// The workbench's handle on one device: opens its link on demand, runs the
// protocol client and the onboarding flow, keeps the record current and the
// trace of everything said on the wire. All operations are asynchronous and
// report through the record (recordChanged) and operationFinished.
//
// A BLE device (record().isBle()) is reached through a BleSession over the
// backend given to setBleBackend(): Improv over BLE for identify, scan and
// Wi-Fi (a device that asks for authorization shows "press the button" in
// the record's activity and the write continues once it is pressed), MCUmgr
// SMP over a GATT characteristic for identify and credentials.
//
// One user-level operation runs at a time; starting another while one runs is
// refused with a clear error. cancel() stops the running one.
class DeviceSession : public QObject
{
    Q_OBJECT
public:
    using LinkFactory = std::function<std::unique_ptr<Link>(const QString &path)>;

    DeviceSession(DeviceRecord record, LinkFactory linkFactory, QObject *parent = nullptr);
    ~DeviceSession() override;

    const DeviceRecord &record() const { return m_record; }
    const QList<TraceEntry> &trace() const { return m_trace; }
    bool isBusy() const { return !m_record.activity.isEmpty(); }
    void setClientOptions(const improv::ImprovClient::Options &options);
    // BLE devices: the backend that makes GATT connections (not owned).
    void setBleBackend(ble::Backend *backend);
    void setBleOptions(const BleSession::Options &options);
    // A BLE connection is open (an operation runs, or ran moments ago).
    bool isConnected() const;

    // Reads state and device info; the device becomes Identified, or stays
    // Discovered with a note when nothing Improv answered.
    void identify();
    // Scan results arrive through scanFinished.
    void scanNetworks();
    // Writes the Wi-Fi credentials, then verifies by reading the state back.
    void provisionWifi(const QString &ssid, const QString &password);
    void setHostname(const QString &hostname);
    void setDeviceName(const QString &name);
    void cancel();

    // The port went away (unplugged); fails a running operation with a message
    // that says what was and was not written.
    void markAbsent();
    // Closes the port (or the BLE connection) so another component (a
    // provisioning job, a batch) can open it. Refused while an operation
    // runs; the next operation reopens it.
    Result<void> releasePort();
    void markPresent(const PortInfo &port);
    // A new advertisement: RSSI, last seen, name, advertised protocols and
    // Improv state; the device is present again.
    void updateBle(const ble::BleDevice &device);
    // BLE: hands the device to a credentials job (Write credentials…):
    // connects when needed and completes with the protocol, a client and a
    // target. Refused while an operation runs.
    void openCredentialAccess(std::function<void(Result<BleCredentialAccess>)> done);
    void clearTrace();

Q_SIGNALS:
    void recordChanged();
    void traceAppended(const provbench::TraceEntry &entry);
    void traceCleared();
    void scanFinished(const QList<provbench::improv::WifiNetwork> &networks);
    // After each user-level operation: empty error message on success.
    void operationFinished(const QString &operation, bool ok, const QString &message);

private:
    Result<improv::ImprovClient *> ensureClient();
    // Starts a user-level operation (name as reported in operationFinished) or
    // refuses it with a message when the device is busy or absent.
    bool begin(const QString &operation, const QString &activity, int progress = 0);
    void step(const QString &activity, int progress);
    void finish(const QString &operation, const Result<void> &result);
    void setState(OnboardingState state, const QString &reason = {});
    void appendTrace(const TraceEntry &entry);
    void failOperation(const QString &operation, const Error &error, bool writeInFlight = false);
    void setStringValue(bool hostname, const QString &value);
    void identifyOtherProtocols(const QString &operation, const Error &improvError);
    // False (after telling listeners why) for a device identified as another protocol.
    bool speaksImprov(const QString &operation);
    void dropLink();    // from the event loop, after the link closed itself
    void dropLinkNow(); // the port is gone
    // The BLE flows (devicesessionble.cpp).
    void identifyBle(const QString &operation);
    void scanNetworksBle(const QString &operation);
    void provisionWifiBle(const QString &operation, const QString &ssid, const QString &password);
    void onBleImprovState(improv::State state);
    void ensureBleSession();

    DeviceRecord m_record;
    LinkFactory m_linkFactory;
    std::unique_ptr<Link> m_link;
    std::unique_ptr<improv::ImprovClient> m_client;
    std::unique_ptr<BleSession> m_ble; // BLE devices, once a backend is set
    BleSession::Options m_bleOptions;
    bool m_bleAuthPending = false; // a BLE Wi-Fi write waits for the device's button
    improv::ImprovClient::Options m_clientOptions;
    QList<TraceEntry> m_trace;
    OnboardingState m_stateBefore = OnboardingState::Discovered; // restored on cancel
};

} // namespace provbench
