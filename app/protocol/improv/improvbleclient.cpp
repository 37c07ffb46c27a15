#include "app/protocol/improv/improvbleclient.h"

#include "app/core/duration.h"
#include "app/core/logging.h"

namespace provbench::improv::ble {

using provbench::ble::GattConnection;
using provbench::ble::WriteMode;

struct Client::Operation
{
    enum class Kind { Start, Identify, DeviceInfo, Scan, Wifi };
    Kind kind = Kind::Start;
    QString name; // for messages: "reading device info"
    QString ssid; // Wi-Fi only; never the password
    QByteArray rpc;
    QList<std::pair<qsizetype, qsizetype>> secretRanges;
    QList<QByteArray> pieces;
    int nextPiece = 0;
    bool waitingForAuthorization = false;
    bool firstPieceWritten = false;
    // The last piece went out: from here on the device may act on the request
    // even when its acknowledgement never arrives.
    bool lastPieceSent = false;
    bool allWritten = false;
    bool sawProvisioned = false;
    bool verifying = false;
    std::optional<QStringList> urls;
    QList<WifiNetwork> networks;
    std::optional<DeviceInfo> info;
    // Delivers the outcome to the caller's typed callback.
    std::function<void(const std::optional<Error> &)> complete;
};

namespace {

// Runs asynchronous steps one after another; the first failure ends the chain.
using Step = std::function<void(std::function<void(Result<void>)>)>;
void runSteps(std::shared_ptr<QList<Step>> steps, int index, std::function<void(Result<void>)> done)
{
    if (index >= steps->size()) {
        done({});
        return;
    }
    (*steps)[index]([steps, index, done](Result<void> result) {
        if (!result) {
            done(std::unexpected(result.error()));
            return;
        }
        runSteps(steps, index + 1, done);
    });
}

} // namespace

Client::Client(GattConnection *connection, QObject *parent)
    : QObject(parent), m_connection(connection)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &Client::onTimeout);
    connect(&m_pollTimer, &QTimer::timeout, this, &Client::pollState);
    if (m_connection) {
        connect(m_connection, &GattConnection::notified, this, &Client::onNotified);
        connect(m_connection, &GattConnection::lost, this, &Client::onLost);
    }
}

Client::~Client() = default;

void Client::trace(TraceEntry::Direction dir, const QString &summary, const QString &hex)
{
    Q_EMIT traced(TraceEntry{QDateTime::currentDateTime(), dir, summary, hex});
}

void Client::beginOp(std::unique_ptr<Operation> op)
{
    m_op = std::move(op);
}

void Client::finishOp(const std::optional<Error> &error)
{
    if (!m_op)
        return;
    m_timer.stop();
    m_pollTimer.stop();
    auto op = std::move(m_op);
    if (error)
        trace(TraceEntry::Direction::Note, error->message);
    op->complete(error);
}

