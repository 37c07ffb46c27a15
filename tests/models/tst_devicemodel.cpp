// DeviceModel, DeviceFilterProxy and TraceModel over a real DeviceRegistry:
// simulated devices behind ptys in a temporary folder, found by SerialDiscovery
// (system ports off), identified through the real Improv client.

#include "app/onboarding/deviceregistry.h"
#include "app/simulator/simulatorhost.h"
#include "app/transport/serialdiscovery.h"
#include "models/devicefilterproxy.h"
#include "models/devicemodel.h"
#include "models/tracemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace provbench;

namespace {

constexpr int kDevices = 3;
constexpr int kWaitMs = 10000;

// Simulated devices, discovery and registry, torn down in the right order.
struct Rig
{
    QTemporaryDir dir;
    std::unique_ptr<sim::SimulatorHost> host;
    std::unique_ptr<SerialDiscovery> discovery;
    std::unique_ptr<DeviceRegistry> registry;

    bool start(bool autoIdentify)
    {
        if (!dir.isValid())
            return false;
        QList<sim::SimDeviceConfig> configs;
        for (int i = 0; i < kDevices; ++i) {
            sim::SimDeviceConfig c = sim::demoConfig(i);
            c.latencyMs = 2;
            c.connectMs = 50;
            c.logNoise = false;
            configs << c;
        }
        host = std::make_unique<sim::SimulatorHost>();
        if (!host->start(dir.path(), configs))
            return false;
        SerialDiscovery::Options options;
        options.includeSystemPorts = false;
        options.watchedIntervalMs = 50;
        discovery = std::make_unique<SerialDiscovery>(options);
        discovery->addWatchedDirectory(dir.path(), QStringLiteral("ttySIM*"));
        registry = std::make_unique<DeviceRegistry>(discovery.get());
        registry->setAutoIdentify(autoIdentify);
        return true;
    }
    ~Rig()
    {
        registry.reset();
        discovery.reset();
        host.reset();
    }
    QString path(int device) const { return host->device(device)->portPath(); }
};

bool allIdentified(const DeviceModel &model)
{
    if (model.rowCount() != kDevices)
        return false;
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.index(row, 0).data(DeviceModel::StateRole).toInt()
            != int(OnboardingState::Identified))
            return false;
    }
    return true;
}

} // namespace

class tst_DeviceModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void discoveredPorts_appearAsInsertedRows();
    void identify_fillsIdentityColumnsWithoutReset();
    void unplugTouchedDevice_keepsRowGreyedAndAbsent();
    void unplugUntouchedDevice_removesRow();
    void filterProxy_matchesTextStateAndPresence();
    void traceModel_followsSessionAppendsClearsAndCaps();
    void registryDestroyed_emptiesModels();
};

void tst_DeviceModel::discoveredPorts_appearAsInsertedRows()
{
    Rig rig;
    QVERIFY(rig.start(false));
    DeviceModel model(rig.registry.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

    rig.discovery->start();
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), kDevices, kWaitMs);
    QCOMPARE(inserted.count(), kDevices);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(model.columnCount(), int(DeviceModel::ColumnCount));
    QCOMPARE(
        model.headerData(DeviceModel::State, Qt::Horizontal).toString(), QStringLiteral("State"));

    for (int i = 0; i < kDevices; ++i) {
        const QModelIndex index = model.indexOf(rig.path(i));
        QVERIFY(index.isValid());
        QCOMPARE(index.data(DeviceModel::IdRole).toString(), rig.path(i));
        QCOMPARE(index.data().toString(), QStringLiteral("ttySIM%1").arg(i));
        QCOMPARE(index.data(DeviceModel::StateRole).toInt(), int(OnboardingState::Discovered));
        QCOMPARE(index.data(DeviceModel::PresentRole).toBool(), true);
        QCOMPARE(index.data(DeviceModel::ProgressRole).toInt(), -1);
        QVERIFY(index.data(DeviceModel::ActivityRole).toString().isEmpty());
        QVERIFY(!index.data(Qt::ForegroundRole).isValid());
        QCOMPARE(model.session(index), rig.registry->find(rig.path(i)));
        const QModelIndex state = index.siblingAtColumn(DeviceModel::State);
        QCOMPARE(state.data().toString(), QStringLiteral("Discovered"));
    }
}

