#include "app/simulator/ble/simulatedblebackend.h"

#include "app/simulator/ble/simulatedimprovperipheral.h"
#include "app/simulator/ble/simulatedsmpperipheral.h"
#include "app/simulator/simulatedsmpdevice.h"

#include <functional>

namespace provbench::sim {

namespace {

class SimulatedScanner : public ble::Scanner
{
public:
    SimulatedScanner(SimulatedBleBackend *backend, QObject *parent)
        : ble::Scanner(parent), m_backend(backend)
    {
        connect(&m_timer, &QTimer::timeout, this, &SimulatedScanner::tick);
        connect(backend, &SimulatedBleBackend::adapterStatusChanged, this,
            [this](const ble::AdapterStatus &status) {
                Q_EMIT statusChanged(status);
                if (!status.ok() && m_active) {
                    m_active = false;
                    Q_EMIT activeChanged(false);
                } else if (status.ok() && m_wanted && !m_active) {
                    start();
                }
            });
    }

    void start() override
    {
        m_wanted = true;
        if (!m_backend || !m_backend->adapterStatus().ok()) {
            if (m_backend)
                Q_EMIT statusChanged(m_backend->adapterStatus());
            return;
        }
        m_timer.start(qMax(50, m_backend->advertisingIntervalMs() / 2));
        if (!m_active) {
            m_active = true;
            Q_EMIT activeChanged(true);
        }
        QTimer::singleShot(0, this, &SimulatedScanner::tick);
    }

    void stop() override
    {
        m_wanted = false;
        m_timer.stop();
        if (m_active) {
            m_active = false;
            Q_EMIT activeChanged(false);
        }
    }

    bool isActive() const override { return m_active; }
    ble::AdapterStatus status() const override
    {
        return m_backend ? m_backend->adapterStatus() : ble::AdapterStatus{};
    }

private:
    void tick()
    {
        if (!m_active || !m_backend)
            return;
        // Each tick half the devices advertise, as real intervals interleave.
        const auto list = m_backend->peripherals();
        for (int i = 0; i < list.size(); ++i) {
            if ((i + m_tick) % 2)
                continue;
            list.at(i)->drift();
            Q_EMIT advertised(list.at(i)->advert());
        }
        ++m_tick;
    }

    QPointer<SimulatedBleBackend> m_backend;
    QTimer m_timer;
    bool m_active = false;
    bool m_wanted = false;
    int m_tick = 0;
};

class SimulatedGattConnection : public ble::GattConnection
{
public:
    SimulatedGattConnection(SimulatedBleBackend *backend, QString address, QObject *parent)
        : ble::GattConnection(parent), m_backend(backend), m_address(std::move(address))
    {
    }

    ~SimulatedGattConnection() override
    {
        if (m_peripheral && m_open)
            m_peripheral->setConnected(false);
    }

    QString address() const override { return m_address; }

    void open(Callback<void> done) override
    {
        if (m_open)
            return done({});
        SimulatedPeripheral *p = m_backend ? m_backend->peripheral(m_address) : nullptr;
        if (!m_backend || !m_backend->adapterStatus().ok()) {
            const QString why = m_backend ? m_backend->adapterStatus().message() : QString();
            QTimer::singleShot(0, this, [done, why] { done(fail(Error::Code::Io, why)); });
            return;
        }
        if (!p) {
            QTimer::singleShot(200, this, [this, done] {
                done(fail(Error::Code::NotFound,
                    QStringLiteral("%1 is not advertising. Move closer or wake the device, then "
                                   "scan again.")
                        .arg(m_address)));
            });
            return;
        }
        m_peripheral = p;
        QTimer::singleShot(p->latencyMs() * 4, this, [this, done] {
            if (!m_peripheral)
                return done(fail(Error::Code::Io, QStringLiteral("The device went away.")));
            m_open = true;
            m_peripheral->setConnected(true);
            connect(m_peripheral, &SimulatedPeripheral::notified, this,
                &SimulatedGattConnection::onNotified);
            connect(m_peripheral, &SimulatedPeripheral::connectionDropped, this,
                &SimulatedGattConnection::onDropped);
            done({});
        });
    }

    void close() override
    {
        if (!m_open)
            return;
        m_open = false;
        if (m_peripheral) {
            disconnect(m_peripheral, nullptr, this, nullptr);
            m_peripheral->setConnected(false);
        }
        failAll(Error::make(Error::Code::Cancelled, QStringLiteral("The connection was closed.")));
    }

    bool isOpen() const override { return m_open; }

    QList<QBluetoothUuid> services() const override
    {
        QList<QBluetoothUuid> out;
        if (!m_peripheral)
            return out;
        for (const auto &c : m_peripheral->characteristics()) {
            if (!out.contains(c.service))
                out << c.service;
        }
        return out;
    }

    bool hasCharacteristic(
        const QBluetoothUuid &service, const QBluetoothUuid &characteristic) const override
    {
        if (!m_peripheral)
            return false;
        for (const auto &c : m_peripheral->characteristics()) {
            if (c.service == service && c.uuid == characteristic)
                return true;
        }
        return false;
    }

    int mtu() const override { return m_peripheral ? m_peripheral->mtu() : 23; }

    void read(const QBluetoothUuid &service, const QBluetoothUuid &characteristic,
        Callback<QByteArray> done) override
    {
        enqueue(
            [this, service, characteristic, done]() -> std::optional<Error> {
                auto value = m_peripheral->read(service, characteristic);
                if (!value)
                    return value.error();
                done(*value);
                return std::nullopt;
            },
            [done](const Error &e) { done(std::unexpected(e)); });
    }