void Client::start(Callback<Status> done)
{
    if (m_op) {
        done(fail(Error::Code::InvalidArgument,
            QStringLiteral("The device is busy %1; wait for it to finish.").arg(m_op->name)));
        return;
    }
    if (!m_connection) {
        done(fail(Error::Code::Io, QStringLiteral("There is no Bluetooth connection to use.")));
        return;
    }
    auto op = std::make_unique<Operation>();
    op->kind = Operation::Kind::Start;
    op->name = QStringLiteral("connecting");
    op->complete = [this, done](const std::optional<Error> &error) {
        if (error)
            done(std::unexpected(*error));
        else
            done(m_status);
    };
    beginOp(std::move(op));

    QPointer<Client> self(this);
    auto steps = std::make_shared<QList<Step>>();
    GattConnection *c = m_connection;
    const QBluetoothUuid svc = serviceUuid();
    if (!c->isOpen())
        steps->append([c](auto next) { c->open(next); });
    steps->append([c, svc](auto next) {
        if (!c->hasCharacteristic(svc, currentStateUuid())
            || !c->hasCharacteristic(svc, rpcCommandUuid())
            || !c->hasCharacteristic(svc, rpcResultUuid())) {
            next(fail(Error::Code::Unsupported,
                QStringLiteral("%1 does not offer the Improv Wi-Fi service. Check that its "
                               "firmware has Improv over BLE enabled, or use another protocol.")
                    .arg(c->address())));
            return;
        }
        next({});
    });
    steps->append([this, c, svc, self](auto next) {
        if (!c->hasCharacteristic(svc, capabilitiesUuid())) {
            // Firmware older than Improv 1.0 has no capabilities characteristic.
            m_status.capabilities = 0;
            next({});
            return;
        }
        c->read(svc, capabilitiesUuid(), [this, self, next](Result<QByteArray> value) {
            if (!self)
                return;
            if (!value)
                return next(std::unexpected(value.error()));
            m_status.capabilities = value->isEmpty() ? 0 : quint8(value->at(0));
            next({});
        });
    });
    steps->append([this, c, svc, self](auto next) {
        c->read(svc, currentStateUuid(), [this, self, next](Result<QByteArray> value) {
            if (!self)
                return;
            if (!value)
                return next(std::unexpected(value.error()));
            auto state = decodeState(*value);
            if (!state)
                return next(std::unexpected(state.error()));
            m_status.state = *state;
            next({});
        });
    });
    steps->append([this, c, svc, self](auto next) {
        if (!c->hasCharacteristic(svc, errorStateUuid()))
            return next({});
        c->read(svc, errorStateUuid(), [this, self, next](Result<QByteArray> value) {
            if (!self)
                return;
            if (!value)
                return next(std::unexpected(value.error()));
            auto error = decodeError(*value);
            m_status.error = error ? *error : ErrorCode::Unknown;
            next({});
        });
    });
    for (const QBluetoothUuid &ch : {currentStateUuid(), errorStateUuid(), rpcResultUuid()}) {
        steps->append([c, svc, ch](auto next) {
            if (!c->hasCharacteristic(svc, ch))
                return next({});
            c->subscribe(svc, ch, next);
        });
    }
    runSteps(steps, 0, [this, self](Result<void> result) {
        if (!self)
            return;
        if (result) {
            m_started = true;
            trace(TraceEntry::Direction::Received,
                QStringLiteral("Improv over BLE: state %1, capabilities 0x%2")
                    .arg(stateName(m_status.state))
                    .arg(m_status.capabilities, 2, 16, QLatin1Char('0')));
            Q_EMIT stateChanged(m_status.state);
            finishOp(std::nullopt);
        } else {
            finishOp(result.error());
        }
    });
}

std::optional<Error> Client::refusal() const
{
    if (!m_started)
        return Error::make(
            Error::Code::InvalidArgument, QStringLiteral("Connect to the device first."));
    if (m_op)
        return Error::make(Error::Code::InvalidArgument,
            QStringLiteral("The device is busy %1; wait for it to finish.").arg(m_op->name));
    return std::nullopt;
}

void Client::identify(Callback<void> done)
{
    if (auto refused = refusal()) {
        done(std::unexpected(*refused));
        return;
    }
    auto op = std::make_unique<Operation>();
    op->kind = Operation::Kind::Identify;
    op->name = QStringLiteral("identifying");
    op->complete = [done](const std::optional<Error> &error) {
        if (error)
            done(std::unexpected(*error));
        else
            done({});
    };
    beginOp(std::move(op));
    sendRpc(*encodeRpc(Command::Identify), false);
}

void Client::deviceInfo(Callback<DeviceInfo> done)
{
    if (auto refused = refusal()) {
        done(std::unexpected(*refused));
        return;
    }
    if (m_status.capabilities && !(m_status.capabilities & CapDeviceInfo)) {
        done(fail(Error::Code::Unsupported,
            QStringLiteral("This device does not report device information over BLE.")));
        return;
    }
    auto op = std::make_unique<Operation>();
    op->kind = Operation::Kind::DeviceInfo;
    op->name = QStringLiteral("reading device info");
    Operation *raw = op.get();
    op->complete = [done, raw](const std::optional<Error> &error) {
        if (error)
            done(std::unexpected(*error));
        else
            done(*raw->info);
    };
    beginOp(std::move(op));
    sendRpc(*encodeRpc(Command::DeviceInfo), false);
}

void Client::scanWifi(Callback<QList<WifiNetwork>> done)
{
    if (auto refused = refusal()) {
        done(std::unexpected(*refused));
        return;
    }
    if (m_status.capabilities && !(m_status.capabilities & CapWifiScan)) {
        done(fail(Error::Code::Unsupported,
            QStringLiteral("This device cannot scan for Wi-Fi networks over BLE; type the SSID.")));
        return;
    }
    auto op = std::make_unique<Operation>();
    op->kind = Operation::Kind::Scan;
    op->name = QStringLiteral("scanning for Wi-Fi networks");
    Operation *raw = op.get();
    op->complete = [done, raw](const std::optional<Error> &error) {
        if (error)
            done(std::unexpected(*error));
        else
            done(raw->networks);
    };
    beginOp(std::move(op));
    sendRpc(*encodeRpc(Command::WifiScan), false);
}

