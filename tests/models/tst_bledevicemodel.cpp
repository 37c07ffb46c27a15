// DeviceModel and DeviceFilterProxy with BLE devices: a real DeviceRegistry
// following a ble::Discovery over simulated peripherals (fast advertising,
// one-second ageing), next to one simulated serial device behind a pty.

#include "app/onboarding/deviceregistry.h"
#include "app/simulator/ble/simulatedblebackend.h"
#include "app/simulator/ble/simulatedimprovperipheral.h"
#include "app/simulator/ble/simulatedsmpperipheral.h"
#include "app/simulator/simulatedsmpdevice.h"
#include "app/simulator/simulatorhost.h"
#include "app/transport/ble/blediscovery.h"
#include "app/transport/serialdiscovery.h"
#include "models/devicefilterproxy.h"
#include "models/devicemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace provbench;

namespace {

constexpr int kWaitMs = 10000;
const QString kNeedsButton = QStringLiteral("C4:DE:E2:10:4A:01");
const QString kAuthorized = QStringLiteral("C4:DE:E2:10:4A:02");
const QString kZephyr = QStringLiteral("F1:0B:5E:7A:22:03");
const QString kHeadphones = QStringLiteral("0C:AE:7D:00:11:22");
constexpr int kBle = 4;

// A device that advertises nothing ProvBench can provision.
class PlainPeripheral : public sim::SimulatedPeripheral
{
public:
    PlainPeripheral(QString address, QString name, qint16 rssi)
        : sim::SimulatedPeripheral(std::move(address), std::move(name), rssi, 7)
    {
    }

protected:
    void written(const QBluetoothUuid &, const QBluetoothUuid &, const QByteArray &) override { }
};

sim::SimDeviceConfig improvConfig(int index, const QString &name)
{
    sim::SimDeviceConfig c = sim::demoConfig(index);
    c.deviceName = name;
    c.latencyMs = 2;
    c.connectMs = 50;
    return c;
}

sim::SimulatedSmpPeripheral *zephyr()
{
    sim::SmpDeviceConfig c = sim::demoSmpConfig(0);
    c.name = QStringLiteral("zephyr-ble-sensor");
    c.latencyMs = 1;
    c.logNoise = false;
    auto *p = new sim::SimulatedSmpPeripheral(kZephyr, -85, c);
    p->setLatencyMs(2);
    return p;
}

// One serial device, four BLE peripherals, discovery of both and the registry.
struct Rig
{
    QTemporaryDir dir;
    std::unique_ptr<sim::SimulatorHost> host;
    std::unique_ptr<SerialDiscovery> serial;
    std::unique_ptr<sim::SimulatedBleBackend> backend;
    std::unique_ptr<ble::Discovery> ble;
    std::unique_ptr<DeviceRegistry> registry;

    bool start()
    {
        if (!dir.isValid())
            return false;
        sim::SimDeviceConfig c = sim::demoConfig(0);
        c.latencyMs = 2;
        c.logNoise = false;
        host = std::make_unique<sim::SimulatorHost>();
        if (!host->start(dir.path(), {c}))
            return false;
        SerialDiscovery::Options options;
        options.includeSystemPorts = false;
        options.watchedIntervalMs = 50;
        serial = std::make_unique<SerialDiscovery>(options);
        serial->addWatchedDirectory(dir.path(), QStringLiteral("ttySIM*"));

        backend = std::make_unique<sim::SimulatedBleBackend>();
        backend->setAdvertisingIntervalMs(60);
        backend->addPeripheral(new sim::SimulatedImprovPeripheral(kNeedsButton, -45,
            improvConfig(0, QStringLiteral("smart-plug-ble")),
            {.requireAuthorization = true, .autoAuthorizeMs = -1}));
        backend->addPeripheral(new sim::SimulatedImprovPeripheral(kAuthorized, -50,
            improvConfig(1, QStringLiteral("porch-light")),
            {.requireAuthorization = false, .autoAuthorizeMs = -1}));
        backend->addPeripheral(zephyr());
        backend->addPeripheral(new PlainPeripheral(kHeadphones, QStringLiteral("headphones"), -88));
        for (sim::SimulatedPeripheral *p : backend->peripherals())
            p->setLatencyMs(2);

        ble::Discovery::Options bleOptions;
        bleOptions.maxAge = std::chrono::seconds(1);
        bleOptions.expireEvery = std::chrono::milliseconds(100);
        ble = std::make_unique<ble::Discovery>(backend->createScanner(nullptr), bleOptions);
        ble->scanner()->setParent(ble.get());

        registry = std::make_unique<DeviceRegistry>(serial.get());
        registry->setAutoIdentify(false);
        registry->followBle(ble.get(), backend.get());
        return true;
    }
    void startDiscovery()
    {
        serial->start();
        ble->start();
    }
    ~Rig()
    {
        registry.reset();
        ble.reset();
        backend.reset();
        serial.reset();
        host.reset();
    }
};

QString bleId(const QString &address)
{
    return QStringLiteral("ble:") + address;
}

} // namespace

