#include "app/transport/ble/bluez/bluezgattconnection.h"

#include "app/core/duration.h"
#include "app/core/logging.h"
#include "app/transport/ble/bluez/bluezobjects.h"

#include <QBluetoothAddress>
#include <QBluetoothDeviceInfo>
#include <QDBusConnection>
#include <QDBusServiceWatcher>

namespace provbench::ble {

namespace {

constexpr int kDefaultMtu = 23; // the ATT minimum, until BlueZ says otherwise
constexpr std::chrono::milliseconds kLossGrace{150};

QString uuidText(const QBluetoothUuid &uuid)
{
    return uuid.toString(QUuid::WithoutBraces);
}

} // namespace

BluezGattConnection::BluezGattConnection(QString address, QObject *parent)
    : BluezGattConnection(std::move(address), Options{}, parent)
{
}

BluezGattConnection::BluezGattConnection(QString address, Options options, QObject *parent)
    : GattConnection(parent), m_address(std::move(address).toUpper()), m_options(options)
{
    m_openTimer.setSingleShot(true);
    connect(&m_openTimer, &QTimer::timeout, this, [this] {
        failOpen(Error::make(Error::Code::Timeout,
            QStringLiteral("The device %1 did not complete a connection within %2 s. Move closer, "
                           "make sure it is powered, advertising and not connected to a phone or "
                           "another computer, then try again.")
                .arg(m_address, secondsText(m_options.openTimeout))));
    });
    m_opTimer.setSingleShot(true);
    connect(&m_opTimer, &QTimer::timeout, this, &BluezGattConnection::onOperationTimeout);
}

BluezGattConnection::~BluezGattConnection()
{
    // Pending callbacks are dropped, not called: the caller is going away too.
    m_openWaiters.clear();
    m_queue.clear();
    m_inFlight = false;
    m_phase = Phase::Closed;
    teardown();
}

// --- open / close -------------------------------------------------------------

void BluezGattConnection::open(Callback<void> done)
{
    if (m_phase == Phase::Open) {
        QTimer::singleShot(0, this, [done] { done({}); });
        return;
    }
    m_openWaiters.append(std::move(done));
    if (m_phase != Phase::Closed)
        return; // already on its way

    if (QBluetoothAddress(m_address).isNull()) {
        finishOpen(fail(Error::Code::InvalidArgument,
            QStringLiteral("\"%1\" is not a Bluetooth address; use the form AA:BB:CC:DD:EE:FF.")
                .arg(m_address)));
        return;
    }

    m_phase = Phase::Connecting;
    m_controllerError = QLowEnergyController::NoError;
    m_mtu = kDefaultMtu;
    m_openTimer.start(m_options.openTimeout);

    if (!m_bluezWatcher && QDBusConnection::systemBus().isConnected()) {
        m_bluezWatcher = new QDBusServiceWatcher(QString::fromUtf16(bluez::kService),
            QDBusConnection::systemBus(), QDBusServiceWatcher::WatchForUnregistration, this);
        connect(m_bluezWatcher, &QDBusServiceWatcher::serviceUnregistered, this,
            &BluezGattConnection::onBluezVanished);
    }

    QBluetoothDeviceInfo info(QBluetoothAddress(m_address), QString(), 0);
    info.setCoreConfigurations(QBluetoothDeviceInfo::LowEnergyCoreConfiguration);
    // Created here rather than in the constructor: the controller binds to
    // the adapter that exists when it is made.
    m_controller = QLowEnergyController::createCentral(info, this);
    connect(
        m_controller, &QLowEnergyController::connected, this, &BluezGattConnection::onConnected);
    connect(m_controller, &QLowEnergyController::disconnected, this,
        &BluezGattConnection::onDisconnected);
    connect(m_controller, &QLowEnergyController::errorOccurred, this,
        &BluezGattConnection::onControllerError);
    connect(m_controller, &QLowEnergyController::discoveryFinished, this,
        &BluezGattConnection::onDiscoveryFinished);
    connect(m_controller, &QLowEnergyController::mtuChanged, this, [this](int mtu) {
        if (mtu > 0)
            m_mtu = mtu;
    });
    qCDebug(lcTransport) << "connecting to" << m_address;
    m_controller->connectToDevice();
}

void BluezGattConnection::onConnected()
{
    if (m_phase != Phase::Connecting)
        return;
    qCDebug(lcTransport) << "connected to" << m_address << "- discovering services";
    m_phase = Phase::Discovering;
    // QtBluetooth's BlueZ backend may finish discovery inside this call.
    m_controller->discoverServices();
}

void BluezGattConnection::onDiscoveryFinished()
{
    if (m_phase != Phase::Discovering || !m_controller)
        return;
    m_creatingServices = true;
    const QList<QBluetoothUuid> uuids = m_controller->services();
    for (const QBluetoothUuid &uuid : uuids) {
        if (m_services.contains(uuid))
            continue;
        QLowEnergyService *service = m_controller->createServiceObject(uuid, this);
        if (!service)
            continue;
        m_services.insert(uuid, service);
        m_serviceOrder.append(uuid);
        connect(service, &QLowEnergyService::stateChanged, this,
            [this](QLowEnergyService::ServiceState) { checkDetailsDone(); });
        connect(service, &QLowEnergyService::characteristicRead, this,
            [this, service](const QLowEnergyCharacteristic &c, const QByteArray &value) {
                onCharacteristicRead(service, c, value);
            });
        connect(service, &QLowEnergyService::characteristicWritten, this,
            [this, service](const QLowEnergyCharacteristic &c, const QByteArray &value) {
                onCharacteristicWritten(service, c, value);
            });
        connect(service, &QLowEnergyService::descriptorWritten, this,
            [this, service](const QLowEnergyDescriptor &d, const QByteArray &value) {
                onDescriptorWritten(service, d, value);
            });
        connect(service, &QLowEnergyService::characteristicChanged, this,
            [this, service](const QLowEnergyCharacteristic &c, const QByteArray &value) {
                onCharacteristicChanged(service, c, value);
            });
        connect(service, &QLowEnergyService::errorOccurred, this,
            [this, service](
                QLowEnergyService::ServiceError error) { onServiceError(service, error); });
        // Characteristics and descriptors only: reading values could start
        // pairing, and the protocols read what they need themselves.
        service->discoverDetails(QLowEnergyService::SkipValueDiscovery);
        if (m_phase != Phase::Discovering)
            break; // lost meanwhile
    }
    m_creatingServices = false;
    checkDetailsDone();
}

void BluezGattConnection::checkDetailsDone()
{
    if (m_creatingServices || m_phase != Phase::Discovering)
        return;
    for (QLowEnergyService *service : std::as_const(m_services)) {
        if (service->state() != QLowEnergyService::RemoteServiceDiscovered)
            return;
    }
    m_phase = Phase::ReadingMtu;
    fetchMtu();
}

void BluezGattConnection::fetchMtu()
{
    if (m_controller && m_controller->mtu() > 0) {
        m_mtu = m_controller->mtu();
        finishOpen({});
        return;
    }
    // QtBluetooth 6.4's BlueZ D-Bus backend always answers -1; BlueZ 5.62
    // and later publish the MTU on every GattCharacteristic1.
    const quint64 generation = m_generation;
    bluez::fetchManagedObjects(this, [this, generation](const bluez::ManagedObjects &objects) {
        if (generation != m_generation || m_phase != Phase::ReadingMtu)
            return;
        const int mtu
            = objects.ok() ? bluez::characteristicMtu(objects, objects.devicePath(m_address)) : 0;
        m_mtu = mtu >= kDefaultMtu ? mtu : kDefaultMtu;
        qCDebug(lcTransport) << "ATT MTU for" << m_address << "is" << m_mtu
                             << (mtu ? "(from BlueZ)" : "(BlueZ does not report it)");
        finishOpen({});
    });
}

void BluezGattConnection::onControllerError(QLowEnergyController::Error error)
{
    m_controllerError = error;
    qCInfo(lcTransport) << "controller error for" << m_address << error
                        << (m_controller ? m_controller->errorString() : QString());
    if (m_phase == Phase::Closed || m_phase == Phase::Open)
        return; // while open, disconnected() follows and reports the loss
    const QString message = deviceError(error);
    const Error failure = Error::make(error == QLowEnergyController::UnknownRemoteDeviceError
            ? Error::Code::NotFound
            : Error::Code::Io,
        message);
    if (error == QLowEnergyController::UnknownRemoteDeviceError
        || error == QLowEnergyController::MissingPermissionsError)
        failOpen(failure);
    else
        failOpenAfterCheck(failure);
}

void BluezGattConnection::onDisconnected()
{
    if (m_phase == Phase::Closed)
        return;
    if (m_phase != Phase::Open) {
        failOpen(Error::make(Error::Code::Io,
            QStringLiteral("The device %1 dropped the connection while ProvBench was reading its "
                           "services. Move closer, make sure no phone is connected to it, then "
                           "try again.")
                .arg(m_address)));
        return;
    }
    QString why;
    if (m_controllerError == QLowEnergyController::UnknownRemoteDeviceError)
        why = QStringLiteral(" (BlueZ forgot the device)");
    else if (m_controllerError == QLowEnergyController::InvalidBluetoothAdapterError)
        why = QStringLiteral(" (the Bluetooth adapter went away)");
    loseConnection(Error::make(Error::Code::Io,
        QStringLiteral("The Bluetooth connection to %1 was lost%2. Move closer to the device and "
                       "check that it is still powered, then connect again.")
            .arg(m_address, why)));
}

void BluezGattConnection::onBluezVanished()
{
    if (m_phase == Phase::Closed)
        return;
    const Error error = Error::make(Error::Code::Io,
        QStringLiteral("The Bluetooth service (bluetoothd) stopped, which ended the connection to "
                       "%1. Start it again with `sudo systemctl start bluetooth`, then connect "
                       "again.")
            .arg(m_address));
    if (m_phase == Phase::Open)
        loseConnection(error);
    else
        failOpen(error);
}

void BluezGattConnection::failOpen(const Error &error)
{
    if (m_phase == Phase::Closed || m_phase == Phase::Open)
        return;
    finishOpen(std::unexpected(error));
}

void BluezGattConnection::failOpenAfterCheck(const Error &deviceError)
{
    // "Did not accept a connection" may really be an adapter that is off or
    // gone; ask BlueZ before choosing the sentence.
    m_openTimer.stop();
    const quint64 generation = m_generation;
    bluez::probeAdapter(this, [this, generation, deviceError](const AdapterStatus &status) {
        if (generation != m_generation)
            return;
        failOpen(status.ok() ? deviceError : Error::make(Error::Code::Io, status.message()));
    });
}

void BluezGattConnection::finishOpen(const Result<void> &result)
{
    m_openTimer.stop();
    if (result) {
        m_phase = Phase::Open;
        qCDebug(lcTransport) << "GATT connection to" << m_address << "ready, services"
                             << m_serviceOrder << "MTU" << m_mtu;
    } else {
        qCInfo(lcTransport) << "connection to" << m_address << "failed:" << result.error().message;
        m_phase = Phase::Closed;
        teardown();
        failQueued(result.error());
    }
    const QList<Callback<void>> waiters = std::exchange(m_openWaiters, {});
    // Delivered from the event loop: open() never calls back before it returns.
    QTimer::singleShot(0, this, [waiters, result] {
        for (const Callback<void> &done : waiters)
            done(result);
    });
    if (result)
        schedulePump();
}

void BluezGattConnection::close()
{
    if (m_phase == Phase::Closed && m_queue.empty() && m_openWaiters.isEmpty())
        return;
    qCDebug(lcTransport) << "closing the connection to" << m_address;
    const Error cancelled = Error::make(Error::Code::Cancelled,
        QStringLiteral("The Bluetooth connection to %1 was closed.").arg(m_address));
    const bool opening = m_phase != Phase::Closed && m_phase != Phase::Open;
    m_phase = Phase::Closed;
    teardown();
    QPointer<BluezGattConnection> self(this);
    if (opening || !m_openWaiters.isEmpty()) {
        const QList<Callback<void>> waiters = std::exchange(m_openWaiters, {});
        for (const Callback<void> &done : waiters)
            done(std::unexpected(cancelled));
        if (!self)
            return;
    }
    failQueued(cancelled);
}

void BluezGattConnection::teardown()
{
    ++m_generation;
    m_openTimer.stop();
    m_opTimer.stop();
    m_inFlight = false;
    m_subscribed.clear();
    m_held.clear();
    m_mtu = kDefaultMtu;
    for (QLowEnergyService *service : std::as_const(m_services)) {
        service->disconnect(this);
        service->deleteLater();
    }
    m_services.clear();
    m_serviceOrder.clear();
    if (QLowEnergyController *controller = m_controller) {
        m_controller = nullptr;
        controller->disconnect(this);
        if (controller->state() == QLowEnergyController::UnconnectedState) {
            controller->deleteLater();
        } else {
            // BlueZ's Disconnect also cancels a connection attempt. The
            // controller stays a child of this object, so it never outlives it.
            connect(controller, &QLowEnergyController::stateChanged, controller,
                [controller](QLowEnergyController::ControllerState state) {
                    if (state == QLowEnergyController::UnconnectedState)
                        controller->deleteLater();
                });
            if (controller->state() != QLowEnergyController::ClosingState)
                controller->disconnectFromDevice();
        }
    }
}

void BluezGattConnection::loseConnection(const Error &error)
{
    qCInfo(lcTransport) << error.message;
    m_phase = Phase::Closed;
    teardown();
    QPointer<BluezGattConnection> self(this);
    failQueued(error);
    if (self)
        Q_EMIT lost(error);
}

QString BluezGattConnection::deviceError(QLowEnergyController::Error error) const
{
    switch (error) {
    case QLowEnergyController::UnknownRemoteDeviceError:
        return QStringLiteral("BlueZ does not know the device %1. Scan for it first (it must be "
                              "advertising nearby), then try again.")
            .arg(m_address);
    case QLowEnergyController::InvalidBluetoothAdapterError:
        return QStringLiteral("No usable Bluetooth adapter was found to connect to %1. Plug in or "
                              "switch on the adapter, then try again.")
            .arg(m_address);
    case QLowEnergyController::MissingPermissionsError:
    case QLowEnergyController::AuthorizationError:
        return QStringLiteral("This user may not connect to Bluetooth devices such as %1. Add the "
                              "user to the `bluetooth` group (then log in again) and try again.")
            .arg(m_address);
    default:
        return QStringLiteral("The device %1 did not accept a connection. Move closer, make sure "
                              "it is advertising and not connected to a phone, then try again.")
            .arg(m_address);
    }
}

// --- operations -----------------------------------------------------------------

bool BluezGattConnection::hasCharacteristic(
    const QBluetoothUuid &service, const QBluetoothUuid &characteristic) const
{
    const QLowEnergyService *s = m_services.value(service);
    return s && s->characteristic(characteristic).isValid();
}

void BluezGattConnection::read(
    const QBluetoothUuid &service, const QBluetoothUuid &characteristic, Callback<QByteArray> done)
{
    Op op;
    op.kind = Op::Kind::Read;
    op.service = service;
    op.characteristic = characteristic;
    op.readDone = std::move(done);
    enqueue(std::move(op));
}

void BluezGattConnection::write(const QBluetoothUuid &service, const QBluetoothUuid &characteristic,
    const QByteArray &value, WriteMode mode, Callback<void> done)
{
    Op op;
    op.kind = Op::Kind::Write;
    op.service = service;
    op.characteristic = characteristic;
    op.value = value;
    op.mode = mode;
    op.done = std::move(done);
    enqueue(std::move(op));
}

void BluezGattConnection::subscribe(
    const QBluetoothUuid &service, const QBluetoothUuid &characteristic, Callback<void> done)
{
    Op op;
    op.kind = Op::Kind::Subscribe;
    op.service = service;
    op.characteristic = characteristic;
    op.done = std::move(done);
    enqueue(std::move(op));
}

void BluezGattConnection::enqueue(Op op)
{
    m_queue.push_back(std::move(op));
    schedulePump();
}

void BluezGattConnection::schedulePump()
{
    if (m_pumpScheduled)
        return;
    m_pumpScheduled = true;
    // Always from the event loop, so a callback never runs inside the call
    // that queued its operation.
    QMetaObject::invokeMethod(this, &BluezGattConnection::pump, Qt::QueuedConnection);
}

void BluezGattConnection::pump()
{
    m_pumpScheduled = false;
    if (m_inFlight || m_queue.empty())
        return;
    if (m_phase == Phase::Closed) {
        failQueued(Error::make(Error::Code::Io,
            QStringLiteral("The Bluetooth connection to %1 is not open. Connect to the device "
                           "first.")
                .arg(m_address)));
        return;
    }
    if (m_phase != Phase::Open)
        return; // finishOpen() pumps again
    issue();
}

void BluezGattConnection::issue()
{
    Op &op = m_queue.front();
    m_inFlight = true;
    const quint64 serial = ++m_opSerial;
    const auto stillHead = [this, serial] { return m_inFlight && m_opSerial == serial; };

    QLowEnergyService *service = m_services.value(op.service);
    const QLowEnergyCharacteristic c
        = service ? service->characteristic(op.characteristic) : QLowEnergyCharacteristic();
    if (!c.isValid()) {
        completeHead(fail(Error::Code::NotFound,
            QStringLiteral("The device %1 has no characteristic %2 in service %3. Check that its "
                           "firmware offers this protocol.")
                .arg(m_address, uuidText(op.characteristic), uuidText(op.service))));
        return;
    }

    switch (op.kind) {
    case Op::Kind::Read:
        m_opTimer.start(m_options.operationTimeout);
        service->readCharacteristic(c);
        return;
    case Op::Kind::Write: {
        const bool withResponse = op.mode == WriteMode::WithResponse;
        const auto needed = withResponse ? QLowEnergyCharacteristic::Write
                                         : QLowEnergyCharacteristic::WriteNoResponse;
        if (!(c.properties() & needed)) {
            completeHead(fail(Error::Code::Unsupported,
                QStringLiteral("Characteristic %1 of %2 does not accept writes %3.")
                    .arg(uuidText(op.characteristic), m_address,
                        withResponse ? QStringLiteral("with response")
                                     : QStringLiteral("without response"))));
            return;
        }
        m_opTimer.start(m_options.operationTimeout);
        service->writeCharacteristic(c, op.value,
            withResponse ? QLowEnergyService::WriteWithResponse
                         : QLowEnergyService::WriteWithoutResponse);
        // Qt reports no success for a write without response: it is done
        // once handed over (a refusal above arrives synchronously).
        if (!withResponse && stillHead())
            completeHead(QByteArray());
        return;
    }
    case Op::Kind::Subscribe: {
        const QLowEnergyDescriptor cccd
            = c.descriptor(QBluetoothUuid::DescriptorType::ClientCharacteristicConfiguration);
        const auto props = c.properties();
        if (!cccd.isValid()
            || !(props & (QLowEnergyCharacteristic::Notify | QLowEnergyCharacteristic::Indicate))) {
            completeHead(fail(Error::Code::Unsupported,
                QStringLiteral("Characteristic %1 of %2 sends no notifications or indications.")
                    .arg(uuidText(op.characteristic), m_address)));
            return;
        }
        op.value = (props & QLowEnergyCharacteristic::Notify) ? QByteArray::fromHex("0100")
                                                              : QByteArray::fromHex("0200");
        m_opTimer.start(m_options.operationTimeout);
        service->writeDescriptor(cccd, op.value);
        return;
    }
    }
}

bool BluezGattConnection::headIs(
    Op::Kind kind, const QLowEnergyService *service, const QBluetoothUuid &characteristic) const
{
    if (!m_inFlight || m_queue.empty())
        return false;
    const Op &op = m_queue.front();
    return op.kind == kind && m_services.value(op.service) == service
        && op.characteristic == characteristic;
}

void BluezGattConnection::completeHead(const Result<QByteArray> &result)
{
    m_opTimer.stop();
    Op op = std::move(m_queue.front());
    m_queue.pop_front();
    m_inFlight = false;
    QPointer<BluezGattConnection> self(this);
    if (op.kind == Op::Kind::Read)
        releaseHeld(op, result ? *result : QByteArray());
    if (!self)
        return;
    if (result && op.kind == Op::Kind::Subscribe)
        m_subscribed.insert({op.service, op.characteristic});
    schedulePump();
    if (op.kind == Op::Kind::Read) {
        op.readDone(result);
    } else if (result) {
        op.done({});
    } else {
        op.done(std::unexpected(result.error()));
    }
}

void BluezGattConnection::failQueued(const Error &error)
{
    m_opTimer.stop();
    m_inFlight = false;
    QPointer<BluezGattConnection> self(this);
    std::deque<Op> queue = std::exchange(m_queue, {});
    for (Op &op : queue) {
        if (op.kind == Op::Kind::Read)
            op.readDone(std::unexpected(error));
        else
            op.done(std::unexpected(error));
    }
}

Error BluezGattConnection::opError(const Op &op) const
{
    const QString chr = uuidText(op.characteristic);
    switch (op.kind) {
    case Op::Kind::Read:
        return Error::make(Error::Code::Io,
            QStringLiteral("The device %1 did not return characteristic %2. Try again; if it keeps "
                           "failing, the device may want to be paired first.")
                .arg(m_address, chr));
    case Op::Kind::Write:
        return Error::make(Error::Code::Io,
            QStringLiteral("The device %1 did not accept the write to characteristic %2. Try "
                           "again; if it keeps failing, reconnect or power-cycle the device.")
                .arg(m_address, chr));
    case Op::Kind::Subscribe:
        break;
    }
    return Error::make(Error::Code::Io,
        QStringLiteral("The device %1 did not allow notifications from characteristic %2. "
                       "Reconnect and try again.")
            .arg(m_address, chr));
}

void BluezGattConnection::onCharacteristicRead(
    QLowEnergyService *service, const QLowEnergyCharacteristic &c, const QByteArray &value)
{
    if (headIs(Op::Kind::Read, service, c.uuid()))
        completeHead(value);
}

void BluezGattConnection::onCharacteristicWritten(
    QLowEnergyService *service, const QLowEnergyCharacteristic &c, const QByteArray &)
{
    if (headIs(Op::Kind::Write, service, c.uuid()))
        completeHead(QByteArray());
}

void BluezGattConnection::onDescriptorWritten(
    QLowEnergyService *service, const QLowEnergyDescriptor &d, const QByteArray &)
{
    if (d.uuid()
        != QBluetoothUuid(QBluetoothUuid::DescriptorType::ClientCharacteristicConfiguration))
        return;
    const QLowEnergyCharacteristic owner = [&] {
        const QList<QLowEnergyCharacteristic> all = service->characteristics();
        for (const QLowEnergyCharacteristic &c : all) {
            if (c.descriptors().contains(d))
                return c;
        }
        return QLowEnergyCharacteristic();
    }();
    if (owner.isValid() && headIs(Op::Kind::Subscribe, service, owner.uuid()))
        completeHead(QByteArray());
}

void BluezGattConnection::onServiceError(
    QLowEnergyService *service, QLowEnergyService::ServiceError error)
{
    qCInfo(lcTransport) << "GATT error on" << m_address << service->serviceUuid() << error;
    if (!m_inFlight || m_queue.empty() || m_services.value(m_queue.front().service) != service) {
        if (error == QLowEnergyService::CharacteristicWriteError) {
            // Most likely a write without response, already reported as done.
            qCWarning(lcTransport) << "BlueZ refused a write without response to" << m_address
                                   << "service" << service->serviceUuid();
        }
        return;
    }
    const Op &op = m_queue.front();
    bool matches
        = error == QLowEnergyService::OperationError || error == QLowEnergyService::UnknownError;
    switch (op.kind) {
    case Op::Kind::Read:
        matches = matches || error == QLowEnergyService::CharacteristicReadError;
        break;
    case Op::Kind::Write:
        matches = matches || error == QLowEnergyService::CharacteristicWriteError;
        break;
    case Op::Kind::Subscribe:
        matches = matches || error == QLowEnergyService::DescriptorWriteError;
        break;
    }
    if (!matches)
        return;
    if (error == QLowEnergyService::OperationError) {
        completeHead(std::unexpected(opError(op))); // refused before anything was sent
        return;
    }
    // When a link drops, BlueZ may fail the request before it reports the
    // disconnection. Wait briefly so that the loss, the real cause, wins.
    m_opTimer.stop();
    const quint64 serial = m_opSerial;
    const Error failure = opError(op);
    QTimer::singleShot(kLossGrace, this, [this, serial, failure] {
        if (m_inFlight && m_opSerial == serial)
            completeHead(std::unexpected(failure));
    });
}

void BluezGattConnection::onCharacteristicChanged(
    QLowEnergyService *service, const QLowEnergyCharacteristic &c, const QByteArray &value)
{
    const CharKey key{service->serviceUuid(), c.uuid()};
    if (!m_subscribed.contains(key))
        return; // a read's echo, or another program's subscription
    if (headIs(Op::Kind::Read, service, c.uuid())) {
        m_held.append(value);
        return;
    }
    Q_EMIT notified(key.first, key.second, value);
}

void BluezGattConnection::releaseHeld(const Op &read, const QByteArray &echo)
{
    if (m_held.isEmpty())
        return;
    QList<QByteArray> held = std::exchange(m_held, {});
    const qsizetype echoAt = echo.isNull() ? -1 : held.indexOf(echo);
    if (echoAt >= 0)
        held.removeAt(echoAt);
    QPointer<BluezGattConnection> self(this);
    for (const QByteArray &value : std::as_const(held)) {
        Q_EMIT notified(read.service, read.characteristic, value);
        if (!self)
            return;
    }
}

void BluezGattConnection::onOperationTimeout()
{
    if (!m_inFlight || m_queue.empty())
        return;
    const Op &op = m_queue.front();
    const QString what = op.kind == Op::Kind::Read ? QStringLiteral("a read of")
        : op.kind == Op::Kind::Write               ? QStringLiteral("a write to")
                                                   : QStringLiteral("a subscription to");
    const Error timeout = Error::make(Error::Code::Timeout,
        QStringLiteral("The device %1 did not answer %2 characteristic %3 within %4 s. Move "
                       "closer or power-cycle the device, then connect again.")
            .arg(m_address, what, uuidText(op.characteristic),
                secondsText(m_options.operationTimeout)));
    QPointer<BluezGattConnection> self(this);
    completeHead(std::unexpected(timeout));
    if (!self || m_phase != Phase::Open)
        return;
    // An ATT request that timed out leaves the bearer unusable.
    loseConnection(Error::make(Error::Code::Io,
        QStringLiteral("ProvBench closed the Bluetooth connection to %1 because the device "
                       "stopped answering. Move closer or power-cycle the device, then connect "
                       "again.")
            .arg(m_address)));
}

} // namespace provbench::ble