void Client::writeWifi(const QString &ssid, const QString &password, Callback<QStringList> done)
{
    if (auto refused = refusal()) {
        done(std::unexpected(*refused));
        return;
    }
    const QByteArray ssidBytes = ssid.toUtf8();
    const QByteArray passwordBytes = password.toUtf8();
    auto rpc = encodeWifiSettings(ssidBytes, passwordBytes);
    if (!rpc) {
        done(std::unexpected(rpc.error()));
        return;
    }
    auto op = std::make_unique<Operation>();
    op->kind = Operation::Kind::Wifi;
    op->name = QStringLiteral("writing Wi-Fi settings");
    op->ssid = ssid;
    // [command, length, ssidLen, ssid..., passwordLen, password..., checksum]
    op->secretRanges = {{3 + ssidBytes.size() + 1, passwordBytes.size()}};
    Operation *raw = op.get();
    op->complete = [done, raw](const std::optional<Error> &error) {
        if (error)
            done(std::unexpected(*error));
        else
            done(raw->urls.value_or(QStringList{}));
    };
    op->rpc = *rpc;
    // The checksum is a function of the password too: it is hidden with it.
    op->secretRanges.append({rpc->size() - 1, 1});
    beginOp(std::move(op));
    if (m_status.state == State::AuthorizationRequired) {
        m_op->waitingForAuthorization = true;
        trace(TraceEntry::Direction::Note,
            QStringLiteral("Waiting for authorization: press the button on the device."));
        // Timers first: a listener may cancel, or open a dialog, from the signal.
        m_timer.start(m_options.authorizationTimeout);
        m_pollTimer.start(m_options.authorizationPoll);
        Q_EMIT authorizationRequired();
        return;
    }
    sendRpc(m_op->rpc, true);
}

void Client::cancel()
{
    if (!m_op)
        return;
    QString message = QStringLiteral("Cancelled.");
    if (m_op->kind == Operation::Kind::Wifi && m_op->lastPieceSent)
        message = QStringLiteral("Stopped waiting, but the Wi-Fi settings for \"%1\" were already "
                                 "sent: the device may still join that network. Read its state "
                                 "before writing again.")
                      .arg(m_op->ssid);
    finishOp(Error::make(Error::Code::Cancelled, message));
}

void Client::sendRpc(const QByteArray &rpc, bool secret)
{
    m_op->rpc = rpc;
    m_op->pieces = splitForMtu(rpc, m_connection ? m_connection->mtu() : 23);
    m_op->nextPiece = 0;
    const QString hex
        = redactedHex(rpc, secret ? m_op->secretRanges : decltype(m_op->secretRanges){});
    QString summary = QStringLiteral("RPC 0x%1, %2 bytes in %3 write(s)")
                          .arg(quint8(rpc.at(0)), 2, 16, QLatin1Char('0'))
                          .arg(rpc.size())
                          .arg(m_op->pieces.size());
    if (m_op->kind == Operation::Kind::Wifi)
        summary = QStringLiteral("Wi-Fi settings for \"%1\" (password redacted), %2 write(s)")
                      .arg(m_op->ssid)
                      .arg(m_op->pieces.size());
    trace(TraceEntry::Direction::Sent, summary, hex);
    writeNextPiece();
}

void Client::writeNextPiece()
{
    if (!m_op || !m_connection)
        return;
    if (m_op->nextPiece >= m_op->pieces.size()) {
        m_op->allWritten = true;
        if (m_op->kind == Operation::Kind::Identify) {
            finishOp(std::nullopt);
            return;
        }
        m_timer.start(m_options.rpcTimeout);
        return;
    }
    Operation *op = m_op.get();
    if (op->nextPiece == op->pieces.size() - 1)
        op->lastPieceSent = true;
    QPointer<Client> self(this);
    m_connection->write(serviceUuid(), rpcCommandUuid(), op->pieces.at(op->nextPiece),
        WriteMode::WithResponse, [this, self, op](Result<void> result) {
            if (!self || m_op.get() != op)
                return;
            if (!result) {
                finishOp(result.error().code == Error::Code::Io ? interruptedError(result.error())
                                                                : result.error());
                return;
            }
            op->firstPieceWritten = true;
            ++op->nextPiece;
            writeNextPiece();
        });
}