class tst_BleDeviceModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void bleDevices_appearAsRowsWithTransportAndSignal();
    void advertisements_updateRowsWithDataChangedOnly();
    void ageing_untouchedRemoved_touchedKeptAbsentAndComesBack();
    void filterProxy_transportSignalProvisionableAndText();
    void adapterProblem_reachesRegistryAndNothingAgesOut();
};

void tst_BleDeviceModel::bleDevices_appearAsRowsWithTransportAndSignal()
{
    Rig rig;
    QVERIFY(rig.start());
    DeviceModel model(rig.registry.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    rig.startDiscovery();
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), kBle + 1, kWaitMs);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(model.headerData(DeviceModel::Transport, Qt::Horizontal).toString(),
        QStringLiteral("Transport"));
    QCOMPARE(
        model.headerData(DeviceModel::Signal, Qt::Horizontal).toString(), QStringLiteral("Signal"));

    const QModelIndex serial
        = model.index(rig.registry->indexOf(rig.host->device(0)->portPath()), 0);
    QCOMPARE(
        serial.siblingAtColumn(DeviceModel::Transport).data().toString(), QStringLiteral("pty"));
    QCOMPARE(serial.data(DeviceModel::TransportRole).toInt(), int(Transport::Serial));
    QVERIFY(serial.siblingAtColumn(DeviceModel::Signal).data().toString().isEmpty());
    QCOMPARE(serial.data(DeviceModel::SignalBarsRole).toInt(), -1);

    const QModelIndex plug = model.indexOf(bleId(kNeedsButton));
    QVERIFY(plug.isValid());
    QCOMPARE(plug.data().toString(), kNeedsButton);
    QCOMPARE(plug.data(DeviceModel::TransportRole).toInt(), int(Transport::Ble));
    QCOMPARE(plug.siblingAtColumn(DeviceModel::Transport).data().toString(), QStringLiteral("BLE"));
    const int rssi = plug.data(DeviceModel::RssiRole).toInt();
    QVERIFY2(rssi <= -30 && rssi >= -60, qPrintable(QString::number(rssi)));
    QCOMPARE(plug.data(DeviceModel::SignalBarsRole).toInt(), ble::signalBars(qint16(rssi)));
    QVERIFY(plug.data(DeviceModel::LastSeenRole).toDateTime().isValid());
    const QString signal = plug.siblingAtColumn(DeviceModel::Signal).data().toString();
    QVERIFY2(signal.endsWith(QLatin1String(" dBm")), qPrintable(signal));
    const QString tip = plug.siblingAtColumn(DeviceModel::Signal).data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(u"Last seen") && tip.contains(u"dBm"), qPrintable(tip));
    QVERIFY(
        plug.siblingAtColumn(DeviceModel::Identity).data().toString().contains(u"smart-plug-ble"));
    const QString protocol = plug.siblingAtColumn(DeviceModel::Protocol).data().toString();
    QVERIFY2(protocol.contains(u"Improv Wi-Fi (BLE)") && protocol.contains(u"press button"),
        qPrintable(protocol));
    QCOMPARE(plug.data(DeviceModel::StateRole).toInt(), int(OnboardingState::Discovered));
    QVERIFY(plug.data(DeviceModel::ProvisionableRole).toBool());

    const QModelIndex smp = model.indexOf(bleId(kZephyr));
    QCOMPARE(smp.siblingAtColumn(DeviceModel::Protocol).data().toString(),
        QStringLiteral("MCUmgr SMP (BLE)"));
    QVERIFY(!model.indexOf(bleId(kHeadphones)).data(DeviceModel::ProvisionableRole).toBool());
    // Nobody connected to anything on their own.
    for (sim::SimulatedPeripheral *p : rig.backend->peripherals())
        QVERIFY(!p->isConnected());
}