    void write(const QBluetoothUuid &service, const QBluetoothUuid &characteristic,
        const QByteArray &value, ble::WriteMode mode, Callback<void> done) override
    {
        enqueue(
            [this, service, characteristic, value, mode, done]() -> std::optional<Error> {
                auto ok = m_peripheral->write(service, characteristic, value, mode);
                if (!ok)
                    return ok.error();
                done({});
                return std::nullopt;
            },
            [done](const Error &e) { done(std::unexpected(e)); });
    }

    void subscribe(const QBluetoothUuid &service, const QBluetoothUuid &characteristic,
        Callback<void> done) override
    {
        enqueue(
            [this, service, characteristic, done]() -> std::optional<Error> {
                if (!hasCharacteristic(service, characteristic))
                    return Error::make(Error::Code::Unsupported,
                        QStringLiteral("The device has no such characteristic to subscribe to."));
                done({});
                return std::nullopt;
            },
            [done](const Error &e) { done(std::unexpected(e)); });
    }

private:
    struct Op
    {
        std::function<std::optional<Error>()> run; // calls the callback on success
        std::function<void(const Error &)> failed;
    };

    void enqueue(
        std::function<std::optional<Error>()> run, std::function<void(const Error &)> failed)
    {
        if (!m_open) {
            QTimer::singleShot(0, this, [failed] {
                failed(Error::make(Error::Code::Io,
                    QStringLiteral("Not connected; connect to the device first.")));
            });
            return;
        }
        m_ops.push_back(Op{std::move(run), std::move(failed)});
        if (m_ops.size() == 1)
            scheduleNext();
    }

    void scheduleNext()
    {
        if (m_ops.empty() || !m_peripheral)
            return;
        const quint64 generation = m_generation;
        QTimer::singleShot(m_peripheral->latencyMs(), this, [this, generation] {
            if (generation != m_generation || m_ops.empty())
                return;
            Op op = std::move(m_ops.front());
            m_ops.pop_front();
            if (auto error = op.run())
                op.failed(*error);
            scheduleNext();
        });
    }

    void failAll(const Error &error)
    {
        ++m_generation;
        auto ops = std::move(m_ops);
        m_ops.clear();
        for (Op &op : ops)
            op.failed(error);
    }

    void onNotified(const QBluetoothUuid &s, const QBluetoothUuid &c, const QByteArray &v)
    {
        if (m_open)
            Q_EMIT notified(s, c, v);
    }

    void onDropped()
    {
        if (!m_open)
            return;
        m_open = false;
        if (m_peripheral)
            disconnect(m_peripheral, nullptr, this, nullptr);
        const Error error = Error::make(Error::Code::Io,
            QStringLiteral("The Bluetooth connection to %1 was lost (out of range, or the device "
                           "reset).")
                .arg(m_address));
        failAll(error);
        Q_EMIT lost(error);
    }

    QPointer<SimulatedBleBackend> m_backend;
    QPointer<SimulatedPeripheral> m_peripheral;
    QString m_address;
    bool m_open = false;
    std::deque<Op> m_ops;
    quint64 m_generation = 0;
};

} // namespace

SimulatedBleBackend::SimulatedBleBackend(QObject *parent) : QObject(parent) { }

SimulatedBleBackend::~SimulatedBleBackend() = default;

void SimulatedBleBackend::addPeripheral(SimulatedPeripheral *peripheral)
{
    peripheral->setParent(this);
    m_peripherals.append(peripheral);
}

void SimulatedBleBackend::removePeripheral(const QString &address)
{
    SimulatedPeripheral *p = peripheral(address);
    if (!p)
        return;
    m_peripherals.removeOne(p);
    p->dropConnection();
    p->deleteLater();
}

SimulatedPeripheral *SimulatedBleBackend::peripheral(const QString &address) const
{
    for (SimulatedPeripheral *p : m_peripherals) {
        if (p->address().compare(address, Qt::CaseInsensitive) == 0)
            return p;
    }
    return nullptr;
}

void SimulatedBleBackend::setAdapterStatus(const ble::AdapterStatus &status)
{
    if (status == m_status)
        return;
    m_status = status;
    if (!status.ok()) {
        for (SimulatedPeripheral *p : m_peripherals)
            p->dropConnection();
    }
    Q_EMIT adapterStatusChanged(status);
}

ble::Scanner *SimulatedBleBackend::createScanner(QObject *parent)
{
    return new SimulatedScanner(this, parent);
}

ble::GattConnection *SimulatedBleBackend::createConnection(const QString &address, QObject *parent)
{
    return new SimulatedGattConnection(this, address, parent);
}

void addDemoPeripherals(SimulatedBleBackend &backend)
{
    SimDeviceConfig plug = demoConfig(0);
    plug.deviceName = QStringLiteral("smart-plug-ble");
    plug.hostname = QStringLiteral("smart-plug-ble");
    plug.seed = 101;
    backend.addPeripheral(new SimulatedImprovPeripheral(QStringLiteral("C4:DE:E2:10:4A:01"), -58,
        plug, {.requireAuthorization = true, .autoAuthorizeMs = 4000}));

    SimDeviceConfig light = demoConfig(1);
    light.deviceName = QStringLiteral("porch-light");
    light.hostname = QStringLiteral("porch-light");
    light.seed = 102;
    backend.addPeripheral(new SimulatedImprovPeripheral(QStringLiteral("C4:DE:E2:10:4A:02"), -74,
        light, {.requireAuthorization = false, .autoAuthorizeMs = -1}));

    SmpDeviceConfig sensor = demoSmpConfig(0);
    sensor.name = QStringLiteral("zephyr-ble-sensor");
    sensor.seed = 103;
    backend.addPeripheral(
        new SimulatedSmpPeripheral(QStringLiteral("F1:0B:5E:7A:22:03"), -66, sensor));
}

} // namespace provbench::sim