Error Client::interruptedError(const Error &cause) const
{
    const QString who = m_connection ? m_connection->address() : QStringLiteral("the device");
    if (!m_op || m_op->kind != Operation::Kind::Wifi) {
        return Error::make(Error::Code::Io,
            QStringLiteral("The connection to %1 was lost while %2 (%3). Nothing was changed on "
                           "the device; reconnect and try again.")
                .arg(who, m_op ? m_op->name : QStringLiteral("idle"), cause.message));
    }
    if (!m_op->firstPieceWritten && !m_op->lastPieceSent) {
        return Error::make(Error::Code::Io,
            QStringLiteral("The connection to %1 was lost before the Wi-Fi settings were sent: "
                           "nothing was written. Reconnect and try again.")
                .arg(who));
    }
    if (!m_op->lastPieceSent) {
        return Error::make(Error::Code::Io,
            QStringLiteral("The connection to %1 was lost while sending the Wi-Fi settings (%2 of "
                           "%3 pieces written). The device discards an incomplete request, so "
                           "nothing was applied; reconnect and try again.")
                .arg(who)
                .arg(m_op->nextPiece)
                .arg(m_op->pieces.size()));
    }
    return Error::make(Error::Code::Io,
        QStringLiteral("The connection to %1 was lost after the Wi-Fi settings for \"%2\" were "
                       "sent. The device may have them and be joining the network; reconnect and "
                       "read its state before writing again.")
            .arg(who, m_op->ssid));
}

void Client::onLost(const Error &error)
{
    m_started = false;
    if (m_op)
        finishOp(m_op->kind == Operation::Kind::Start ? error : interruptedError(error));
}

void Client::onNotified(
    const QBluetoothUuid &service, const QBluetoothUuid &characteristic, const QByteArray &value)
{
    if (service != serviceUuid())
        return;
    if (characteristic == currentStateUuid()) {
        auto state = decodeState(value);
        if (!state) {
            trace(TraceEntry::Direction::Note, state.error().message, redactedHex(value));
            return;
        }
        onState(*state);
    } else if (characteristic == errorStateUuid()) {
        auto error = decodeError(value);
        onErrorState(error ? *error : ErrorCode::Unknown);
    } else if (characteristic == rpcResultUuid()) {
        onResult(value);
    }
}

void Client::onState(State state)
{
    const bool changed = state != m_status.state;
    m_status.state = state;
    if (changed) {
        trace(TraceEntry::Direction::Received, QStringLiteral("State: %1").arg(stateName(state)),
            redactedHex(QByteArray(1, char(state))));
        Q_EMIT stateChanged(state);
    }
    if (!m_op || m_op->kind != Operation::Kind::Wifi)
        return;
    if (m_op->waitingForAuthorization && state != State::AuthorizationRequired) {
        m_op->waitingForAuthorization = false;
        m_timer.stop();
        m_pollTimer.stop();
        trace(
            TraceEntry::Direction::Note, QStringLiteral("Authorized: sending the Wi-Fi settings."));
        sendRpc(m_op->rpc, true);
        return;
    }
    if (m_op->allWritten && state == State::Provisioned) {
        m_op->sawProvisioned = true;
        if (m_op->urls)
            verifyProvisioned();
    }
}

void Client::onErrorState(ErrorCode error)
{
    const bool changed = error != m_status.error;
    m_status.error = error;
    if (changed)
        Q_EMIT errorChanged(error);
    if (error == ErrorCode::None || !m_op || !(m_op->firstPieceWritten || m_op->lastPieceSent))
        return;
    trace(TraceEntry::Direction::Received, QStringLiteral("Error: %1").arg(errorName(error)),
        redactedHex(QByteArray(1, char(error))));
    const auto serialCommand = m_op->kind == Operation::Kind::Wifi ? improv::Command::WifiSettings
        : m_op->kind == Operation::Kind::Scan                      ? improv::Command::WifiScan
                                                                   : improv::Command::DeviceInfo;
    if (error == ErrorCode::NotAuthorized && m_op->kind == Operation::Kind::Wifi) {
        finishOp(Error::make(Error::Code::Device,
            QStringLiteral("The device refused the Wi-Fi settings because it is not authorized "
                           "(its authorization may have timed out). Press the button on the "
                           "device and write again."),
            int(error)));
        return;
    }
    finishOp(Error::make(
        Error::Code::Device, errorMessage(error, serialCommand, m_op->ssid), int(error)));
}