void tst_BleDeviceModel::advertisements_updateRowsWithDataChangedOnly()
{
    Rig rig;
    QVERIFY(rig.start());
    DeviceModel model(rig.registry.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    DeviceFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester proxyTester(
        &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    rig.startDiscovery();
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), kBle + 1, kWaitMs);

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy proxyReset(&proxy, &QAbstractItemModel::modelReset);
    const QModelIndex plug = model.indexOf(bleId(kNeedsButton));
    const QDateTime firstSeen = plug.data(DeviceModel::LastSeenRole).toDateTime();
    QTRY_VERIFY_WITH_TIMEOUT(
        plug.data(DeviceModel::LastSeenRole).toDateTime() > firstSeen, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(changed.count() >= 2 * kBle, kWaitMs);
    for (const QList<QVariant> &args : std::as_const(changed)) {
        const auto topLeft = args.at(0).value<QModelIndex>();
        QCOMPARE(topLeft.row(), args.at(1).value<QModelIndex>().row());
    }
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(removed.count(), 0);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(proxyReset.count(), 0);
    QCOMPARE(proxy.rowCount(), kBle + 1);
}

void tst_BleDeviceModel::ageing_untouchedRemoved_touchedKeptAbsentAndComesBack()
{
    Rig rig;
    QVERIFY(rig.start());
    DeviceModel model(rig.registry.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    rig.startDiscovery();
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), kBle + 1, kWaitMs);

    // Work on the Zephyr board: it becomes touched.
    DeviceSession *session = rig.registry->find(bleId(kZephyr));
    QVERIFY(session);
    QSignalSpy done(session, &DeviceSession::operationFinished);
    session->identify();
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, kWaitMs);
    QVERIFY2(done.first().at(1).toBool(), qPrintable(done.first().at(2).toString()));
    QCOMPARE(session->record().state, OnboardingState::Identified);

    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    rig.backend->removePeripheral(kHeadphones);
    rig.backend->removePeripheral(kZephyr); // drops the connection too
    QTRY_VERIFY_WITH_TIMEOUT(!model.indexOf(bleId(kHeadphones)).isValid(), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(
        !model.indexOf(bleId(kZephyr)).data(DeviceModel::PresentRole).toBool(), kWaitMs);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(model.rowCount(), kBle); // the worked-on board stays, greyed
    const QModelIndex gone = model.indexOf(bleId(kZephyr));
    QVERIFY(gone.data().toString().contains(u"out of range"));
    QVERIFY(gone.data(Qt::ForegroundRole).isValid());
    QVERIFY(gone.data(Qt::ToolTipRole).toString().contains(u"stopped advertising"));
    QVERIFY(!session->record().connected);

    // Heard again: the same row comes back to life.
    rig.backend->addPeripheral(zephyr());
    QTRY_VERIFY_WITH_TIMEOUT(
        model.indexOf(bleId(kZephyr)).data(DeviceModel::PresentRole).toBool(), kWaitMs);
    QCOMPARE(rig.registry->find(bleId(kZephyr)), session);
    QCOMPARE(session->record().state, OnboardingState::Identified);
    QCOMPARE(model.rowCount(), kBle);
}

