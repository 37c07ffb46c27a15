#pragma once

#include "app/core/traceentry.h"
#include "app/onboarding/credentialplan.h"
#include "app/onboarding/provisioningjob.h"
#include "app/protocol/improv/improvbleclient.h"
#include "app/transport/link.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace provbench {

namespace ble {
class Backend;
class GattConnection;
class GattLink;
} // namespace ble
namespace smp {
class SmpClient;
}

// The device handed to a credentials job (Write credentials…) over BLE: the
// protocol, the client on the session's connection and a target over it.
// Members go in reverse order: the target, then the client, then the link.
struct BleCredentialAccess
{
    onboarding::DeviceProtocol protocol = onboarding::DeviceProtocol::Smp;
    std::unique_ptr<Link> link;      // SMP: a GattLink on the session's connection
    std::unique_ptr<QObject> client; // an smp::SmpClient or an improv::ble::Client
    std::unique_ptr<onboarding::CredentialTarget> target;
};

// The Bluetooth LE half of a DeviceSession: one GATT connection to one
// peripheral, made by a ble::Backend (BlueZ or the simulator), and the
// protocol client on it. Connects on demand, finds out from the GATT services
// whether the device speaks Improv Wi-Fi or MCUmgr SMP (Improv wins when it
// offers both), and closes the connection once it has been idle for
// Options::idleClose, since most peripherals stop advertising while connected.
//
// One operation runs at a time (DeviceSession sees to that). Each completes
// exactly once through its callback unless this object is destroyed first.
// Connection loss fails the running operation with the client's message,
// which says whether anything reached the device. Passwords never reach the
// trace.
class BleSession : public QObject
{
    Q_OBJECT
public:
    template<typename T> using Callback = std::function<void(Result<T>)>;

    enum class Kind { Improv, Smp };

    struct Identity
    {
        Kind kind = Kind::Improv;
        improv::ble::Client::Status improv;     // Improv only
        std::optional<improv::DeviceInfo> info; // Improv, when the device may tell it
    };

    struct Options
    {
        improv::ble::Client::Options improv;
        std::chrono::milliseconds smpTimeout{3000};
        std::chrono::milliseconds idleClose{20000};
    };

    BleSession(ble::Backend *backend, QString address, QObject *parent = nullptr);
    ~BleSession() override;

    void setOptions(const Options &options);
    const Options &options() const { return m_options; }
    QString address() const { return m_address; }
    bool isConnected() const;
    std::optional<Kind> kind() const { return m_kind; }

    // Connects, then reads the Improv state and device info (the latter only
    // once the device is authorized) or answers an SMP echo.
    void identify(Callback<Identity> done);
    // Waits for authorization first when the device asks for it (it answers
    // nothing else until its button is pressed).
    void scanWifi(Callback<QList<improv::WifiNetwork>> done);
    // Waits for authorization when the device asks for it (authorizationRequired),
    // then writes and verifies by reading the state back.
    void writeWifi(const QString &ssid, const QString &password, Callback<QStringList> done);
    void cancel();
    // Connects when needed and hands out a client and a credential target on
    // the connection; the connection stays open while they live.
    void openCredentialAccess(Callback<BleCredentialAccess> done);
    // Closes the connection now (the device went away, or the session ends).
    void close();

Q_SIGNALS:
    void traced(const provbench::TraceEntry &entry);
    void improvStateChanged(provbench::improv::State state);
    void authorizationRequired();
    void progress(const QString &activity, int percent);
    void connectedChanged(bool connected);

private:
    void ensureConnected(Callback<Kind> done);
    void onOpened(Result<void> opened, Callback<Kind> done);
    void startImprov(Callback<Kind> done);
    void attachSmp(Callback<Kind> done);
    void onLost(const Error &error);
    void waitForAuthorization(Callback<void> done);
    void dropClients();
    void dropConnection();
    void operationEnded();
    void onIdle();
    void note(const QString &text);
    template<typename T> Callback<T> guarded(Callback<T> done);

    ble::Backend *m_backend;
    QString m_address;
    Options m_options;
    QPointer<ble::GattConnection> m_connection;
    std::optional<Kind> m_kind;
    std::unique_ptr<improv::ble::Client> m_improv;
    std::unique_ptr<ble::GattLink> m_link;
    std::unique_ptr<smp::SmpClient> m_smp;
    QPointer<QObject> m_lent; // the client of a credentials job, while it lives
    std::function<void()> m_cancelConnect;
    std::function<void()> m_cancelWait; // while waiting for the button outside a Wi-Fi write
    bool m_running = false;
    quint64 m_connectGeneration = 0;
    QTimer m_idle;
};

} // namespace provbench