void Client::onResult(const QByteArray &value)
{
    auto rpc = decodeRpc(value);
    if (!rpc) {
        trace(TraceEntry::Direction::Note, rpc.error().message, redactedHex(value));
        if (m_op && m_op->allWritten)
            finishOp(rpc.error());
        return;
    }
    trace(TraceEntry::Direction::Received,
        QStringLiteral("RPC result 0x%1 with %2 string(s)")
            .arg(rpc->command, 2, 16, QLatin1Char('0'))
            .arg(rpc->strings.size()),
        redactedHex(value));
    if (!m_op || !m_op->allWritten)
        return;
    switch (m_op->kind) {
    case Operation::Kind::Wifi: {
        if (rpc->command != quint8(Command::WifiSettings))
            return;
        QStringList urls;
        for (const QByteArray &s : rpc->strings)
            urls << QString::fromUtf8(s);
        m_op->urls = urls;
        // Some firmware sends the result before the state notification; the
        // read-back below decides either way.
        verifyProvisioned();
        return;
    }
    case Operation::Kind::DeviceInfo: {
        if (rpc->command != quint8(Command::DeviceInfo))
            return;
        auto info = decodeDeviceInfo(*rpc);
        if (!info) {
            finishOp(info.error());
            return;
        }
        m_op->info = *info;
        finishOp(std::nullopt);
        return;
    }
    case Operation::Kind::Scan: {
        if (rpc->command != quint8(Command::WifiScan))
            return;
        auto entry = decodeScanEntry(*rpc);
        if (!entry) {
            finishOp(entry.error());
            return;
        }
        if (!*entry) {
            finishOp(std::nullopt);
            return;
        }
        m_op->networks << **entry;
        m_timer.start(m_options.rpcTimeout);
        return;
    }
    default:
        return;
    }
}

void Client::verifyProvisioned()
{
    if (!m_op || m_op->verifying || !m_connection)
        return;
    m_op->verifying = true;
    Operation *op = m_op.get();
    QPointer<Client> self(this);
    m_connection->read(
        serviceUuid(), currentStateUuid(), [this, self, op](Result<QByteArray> value) {
            if (!self || m_op.get() != op)
                return;
            if (!value) {
                finishOp(value.error().code == Error::Code::Io ? interruptedError(value.error())
                                                               : value.error());
                return;
            }
            auto state = decodeState(*value);
            if (state && *state == State::Provisioned) {
                m_status.state = *state;
                trace(TraceEntry::Direction::Note,
                    QStringLiteral("Verified: the device reports Provisioned for \"%1\".")
                        .arg(op->ssid));
                finishOp(std::nullopt);
                return;
            }
            if (state && *state == State::Provisioning) {
                // The result came first; wait for the Provisioned notification.
                op->verifying = false;
                return;
            }
            finishOp(Error::make(Error::Code::Protocol,
                QStringLiteral(
                    "The device answered the Wi-Fi write but then reported state %1 instead "
                    "of Provisioned. Read its state and logs, then write again.")
                    .arg(state ? stateName(*state) : QStringLiteral("(unreadable)"))));
        });
}

void Client::onTimeout()
{
    if (!m_op)
        return;
    if (m_op->waitingForAuthorization) {
        finishOp(Error::make(Error::Code::Timeout,
            QStringLiteral("Nobody authorized the device within %1 s, so nothing was written. "
                           "Press the button on the device (or power-cycle it) and write again.")
                .arg(secondsText(m_options.authorizationTimeout))));
        return;
    }
    QString message = QStringLiteral("The device did not answer %1 within %2 s. Move closer and "
                                     "try again.")
                          .arg(m_op->name)
                          .arg(secondsText(m_options.rpcTimeout));
    if (m_op->kind == Operation::Kind::Wifi)
        message = QStringLiteral("The device did not confirm the Wi-Fi settings for \"%1\" within "
                                 "%2 s. It may still be joining the network: read its state "
                                 "before writing again.")
                      .arg(m_op->ssid)
                      .arg(secondsText(m_options.rpcTimeout));
    finishOp(Error::make(Error::Code::Timeout, message));
}

void Client::pollState()
{
    if (!m_op || !m_op->waitingForAuthorization || !m_connection)
        return;
    QPointer<Client> self(this);
    m_connection->read(serviceUuid(), currentStateUuid(), [this, self](Result<QByteArray> value) {
        if (!self || !value)
            return;
        if (auto state = decodeState(*value))
            onState(*state);
    });
}

} // namespace provbench::improv::ble