void tst_BleDeviceModel::filterProxy_transportSignalProvisionableAndText()
{
    Rig rig;
    QVERIFY(rig.start());
    DeviceModel model(rig.registry.get());
    DeviceFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    rig.startDiscovery();
    QTRY_COMPARE_WITH_TIMEOUT(proxy.rowCount(), kBle + 1, kWaitMs);

    proxy.setTransportFilter(Transport::Ble);
    QCOMPARE(proxy.rowCount(), kBle);
    proxy.setTransportFilter(Transport::Serial);
    QCOMPARE(proxy.rowCount(), 1);
    proxy.setTransportFilter(std::nullopt);

    // Bases -45, -50, -85, -88 dBm drift by at most +8/-12: -70 splits them
    // two and two; the serial device has no signal and is never hidden by it.
    proxy.setMinRssi(-70);
    QCOMPARE(proxy.rowCount(), 3);
    QTest::qWait(300); // advertisements keep coming: the split holds
    QCOMPARE(proxy.rowCount(), 3);
    for (int row = 0; row < proxy.rowCount(); ++row) {
        const QModelIndex index = proxy.index(row, 0);
        if (index.data(DeviceModel::TransportRole).toInt() == int(Transport::Ble))
            QVERIFY(index.data(DeviceModel::RssiRole).toInt() >= -70);
    }
    proxy.setMinRssi(0);
    QCOMPARE(proxy.rowCount(), kBle + 1);

    proxy.setProvisionableOnly(true);
    QCOMPARE(proxy.rowCount(), kBle); // the headphones go, the serial device stays
    proxy.setProvisionableOnly(false);

    proxy.setFilterText(QStringLiteral("4a:02")); // address, case-insensitive
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(proxy.index(0, 0).data(DeviceModel::IdRole).toString(), bleId(kAuthorized));
    proxy.setFilterText(QStringLiteral("headphones")); // advertised name
    QCOMPARE(proxy.rowCount(), 1);
    proxy.setFilterText(QStringLiteral("ble")); // transport
    QCOMPARE(proxy.rowCount(), kBle);
    proxy.setFilterText({});

    // Sorting by signal puts the strongest last in ascending order, unknown first.
    proxy.sort(DeviceModel::Signal, Qt::AscendingOrder);
    QCOMPARE(proxy.index(0, 0).data(DeviceModel::TransportRole).toInt(), int(Transport::Serial));
    QVERIFY(proxy.index(kBle, 0).data(DeviceModel::RssiRole).toInt() >= -57);
}

void tst_BleDeviceModel::adapterProblem_reachesRegistryAndNothingAgesOut()
{
    Rig rig;
    QVERIFY(rig.start());
    DeviceModel model(rig.registry.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    rig.startDiscovery();
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), kBle + 1, kWaitMs);
    QVERIFY(rig.registry->bleStatus().ok());

    QSignalSpy status(rig.registry.get(), &DeviceRegistry::bleStatusChanged);
    rig.backend->setAdapterStatus(
        ble::AdapterStatus{ble::AdapterProblem::AdapterOff, QStringLiteral("hci0"), {}});
    QTRY_VERIFY_WITH_TIMEOUT(!status.isEmpty(), kWaitMs);
    QCOMPARE(rig.registry->bleStatus().problem, ble::AdapterProblem::AdapterOff);
    QVERIFY(rig.registry->bleStatus().message().contains(u"bluetoothctl power on"));

    QTest::qWait(1500); // longer than maxAge: nothing is heard, nothing ages out
    QCOMPARE(model.rowCount(), kBle + 1);

    rig.backend->setAdapterStatus({});
    QTRY_VERIFY_WITH_TIMEOUT(rig.registry->bleStatus().ok(), kWaitMs);
    const QModelIndex plug = model.indexOf(bleId(kNeedsButton));
    const QDateTime before = plug.data(DeviceModel::LastSeenRole).toDateTime();
    QTRY_VERIFY_WITH_TIMEOUT(plug.data(DeviceModel::LastSeenRole).toDateTime() > before, kWaitMs);
}

QTEST_MAIN(tst_BleDeviceModel)
#include "tst_bledevicemodel.moc"