void tst_DeviceModel::identify_fillsIdentityColumnsWithoutReset()
{
    Rig rig;
    QVERIFY(rig.start(true));
    DeviceModel model(rig.registry.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

    rig.discovery->start();
    QTRY_VERIFY_WITH_TIMEOUT(allIdentified(model), kWaitMs);
    QVERIFY(changed.count() > 0);
    QCOMPARE(reset.count(), 0);
    for (const QList<QVariant> &args : std::as_const(changed)) {
        const auto topLeft = args.at(0).value<QModelIndex>();
        const auto bottomRight = args.at(1).value<QModelIndex>();
        QCOMPARE(topLeft.row(), bottomRight.row()); // one device per change
        QCOMPARE(topLeft.column(), 0);
        QCOMPARE(bottomRight.column(), DeviceModel::ColumnCount - 1);
    }

    const QModelIndex first = model.indexOf(rig.path(0));
    const QString identity = first.siblingAtColumn(DeviceModel::Identity).data().toString();
    QVERIFY2(identity.contains(QLatin1String("kitchen-sensor")), qPrintable(identity));
    QVERIFY2(identity.contains(QLatin1String("ESP32-C3")), qPrintable(identity));
    QVERIFY(first.siblingAtColumn(DeviceModel::Protocol)
                .data()
                .toString()
                .contains(QLatin1String("Improv")));
    QCOMPARE(
        first.siblingAtColumn(DeviceModel::State).data().toString(), QStringLiteral("Identified"));
    QVERIFY(!first.siblingAtColumn(DeviceModel::Bridge).data().toString().isEmpty());
    QVERIFY(model.indexOf(rig.path(1))
                .siblingAtColumn(DeviceModel::Identity)
                .data()
                .toString()
                .contains(QLatin1String("WLED")));
}

void tst_DeviceModel::unplugTouchedDevice_keepsRowGreyedAndAbsent()
{
    Rig rig;
    QVERIFY(rig.start(true));
    DeviceModel model(rig.registry.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    DeviceFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester proxyTester(
        &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    rig.discovery->start();
    QTRY_VERIFY_WITH_TIMEOUT(allIdentified(model), kWaitMs);

    const QString gone = rig.path(1);
    rig.host->device(1)->unplug();
    QTRY_VERIFY_WITH_TIMEOUT(!model.indexOf(gone).data(DeviceModel::PresentRole).toBool(), kWaitMs);
    QCOMPARE(model.rowCount(), kDevices); // worked-on devices never vanish
    const QModelIndex index = model.indexOf(gone);
    QVERIFY(index.data(Qt::ForegroundRole).isValid());
    QVERIFY(index.data().toString().contains(QLatin1String("unplugged")));
    QVERIFY(!index.data(Qt::ToolTipRole).toString().isEmpty());

    QCOMPARE(proxy.rowCount(), kDevices);
    proxy.setPresentOnly(true);
    QCOMPARE(proxy.rowCount(), kDevices - 1);
    for (int row = 0; row < proxy.rowCount(); ++row)
        QVERIFY(proxy.index(row, 0).data(DeviceModel::IdRole).toString() != gone);
}

void tst_DeviceModel::unplugUntouchedDevice_removesRow()
{
    Rig rig;
    QVERIFY(rig.start(false));
    DeviceModel model(rig.registry.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    rig.discovery->start();
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), kDevices, kWaitMs);

    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    const QString gone = rig.path(0);
    rig.host->device(0)->unplug();
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), kDevices - 1, kWaitMs);
    QCOMPARE(removed.count(), 1);
    QVERIFY(!model.indexOf(gone).isValid());
    QVERIFY(model.indexOf(rig.path(2)).isValid());
}

void tst_DeviceModel::filterProxy_matchesTextStateAndPresence()
{
    Rig rig;
    QVERIFY(rig.start(true));
    DeviceModel model(rig.registry.get());
    DeviceFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    rig.discovery->start();
    QTRY_VERIFY_WITH_TIMEOUT(allIdentified(model), kWaitMs);
    QCOMPARE(proxy.rowCount(), kDevices);

    proxy.setFilterText(QStringLiteral("wled")); // identity, case-insensitive
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(proxy.index(0, 0).data(DeviceModel::IdRole).toString(), rig.path(1));
    proxy.setFilterText(QStringLiteral("ttysim2")); // port
    QCOMPARE(proxy.rowCount(), 1);
    proxy.setFilterText(QStringLiteral("IMPROV WI-FI")); // protocol
    QCOMPARE(proxy.rowCount(), kDevices);
    proxy.setFilterText(QStringLiteral("no such device"));
    QCOMPARE(proxy.rowCount(), 0);
    proxy.setFilterText({});
    QCOMPARE(proxy.rowCount(), kDevices);

    proxy.setStateFilter(OnboardingState::Provisioned);
    QCOMPARE(proxy.rowCount(), 0);
    proxy.setStateFilter(OnboardingState::Identified);
    QCOMPARE(proxy.rowCount(), kDevices);
    proxy.setFilterText(QStringLiteral("esphome"));
    QCOMPARE(proxy.rowCount(), 2);
    proxy.setStateFilter(std::nullopt);
    proxy.setFilterText({});

    // Sorting by identity follows the text; the state column sorts by workflow order.
    proxy.sort(DeviceModel::Identity, Qt::AscendingOrder);
    QVERIFY(proxy.index(0, DeviceModel::Identity)
                .data()
                .toString()
                .startsWith(QLatin1String("garage-door")));
    proxy.sort(DeviceModel::State, Qt::DescendingOrder);
    QCOMPARE(proxy.rowCount(), kDevices);
}

