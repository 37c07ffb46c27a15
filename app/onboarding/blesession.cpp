#include "app/onboarding/blesession.h"

#include "app/onboarding/bleimprovtarget.h"
#include "app/onboarding/protocoltargets.h"
#include "app/protocol/smp/smpclient.h"
#include "app/transport/ble/bleadvert.h"
#include "app/transport/ble/gattconnection.h"
#include "app/transport/ble/gattlink.h"

namespace provbench {

using ble::GattConnection;
using ble::GattLink;

namespace {

const QString kEcho = QStringLiteral("provbench");

smp::SmpClient::Options smpOptions(const GattLink &link, std::chrono::milliseconds timeout)
{
    smp::SmpClient::Options o;
    o.framing = smp::SmpClient::Framing::Raw;
    o.mtu = link.pieceSize();
    o.timeout = timeout;
    return o;
}

} // namespace

BleSession::BleSession(ble::Backend *backend, QString address, QObject *parent)
    : QObject(parent), m_backend(backend), m_address(std::move(address))
{
    m_idle.setSingleShot(true);
    m_idle.setInterval(m_options.idleClose);
    connect(&m_idle, &QTimer::timeout, this, &BleSession::onIdle);
}

BleSession::~BleSession()
{
    // Destroying a client or a connection drops its pending callbacks, which
    // refer to this object: nothing may call back from here on.
    m_smp.reset();
    m_link.reset();
    m_improv.reset();
    delete m_connection.data();
}

void BleSession::setOptions(const Options &options)
{
    m_options = options;
    m_idle.setInterval(options.idleClose);
    if (m_improv)
        m_improv->setOptions(options.improv);
}

bool BleSession::isConnected() const
{
    return m_connection && m_connection->isOpen();
}

void BleSession::note(const QString &text)
{
    Q_EMIT traced(TraceEntry{QDateTime::currentDateTime(), TraceEntry::Direction::Note, text, {}});
}

// Marks an operation as running (the connection stays open) and returns a
// callback that ends it and starts the idle countdown before reporting.
template<typename T> BleSession::Callback<T> BleSession::guarded(Callback<T> done)
{
    m_running = true;
    m_idle.stop();
    QPointer<BleSession> self(this);
    return [self, done](Result<T> result) {
        if (!self)
            return;
        self->operationEnded();
        done(std::move(result));
    };
}

void BleSession::operationEnded()
{
    m_running = false;
    m_idle.start();
}

void BleSession::onIdle()
{
    const bool inUse
        = m_running || m_lent || (m_improv && m_improv->isBusy()) || (m_smp && m_smp->isBusy());
    if (inUse) {
        m_idle.start();
        return;
    }
    if (isConnected())
        note(tr("Closing the idle Bluetooth connection so the device advertises again."));
    dropConnection();
}

void BleSession::ensureConnected(Callback<Kind> done)
{
    if (!m_backend) {
        done(fail(Error::Code::Io,
            tr("Bluetooth LE is not available in this session, so %1 cannot be reached. Start "
               "ProvBench with a Bluetooth adapter (or in demo mode) and try again.")
                .arg(m_address)));
        return;
    }
    if (isConnected() && m_kind) {
        if (*m_kind == Kind::Improv && m_improv && m_improv->isStarted())
            return done(Kind::Improv);
        if (*m_kind == Kind::Smp && m_smp && m_smp->isLinkUsable())
            return done(Kind::Smp);
        // The client was handed to a credentials job, or it failed: make a new one.
        dropClients();
        return *m_kind == Kind::Improv ? startImprov(done) : attachSmp(done);
    }
    dropConnection();
    m_connection = m_backend->createConnection(m_address, this);
    if (!m_connection) {
        done(fail(Error::Code::Unsupported,
            tr("This build of ProvBench cannot open Bluetooth connections (%1 backend), so %2 "
               "cannot be reached over BLE. Use its USB port instead.")
                .arg(m_backend->name(), m_address)));
        return;
    }
    connect(m_connection, &GattConnection::lost, this, &BleSession::onLost);
    note(tr("Connecting to %1 over Bluetooth LE.").arg(m_address));
    Q_EMIT progress(tr("Connecting over Bluetooth"), 10);
    const quint64 generation = ++m_connectGeneration;
    m_cancelConnect = [this, done] {
        ++m_connectGeneration;
        dropConnection();
        done(fail(Error::Code::Cancelled,
            tr("Cancelled while connecting to %1; nothing was sent to the device.")
                .arg(m_address)));
    };
    QPointer<BleSession> self(this);
    m_connection->open([self, generation, done](Result<void> opened) {
        if (!self || generation != self->m_connectGeneration)
            return;
        self->m_cancelConnect = nullptr;
        self->onOpened(opened, done);
    });
}

void BleSession::onOpened(Result<void> opened, Callback<Kind> done)
{
    if (!opened) {
        note(opened.error().message);
        dropConnection();
        return done(std::unexpected(opened.error()));
    }
    Q_EMIT connectedChanged(true);
    if (m_connection->hasCharacteristic(
            improv::ble::serviceUuid(), improv::ble::rpcCommandUuid())) {
        m_kind = Kind::Improv;
        return startImprov(done);
    }
    if (m_connection->hasCharacteristic(ble::smpServiceUuid(), ble::smpCharacteristicUuid())) {
        m_kind = Kind::Smp;
        return attachSmp(done);
    }
    const Error error = Error::make(Error::Code::Unsupported,
        tr("%1 offers neither Improv Wi-Fi nor MCUmgr SMP over Bluetooth, so ProvBench cannot "
           "provision it this way. Check that its firmware enables one of them, or connect it "
           "over USB.")
            .arg(m_address));
    note(error.message);
    dropConnection();
    done(std::unexpected(error));
}

void BleSession::startImprov(Callback<Kind> done)
{
    m_improv = std::make_unique<improv::ble::Client>(m_connection);
    m_improv->setOptions(m_options.improv);
    connect(m_improv.get(), &improv::ble::Client::traced, this, &BleSession::traced);
    connect(
        m_improv.get(), &improv::ble::Client::stateChanged, this, &BleSession::improvStateChanged);
    connect(m_improv.get(), &improv::ble::Client::authorizationRequired, this,
        &BleSession::authorizationRequired);
    Q_EMIT progress(tr("Reading the Improv state"), 30);
    m_improv->start([done](Result<improv::ble::Client::Status> status) {
        if (!status)
            return done(std::unexpected(status.error()));
        done(Kind::Improv);
    });
}

void BleSession::attachSmp(Callback<Kind> done)
{
    Q_EMIT progress(tr("Opening MCUmgr SMP"), 30);
    QPointer<BleSession> self(this);
    GattLink::attach(m_connection, ble::smpServiceUuid(), ble::smpCharacteristicUuid(),
        [self, done](Result<void> attached) {
            if (!self)
                return;
            if (!attached)
                return done(std::unexpected(attached.error()));
            auto link = std::make_unique<GattLink>(
                self->m_connection, ble::smpServiceUuid(), ble::smpCharacteristicUuid());
            if (auto open = link->open(); !open)
                return done(std::unexpected(open.error()));
            self->m_smp = std::make_unique<smp::SmpClient>(
                link.get(), smpOptions(*link, self->m_options.smpTimeout));
            self->m_link = std::move(link);
            connect(self->m_smp.get(), &smp::SmpClient::traced, self.data(), &BleSession::traced);
            done(Kind::Smp);
        });
}

void BleSession::onLost(const Error &)
{
    // The clients fail their running operation with a message that says what
    // reached the device (they listen to the same signal); the objects go
    // from the event loop, since one of them may be on the stack.
    m_kind.reset();
    Q_EMIT connectedChanged(false);
    // Only this connection: an operation may have started a new one meanwhile.
    QPointer<GattConnection> lost = m_connection;
    QTimer::singleShot(0, this, [this, lost] {
        if (lost && lost == m_connection && !lost->isOpen())
            dropConnection();
    });
}

void BleSession::dropClients()
{
    // Called from the clients' own callbacks at times: delete them later.
    const auto retire = [this](QObject *object) {
        if (!object)
            return;
        disconnect(object, nullptr, this, nullptr);
        object->deleteLater();
    };
    retire(m_smp.release());
    retire(m_link.release());
    retire(m_improv.release());
}

void BleSession::dropConnection()
{
    dropClients();
    m_kind.reset();
    if (!m_connection)
        return;
    GattConnection *connection = m_connection.data();
    m_connection = nullptr;
    disconnect(connection, nullptr, this, nullptr);
    const bool wasOpen = connection->isOpen();
    connection->close();
    connection->deleteLater();
    if (wasOpen)
        Q_EMIT connectedChanged(false);
}

void BleSession::close()
{
    m_cancelConnect = nullptr;
    ++m_connectGeneration;
    m_idle.stop();
    dropConnection();
}

void BleSession::identify(Callback<Identity> done)
{
    auto finish = guarded(std::move(done));
    QPointer<BleSession> self(this);
    ensureConnected([self, finish](Result<Kind> kind) {
        if (!self)
            return;
        if (!kind)
            return finish(std::unexpected(kind.error()));
        Identity id;
        id.kind = *kind;
        if (*kind == Kind::Smp) {
            Q_EMIT self->progress(tr("Asking MCUmgr SMP for an echo"), 60);
            self->m_smp->echo(kEcho, [finish, id](Result<QString> echo) {
                if (!echo)
                    return finish(std::unexpected(echo.error()));
                if (*echo != kEcho)
                    return finish(fail(Error::Code::Protocol,
                        tr("The device answered the SMP echo with \"%1\" instead of \"%2\". "
                           "Check its MCUmgr firmware, then identify it again.")
                            .arg(echo->left(40), kEcho)));
                finish(id);
            });
            return;
        }
        improv::ble::Client *client = self->m_improv.get();
        id.improv = client->status();
        const quint8 caps = id.improv.capabilities;
        // An unauthorized device answers nothing but Identify.
        const bool mayTell = id.improv.state != improv::State::AuthorizationRequired
            && (caps == 0 || (caps & improv::ble::CapDeviceInfo));
        if (!mayTell)
            return finish(id);
        Q_EMIT self->progress(tr("Reading device info"), 70);
        client->deviceInfo([finish, id, client](Result<improv::DeviceInfo> info) mutable {
            if (!info)
                return finish(std::unexpected(info.error()));
            id.info = *info;
            id.improv = client->status();
            finish(id);
        });
    });
}

void BleSession::scanWifi(Callback<QList<improv::WifiNetwork>> done)
{
    auto finish = guarded(std::move(done));
    QPointer<BleSession> self(this);
    ensureConnected([self, finish](Result<Kind> kind) {
        if (!self)
            return;
        if (!kind)
            return finish(std::unexpected(kind.error()));
        if (*kind != Kind::Improv)
            return finish(fail(Error::Code::Unsupported,
                tr("This device speaks MCUmgr SMP over Bluetooth, not Improv Wi-Fi: it cannot "
                   "scan for networks. Use \"Write credentials\u2026\" with a profile instead.")));
        self->waitForAuthorization([self, finish](Result<void> authorized) {
            if (!self)
                return;
            if (!authorized)
                return finish(std::unexpected(authorized.error()));
            Q_EMIT self->progress(tr("Scanning Wi-Fi networks"), 60);
            self->m_improv->scanWifi(finish);
        });
    });
}

void BleSession::waitForAuthorization(Callback<void> done)
{
    if (!m_improv || m_improv->status().state != improv::State::AuthorizationRequired)
        return done({});
    note(tr("Waiting for authorization: press the button on the device."));
    Q_EMIT authorizationRequired();
    auto ended = std::make_shared<bool>(false);
    auto links = std::make_shared<QList<QMetaObject::Connection>>();
    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    auto end = [this, ended, links, timer, done](Result<void> result) {
        if (*ended)
            return;
        *ended = true;
        for (const QMetaObject::Connection &link : std::as_const(*links))
            disconnect(link);
        timer->deleteLater();
        m_cancelWait = nullptr;
        done(result);
    };
    *links << connect(
        m_improv.get(), &improv::ble::Client::stateChanged, this, [end](improv::State state) {
            if (state != improv::State::AuthorizationRequired)
                end({});
        });
    *links << connect(this, &BleSession::connectedChanged, this, [this, end](bool connected) {
        if (!connected)
            end(fail(Error::Code::Io,
                tr("The connection to %1 was lost while waiting for its button; nothing was "
                   "sent. Bring it closer and try again.")
                    .arg(m_address)));
    });
    *links << connect(timer, &QTimer::timeout, this, [this, end] {
        end(fail(Error::Code::Timeout,
            tr("Nobody pressed the button on %1 within %2 s, so nothing was asked. Press it and "
               "try again.")
                .arg(m_address)
                .arg(std::chrono::duration_cast<std::chrono::seconds>(
                    m_options.improv.authorizationTimeout)
                         .count())));
    });
    m_cancelWait = [end] {
        end(fail(Error::Code::Cancelled,
            tr("Cancelled while waiting for the button; nothing was sent to the device.")));
    };
    timer->start(m_options.improv.authorizationTimeout);
}

void BleSession::writeWifi(const QString &ssid, const QString &password, Callback<QStringList> done)
{
    auto finish = guarded(std::move(done));
    QPointer<BleSession> self(this);
    ensureConnected([self, finish, ssid, password](Result<Kind> kind) {
        if (!self)
            return;
        if (!kind)
            return finish(std::unexpected(kind.error()));
        if (*kind != Kind::Improv)
            return finish(fail(Error::Code::Unsupported,
                tr("This device speaks MCUmgr SMP over Bluetooth, not Improv Wi-Fi: use "
                   "\"Write credentials\u2026\" with a profile instead.")));
        if (self->m_improv->status().state == improv::State::Provisioning)
            return finish(fail(Error::Code::Device,
                tr("The device is already busy joining a network: wait a few seconds, identify "
                   "it, then try again.")));
        Q_EMIT self->progress(tr("Joining \u201c%1\u201d").arg(ssid), 40);
        self->m_improv->writeWifi(ssid, password, finish);
    });
}

void BleSession::cancel()
{
    if (m_cancelConnect) {
        auto cancelConnect = std::exchange(m_cancelConnect, nullptr);
        cancelConnect();
        return;
    }
    if (m_cancelWait) {
        auto cancelWait = std::exchange(m_cancelWait, nullptr);
        cancelWait();
        return;
    }
    if (m_improv && m_improv->isBusy())
        m_improv->cancel();
    if (m_smp && m_smp->isBusy())
        m_smp->cancelAll();
}

void BleSession::openCredentialAccess(Callback<BleCredentialAccess> done)
{
    auto finish = guarded(std::move(done));
    QPointer<BleSession> self(this);
    ensureConnected([self, finish](Result<Kind> kind) {
        if (!self)
            return;
        if (!kind)
            return finish(std::unexpected(kind.error()));
        BleCredentialAccess access;
        if (*kind == Kind::Improv) {
            // The session's own client does the writing, so its state reports
            // (authorization, provisioning) keep the record live; a lease
            // object tells the session when the job is done with it.
            access.protocol = onboarding::DeviceProtocol::Improv;
            access.client = std::make_unique<QObject>();
            access.target = std::make_unique<onboarding::BleImprovTarget>(self->m_improv.get());
        } else {
            // The job gets its own SMP client; the session's goes, so that
            // every answer has exactly one reader.
            self->dropClients();
            auto link = std::make_unique<GattLink>(
                self->m_connection, ble::smpServiceUuid(), ble::smpCharacteristicUuid());
            if (auto open = link->open(); !open)
                return finish(std::unexpected(open.error()));
            auto client = std::make_unique<smp::SmpClient>(
                link.get(), smpOptions(*link, self->m_options.smpTimeout));
            connect(client.get(), &smp::SmpClient::traced, self.data(), &BleSession::traced);
            access.protocol = onboarding::DeviceProtocol::Smp;
            access.target = std::make_unique<onboarding::SmpTarget>(client.get());
            access.client = std::move(client);
            access.link = std::move(link);
            self->m_kind = Kind::Smp;
        }
        self->m_lent = access.client.get();
        finish(std::move(access));
    });
}

} // namespace provbench
