#include "app/simulator/ble/simulatedblebackend.h"
#include "app/simulator/ble/simulatedimprovperipheral.h"
#include "app/simulator/ble/simulatedsmpperipheral.h"
#include "app/simulator/simulatedsmpdevice.h"
#include "app/transport/ble/blediscovery.h"

#include <QElapsedTimer>
#include <QTest>

#include <memory>

using namespace provbench;
using namespace provbench::ble;

namespace {

const QString kPlug = QStringLiteral("C4:DE:E2:10:4A:01");
const QString kSensor = QStringLiteral("F1:0B:5E:7A:22:03");
constexpr int kIntervalMs = 100; // each simulated peripheral advertises about this often
constexpr std::chrono::seconds kMaxAge{1};

} // namespace

// Discovery over the simulated scanner with real (short) timers: adverts every
// 100 ms, ageing after 1 s, expiry checked every 50 ms.
class tst_BleDiscovery : public QObject
{
    Q_OBJECT

    std::unique_ptr<sim::SimulatedBleBackend> m_backend;
    sim::SimulatedImprovPeripheral *m_plug = nullptr; // owned by the backend
    std::unique_ptr<Scanner> m_scanner;
    std::unique_ptr<Discovery> m_discovery;

    QStringList m_added;
    QStringList m_removed;
    QHash<QString, int> m_updates;
    QHash<QString, BleDevice> m_last; // the latest added/updated device per address
    QHash<QString, QDateTime> m_firstSeen;
    QList<AdapterStatus> m_statuses;
    QList<bool> m_active;

    // A fresh backend with the two peripherals, and a discovery over it.
    void createDiscovery(std::chrono::seconds maxAge = kMaxAge)
    {
        cleanup();
        m_backend = std::make_unique<sim::SimulatedBleBackend>();
        m_backend->setAdvertisingIntervalMs(kIntervalMs);
        sim::SimDeviceConfig plug;
        plug.deviceName = QStringLiteral("smart-plug-ble");
        m_plug = new sim::SimulatedImprovPeripheral(kPlug, -58, plug, {true, -1});
        m_backend->addPeripheral(m_plug);
        sim::SmpDeviceConfig sensor = sim::demoSmpConfig(0);
        sensor.name = QStringLiteral("zephyr-ble-sensor");
        m_backend->addPeripheral(new sim::SimulatedSmpPeripheral(kSensor, -66, sensor));

        m_scanner.reset(m_backend->createScanner(nullptr));
        m_discovery = std::make_unique<Discovery>(
            m_scanner.get(), Discovery::Options{maxAge, std::chrono::milliseconds(50)});
        connect(m_discovery.get(), &Discovery::deviceAdded, this, [this](const BleDevice &d) {
            m_added << d.advert.address;
            m_last[d.advert.address] = d;
            m_firstSeen[d.advert.address] = d.firstSeen;
        });
        connect(m_discovery.get(), &Discovery::deviceUpdated, this, [this](const BleDevice &d) {
            ++m_updates[d.advert.address];
            m_last[d.advert.address] = d;
        });
        connect(m_discovery.get(), &Discovery::deviceRemoved, this,
            [this](const QString &address) { m_removed << address; });
        connect(m_discovery.get(), &Discovery::statusChanged, this,
            [this](const AdapterStatus &s) { m_statuses << s; });
        connect(m_discovery.get(), &Discovery::activeChanged, this,
            [this](bool active) { m_active << active; });
    }

    // Both peripherals added and each heard again at least once more.
    void startAndSeeBoth()
    {
        m_discovery->start();
        QTRY_COMPARE_WITH_TIMEOUT(m_added.size(), 2, 3000);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_updates.value(kPlug) >= 1 && m_updates.value(kSensor) >= 1, 3000);
    }