void tst_DeviceModel::traceModel_followsSessionAppendsClearsAndCaps()
{
    Rig rig;
    QVERIFY(rig.start(true));
    DeviceModel devices(rig.registry.get());
    rig.discovery->start();
    QTRY_VERIFY_WITH_TIMEOUT(allIdentified(devices), kWaitMs);

    DeviceSession *session = rig.registry->find(rig.path(0));
    QVERIFY(session);
    TraceModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSession(session);
    QCOMPARE(model.rowCount(), int(session->trace().size()));
    QVERIFY(model.rowCount() > 0);
    QCOMPARE(model.columnCount(), int(TraceModel::ColumnCount));

    bool sawSent = false;
    bool sawReceived = false;
    for (int row = 0; row < model.rowCount(); ++row) {
        const auto dir
            = TraceEntry::Direction(model.index(row, 0).data(TraceModel::DirectionRole).toInt());
        const QString dirText = model.index(row, TraceModel::Direction).data().toString();
        if (dir == TraceEntry::Direction::Sent) {
            sawSent = true;
            QCOMPARE(dirText, QStringLiteral("\u2192 sent"));
            QVERIFY(!model.index(row, TraceModel::Bytes).data().toString().isEmpty());
        } else if (dir == TraceEntry::Direction::Received) {
            sawReceived = true;
            QCOMPARE(dirText, QStringLiteral("\u2190 received"));
        }
        const QString time = model.index(row, TraceModel::Time).data().toString();
        QCOMPARE(time.size(), 12); // hh:mm:ss.zzz
    }
    QVERIFY(sawSent);
    QVERIFY(sawReceived);
    QVERIFY(model.lineForRow(0).contains(QLatin1Char('\t')));

    // New entries arrive as inserted rows at the end.
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy done(session, &DeviceSession::operationFinished);
    session->identify();
    QVERIFY(done.wait(kWaitMs));
    QVERIFY(inserted.count() > 0);
    QCOMPARE(model.rowCount(), int(session->trace().size()));

    // The cap drops the oldest rows and keeps the newest.
    const QString newest = model.lineForRow(model.rowCount() - 1);
    model.setCapacity(5);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.lineForRow(4), newest);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    done.clear();
    session->identify();
    QVERIFY(done.wait(kWaitMs));
    QCOMPARE(model.rowCount(), 5);
    QVERIFY(removed.count() > 0);
    QCOMPARE(model.entry(4).summary, session->trace().last().summary);

    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    session->clearTrace();
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 0);

    model.setSession(rig.registry->find(rig.path(1)));
    QVERIFY(model.rowCount() > 0);
    model.setSession(nullptr);
    QCOMPARE(model.rowCount(), 0);
}

void tst_DeviceModel::registryDestroyed_emptiesModels()
{
    Rig rig;
    QVERIFY(rig.start(true));
    DeviceModel devices(rig.registry.get());
    QAbstractItemModelTester tester(
        &devices, QAbstractItemModelTester::FailureReportingMode::QtTest);
    rig.discovery->start();
    QTRY_VERIFY_WITH_TIMEOUT(allIdentified(devices), kWaitMs);
    TraceModel trace;
    QAbstractItemModelTester traceTester(
        &trace, QAbstractItemModelTester::FailureReportingMode::QtTest);
    trace.setSession(rig.registry->at(0));
    QVERIFY(trace.rowCount() > 0);

    rig.registry.reset(); // deletes every session with it
    QCOMPARE(devices.rowCount(), 0);
    QCOMPARE(trace.rowCount(), 0);
    QCOMPARE(trace.session(), nullptr);
}

QTEST_MAIN(tst_DeviceModel)
#include "tst_devicemodel.moc"
