#pragma once

#include "app/core/traceentry.h"
#include "app/protocol/improv/improvble.h"
#include "app/transport/ble/gattconnection.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>
#include <functional>
#include <memory>

namespace provbench::improv::ble {

// An Improv Wi-Fi session over a GATT connection (docs/protocols/improv.md,
// docs/ble.md). start() connects when needed, checks for the Improv service,
// reads capabilities, state and error and subscribes to their notifications;
// state and error changes are reported live (stateChanged, errorChanged).
//
// One operation runs at a time; another is refused with a clear error while
// one runs. Each completes exactly once through its callback unless the client
// is destroyed first. A Wi-Fi write on a device that requires authorization
// waits (authorizationRequired is emitted) until someone presses the device's
// button, then continues by itself; it is never resent, and it succeeds only
// when the device reports Provisioned and a read-back of the state agrees.
// When the connection drops, the running operation fails with a message that
// says whether the Wi-Fi settings had reached the device. Passwords never
// appear in traces.
class Client : public QObject
{
    Q_OBJECT
public:
    template<typename T> using Callback = std::function<void(Result<T>)>;

    struct Options
    {
        // For the device to answer an RPC (a Wi-Fi join can take a while).
        std::chrono::milliseconds rpcTimeout{30000};
        // For someone to press the button on a device that requires authorization.
        std::chrono::milliseconds authorizationTimeout{120000};
        // Fallback poll of the state characteristic while waiting for the
        // button, for stacks that drop a notification.
        std::chrono::milliseconds authorizationPoll{2000};
    };

    struct Status
    {
        State state = State::AuthorizationRequired;
        ErrorCode error = ErrorCode::None;
        quint8 capabilities = 0;
    };

    explicit Client(provbench::ble::GattConnection *connection, QObject *parent = nullptr);
    ~Client() override;

    void setOptions(const Options &options) { m_options = options; }
    provbench::ble::GattConnection *connection() const { return m_connection; }

    void start(Callback<Status> done);
    bool isStarted() const { return m_started; }
    const Status &status() const { return m_status; }
    bool isBusy() const { return m_op != nullptr; }

    // Identify (blink or beep); needs CapIdentify. Completes when written.
    void identify(Callback<void> done);
    void deviceInfo(Callback<DeviceInfo> done);
    void scanWifi(Callback<QList<WifiNetwork>> done);
    // Completes with the redirect URLs the device reported (may be empty).
    void writeWifi(const QString &ssid, const QString &password, Callback<QStringList> done);
    // Fails the running operation with Cancelled. A Wi-Fi write already sent
    // cannot be taken back; the message says so.
    void cancel();

Q_SIGNALS:
    void stateChanged(provbench::improv::State state);
    void errorChanged(provbench::improv::ErrorCode error);
    // A Wi-Fi write waits for the button on the device.
    void authorizationRequired();
    void traced(const provbench::TraceEntry &entry);

private:
    struct Operation;

    // Why an operation cannot start now (not started, or another one runs).
    std::optional<Error> refusal() const;
    void beginOp(std::unique_ptr<Operation> op);
    void sendRpc(const QByteArray &rpc, bool secret);
    void writeNextPiece();
    void finishOp(const std::optional<Error> &error);
    void onNotified(const QBluetoothUuid &service, const QBluetoothUuid &characteristic,
        const QByteArray &value);
    void onLost(const Error &error);
    void onState(State state);
    void onErrorState(ErrorCode error);
    void onResult(const QByteArray &value);
    void onTimeout();
    void pollState();
    void verifyProvisioned();
    Error interruptedError(const Error &cause) const;
    void trace(TraceEntry::Direction dir, const QString &summary, const QString &hex = {});

    QPointer<provbench::ble::GattConnection> m_connection;
    Options m_options;
    Status m_status;
    bool m_started = false;
    std::unique_ptr<Operation> m_op;
    QTimer m_timer;
    QTimer m_pollTimer;
};

} // namespace provbench::improv::ble