private Q_SLOTS:
    void init() { createDiscovery(); }

    void cleanup()
    {
        m_discovery.reset();
        m_scanner.reset();
        m_backend.reset();
        m_plug = nullptr;
        m_added.clear();
        m_removed.clear();
        m_updates.clear();
        m_last.clear();
        m_firstSeen.clear();
        m_statuses.clear();
        m_active.clear();
    }

    void start_addsEachPeripheralOnce_thenUpdatesIt()
    {
        startAndSeeBoth();
        QVERIFY(m_discovery->isActive());
        QCOMPARE(m_active, QList<bool>{true});
        QVERIFY(m_discovery->status().ok());

        // More adverts arrive but nothing is added twice.
        const int plugUpdates = m_updates.value(kPlug);
        QTRY_VERIFY_WITH_TIMEOUT(m_updates.value(kPlug) >= plugUpdates + 3, 3000);
        QCOMPARE(m_added.size(), 2);
        QVERIFY(m_added.contains(kPlug));
        QVERIFY(m_added.contains(kSensor));
        QVERIFY(m_removed.isEmpty());
        QCOMPARE(m_discovery->table().size(), 2);

        const BleDevice *plug = m_discovery->find(kPlug);
        QVERIFY(plug);
        QCOMPARE(plug->advert.name, QStringLiteral("smart-plug-ble"));
        QCOMPARE(int(plug->protocols), int(ProtoImprov));
        QVERIFY(plug->improv);
        QCOMPARE(plug->improv->state, improv::State::AuthorizationRequired);
        QCOMPARE(plug->firstSeen, m_firstSeen.value(kPlug)); // kept across updates
        QVERIFY(plug->lastSeen > plug->firstSeen);
        // The simulated RSSI drifts within -12/+8 dB of its base and is never "unknown".
        QVERIFY2(plug->advert.rssi >= -70 && plug->advert.rssi <= -50,
            qPrintable(QString::number(plug->advert.rssi)));

        const BleDevice *sensor = m_discovery->find(kSensor);
        QVERIFY(sensor);
        QCOMPARE(sensor->advert.name, QStringLiteral("zephyr-ble-sensor"));
        QCOMPARE(int(sensor->protocols), int(ProtoSmp));
        QVERIFY(!sensor->improv);
    }

    void buttonPressed_updateCarriesNewImprovState()
    {
        startAndSeeBoth();
        m_plug->pressButton();
        QTRY_VERIFY_WITH_TIMEOUT(
            m_last.value(kPlug).improv && m_last.value(kPlug).improv->state == improv::State::Ready,
            3000);
        QCOMPARE(m_discovery->find(kPlug)->improv->state, improv::State::Ready);
        QCOMPARE(m_added.size(), 2);
    }

    void peripheralGone_isRemovedAfterMaxAge_notBefore()
    {
        startAndSeeBoth();
        QElapsedTimer since;
        m_backend->removePeripheral(kPlug);
        m_plug = nullptr;
        since.start();
        QTRY_COMPARE_WITH_TIMEOUT(m_removed, QStringList{kPlug}, 4000);
        const qint64 elapsed = since.elapsed();
        // Last heard at most one advertising interval before it went silent.
        QVERIFY2(elapsed >= 1000 - kIntervalMs - 20, qPrintable(QString::number(elapsed)));
        QVERIFY(!m_discovery->find(kPlug));
        QVERIFY(m_discovery->find(kSensor));

        // The one still in range keeps being updated and is never removed.
        const int sensorUpdates = m_updates.value(kSensor);
        const int plugUpdates = m_updates.value(kPlug);
        QTest::qWait(1100);
        QCOMPARE(m_removed, QStringList{kPlug});
        QVERIFY(m_updates.value(kSensor) > sensorUpdates);
        QCOMPARE(m_updates.value(kPlug), plugUpdates);
    }

    void adapterProblem_nothingAgesOutWhileItLasts()
    {
        startAndSeeBoth();
        const AdapterStatus off{AdapterProblem::AdapterOff, QStringLiteral("hci0"), {}};
        m_backend->setAdapterStatus(off);
        QVERIFY(!m_statuses.isEmpty());
        QCOMPARE(m_statuses.last(), off);
        QCOMPARE(m_active.last(), false);
        QVERIFY(!m_discovery->isActive());
        QCOMPARE(m_discovery->status(), off);
        QVERIFY(m_discovery->status().message().contains(QStringLiteral("bluetoothctl power on")));

        const auto updates = m_updates;
        QTest::qWait(1600); // 1.6 x maxAge: every device would have aged out
        QVERIFY2(m_removed.isEmpty(), qPrintable(m_removed.join(QLatin1Char(' '))));
        QCOMPARE(m_discovery->table().size(), 2);
        QCOMPARE(m_updates, updates); // nothing heard while the adapter is off
    }

    // After an outage longer than maxAge, devices that are still in range must
    // not be dropped before they have had a chance to advertise again: the
    // outage is not time in which they could have been heard.
    void adapterRecovers_devicesInRangeAreNotDroppedBeforeTheyAdvertise()
    {
        // Slow adverts (each device once a second, the two 500 ms apart)
        // against expiry every 50 ms and a 2 s maxAge: after the outage one
        // device is heard at once, the other only after several expiry checks.
        createDiscovery(std::chrono::seconds(2));
        m_backend->setAdvertisingIntervalMs(1000);
        startAndSeeBoth();
        m_backend->setAdapterStatus({AdapterProblem::AdapterOff, QStringLiteral("hci0"), {}});
        QTest::qWait(2500);
        QVERIFY(m_removed.isEmpty());

        const auto updates = m_updates;
        m_backend->setAdapterStatus({});
        QTRY_COMPARE_WITH_TIMEOUT(m_active.last(), true, 1000);
        QVERIFY(m_statuses.last().ok());
        QTRY_VERIFY_WITH_TIMEOUT(m_updates.value(kPlug) > updates.value(kPlug)
                && m_updates.value(kSensor) > updates.value(kSensor),
            3000);
        QTest::qWait(300);
        QVERIFY2(m_removed.isEmpty(), qPrintable(m_removed.join(QLatin1Char(' '))));
        QCOMPARE(m_discovery->table().size(), 2);
    }

    void startWhileAdapterOff_reportsWhy_thenScansWhenOn()
    {
        const AdapterStatus none{AdapterProblem::NoAdapter, {}, {}};
        m_backend->setAdapterStatus(none);
        m_discovery->start();
        QVERIFY(!m_statuses.isEmpty());
        QCOMPARE(m_statuses.last(), none);
        QVERIFY(!m_discovery->isActive());
        QTest::qWait(300);
        QVERIFY(m_added.isEmpty());

        m_backend->setAdapterStatus({});
        QTRY_COMPARE_WITH_TIMEOUT(m_added.size(), 2, 3000);
        QVERIFY(m_discovery->isActive());
        QCOMPARE(m_active.last(), true);
        QVERIFY(m_discovery->status().ok());
    }

    void stop_noMoreAdverts_startResumes()
    {
        startAndSeeBoth();
        m_discovery->stop();
        QVERIFY(!m_discovery->isActive());
        QCOMPARE(m_active.last(), false);
        const auto updates = m_updates;
        QTest::qWait(4 * kIntervalMs);
        QCOMPARE(m_updates, updates);

        m_discovery->start();
        QVERIFY(m_discovery->isActive());
        QTRY_VERIFY_WITH_TIMEOUT(m_updates.value(kSensor) > updates.value(kSensor), 2000);
        QCOMPARE(m_added.size(), 2);
    }

    void noScanner_reportsFailure_andDoesNothing()
    {
        Discovery discovery(nullptr);
        QVERIFY(!discovery.isActive());
        const AdapterStatus status = discovery.status();
        QCOMPARE(status.problem, AdapterProblem::Failed);
        QVERIFY(status.message().contains(QStringLiteral("no Bluetooth backend")));
        discovery.start();
        QVERIFY(!discovery.isActive());
        discovery.stop();
        QCOMPARE(discovery.table().size(), 0);
        QCOMPARE(discovery.scanner(), nullptr);
    }
};

QTEST_GUILESS_MAIN(tst_BleDiscovery)
#include "tst_blediscovery.moc"
