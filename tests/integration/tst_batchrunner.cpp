// BatchRunner end to end: simulated Improv, MCUmgr SMP and nRF91 devices on
// real ptys found by a SerialDiscovery watching their folder, a workspace
// with a vault, a CA and a store. Covers CSV matching, unknown devices, the
// parallel limit, skipping done (and renamed) devices, a claim held by
// another bench, a device unplugged mid-write, and resuming after the runner
// was cut off mid-write without writing a finished device twice.

#include "app/crypto/certificateauthority.h"
#include "app/onboarding/batch/batchrunner.h"
#include "app/onboarding/credentialplan.h"
#include "app/onboarding/journey/board.h"
#include "app/profiles/profilelibrary.h"
#include "app/simulator/ble/simulatedblebackend.h"
#include "app/simulator/ble/simulatedimprovperipheral.h"
#include "app/simulator/simconfig.h"
#include "app/simulator/simulatedmodem.h"
#include "app/simulator/simulatedsmpdevice.h"
#include "app/simulator/simulatorhost.h"
#include "app/storage/store/store.h"
#include "app/storage/vault.h"
#include "app/storage/workspace.h"
#include "app/transport/ble/blediscovery.h"
#include "app/transport/serialdiscovery.h"

#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace provbench;
using namespace provbench::onboarding;
using namespace provbench::onboarding::batch;
using namespace std::chrono_literals;
using Status = BatchEntry::Status;

namespace {

constexpr char kPass[] = "batch runner test passphrase";
const QString kWifi = QStringLiteral("Lab Wi-Fi");
const QString kCert = QStringLiteral("Per-device certificate made on the bench");
const QString kWifiOnly = QStringLiteral("Lab Wi-Fi, names kept");

// Wi-Fi only, fitting every kind: Improv takes it, SMP stores it as settings,
// an nRF91 reports it not applicable. The device name makes an Improv device
// rename itself, which the next batch must see through.
profiles::Profile wifiProfile(
    const QString &name = kWifi, const QString &deviceName = QStringLiteral("lab-{serial}"))
{
    return sim::labWifiProfile(name, deviceName);
}

profiles::Profile sampleProfile(const QString &file)
{
    auto p = profiles::sampleProfile(QFileInfo(file).completeBaseName());
    if (!p)
        qFatal("%s", qPrintable(p.error().message));
    return *p;
}

} // namespace

class tst_BatchRunner : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::optional<Workspace> m_ws;
    std::optional<Vault> m_vault;
    std::optional<crypto::CertificateAuthority> m_ca;
    std::unique_ptr<store::Store> m_store;
    std::unique_ptr<sim::SimulatorHost> m_host;
    std::unique_ptr<SerialDiscovery> m_discovery;
    QHash<QString, profiles::Profile> m_profiles;

    // A fresh workspace and the given devices behind ptys in <dir>/sim.
    bool setUp(const QList<sim::SimulatedSerialDevice *> &devices)
    {
        m_dir = std::make_unique<QTemporaryDir>();
        auto ws = Workspace::open(m_dir->filePath(QStringLiteral("ws")));
        if (!ws)
            return false;
        m_ws = *ws;
        auto vault = Vault::create(*m_ws, kPass);
        if (!vault)
            return false;
        m_vault = std::move(*vault);
        auto ca = crypto::CertificateAuthority::createRoot(*m_ws, *m_vault, {});
        if (!ca)
            return false;
        m_ca = std::move(*ca);
        auto s = store::Store::open(QString(), m_ws->path(), QStringLiteral("tester@bench"));
        if (!s)
            return false;
        m_store = std::move(*s);
        m_profiles.clear();
        m_profiles.insert(kWifi, wifiProfile());
        // Improv over BLE carries Wi-Fi only: no device name.
        m_profiles.insert(kWifiOnly, wifiProfile(kWifiOnly, QString()));
        m_profiles.insert(
            kCert, sampleProfile(QStringLiteral("bench-certificate-per-device.json")));
        m_host = std::make_unique<sim::SimulatorHost>();
        if (auto ok = m_host->start(m_dir->filePath(QStringLiteral("sim")), devices); !ok) {
            qWarning() << ok.error().message;
            return false;
        }
        return true;
    }

    std::unique_ptr<BatchRunner> makeRunner(
        BatchOptions options, const QString &bench = {}, ble::Backend *bleBackend = nullptr)
    {
        BatchEnvironment env;
        env.bleBackend = bleBackend;
        env.workspacePath = m_ws->path();
        env.store = m_store.get();
        env.ca = &*m_ca;
        env.benchId = bench.isEmpty() ? QStringLiteral("tester@bench") : bench;
        env.resolveProfile = [this](const QString &name) -> Result<profiles::Profile> {
            if (m_profiles.contains(name))
                return m_profiles.value(name);
            return fail(Error::Code::NotFound, QStringLiteral("no profile ") + name);
        };
        options.probeTimeout = 400ms;
        return std::make_unique<BatchRunner>(env, options);
    }

    // Feeds the runner from a SerialDiscovery over the simulator's folder, as the CLI does.
    void watch(BatchRunner *runner)
    {
        SerialDiscovery::Options o;
        o.includeSystemPorts = false;
        o.watchedIntervalMs = 100;
        m_discovery = std::make_unique<SerialDiscovery>(o);
        m_discovery->addWatchedDirectory(m_host->directory(), QStringLiteral("ttySIM*"));
        connect(m_discovery.get(), &SerialDiscovery::portAdded, runner,
            [runner](const PortInfo &p) { runner->addSerialPort(p); });
        connect(m_discovery.get(), &SerialDiscovery::portRemoved, runner,
            [runner](const PortInfo &p) { runner->removeSerialPort(p.path); });
        m_discovery->start();
    }

    static sim::SimulatedSerialDevice *improv(int i, int latency = 2)
    {
        auto c = sim::demoConfig(i);
        c.latencyMs = latency;
        c.logNoise = false;
        return new sim::SimulatedImprovDevice(c);
    }
    static sim::SimulatedSerialDevice *smp(int i, int latency = 2)
    {
        auto c = sim::demoSmpConfig(i);
        c.latencyMs = latency;
        c.logNoise = false;
        c.selfEnroll = false;
        return new sim::SimulatedSmpDevice(c);
    }
    static sim::SimulatedSerialDevice *modem(int i, int latency = 2)
    {
        auto c = sim::demoModemConfig(i);
        c.latencyMs = latency;
        c.logNoise = false;
        return new sim::SimulatedModem(c);
    }

    int countAll(const QString &kind)
    {
        store::AuditFilter f;
        f.kind = kind;
        auto records = m_store->audit().records(f);
        return records ? int(records->size()) : -1;
    }

    int countKind(const QString &device, const QString &kind)
    {
        store::AuditFilter f;
        f.deviceId = device;
        f.kind = kind;
        auto records = m_store->audit().records(f);
        return records ? int(records->size()) : -1;
    }

    static const BatchEntry *entryFor(const BatchRunner &runner, const QString &deviceId)
    {
        for (const BatchEntry &e : runner.entries())
            if (e.deviceId == deviceId)
                return &e;
        return nullptr;
    }

    static QString describe(const BatchRunner &runner)
    {
        QStringList lines;
        for (const BatchEntry &e : runner.entries())
            lines << QStringLiteral("%1 %2 %3: %4")
                         .arg(e.source, e.deviceId, statusName(e.status), e.message);
        return lines.join(u'\n');
    }

private Q_SLOTS:
    void cleanup()
    {
        m_discovery.reset();
        if (m_host)
            m_host->stop();
        m_host.reset();
        m_store.reset();
    }

    void csvBatch_provisionsMatchesListsUnknownAndSkipsOnRerun()
    {
        QVERIFY(setUp({improv(0), smp(1), modem(2), improv(3), smp(4)}));
        const QString imei = sim::demoModemConfig(2).imei;
        BatchOptions o;
        o.parallel = 2;
        o.expected = {
            {sim::demoConfig(0).deviceName, QStringLiteral("lab"), QStringLiteral("Kitchen"), kWifi,
                2},
            {sim::demoSmpConfig(1).name, QStringLiteral("lab"), QStringLiteral("Gateway"), kCert,
                3},
            {imei, QStringLiteral("field"), QStringLiteral("Modem"), kCert, 4},
            {QStringLiteral("NOT-THERE"), QStringLiteral("lab"), QString(), kWifi, 5},
        };
        auto runner = makeRunner(o);
        int active = 0, maxActive = 0;
        connect(runner.get(), &BatchRunner::entryChanged, this, [&] {
            active = 0;
            for (const BatchEntry &e : runner->entries())
                active += e.isActive() ? 1 : 0;
            maxActive = std::max(maxActive, active);
        });
        QVERIFY2(runner->start(), "start");
        watch(runner.get());
        QTRY_VERIFY_WITH_TIMEOUT(runner->entries().size() == 5 && runner->isIdle(), 60000);

        const BatchSummary s = runner->summary();
        QVERIFY2(s.done == 3 && s.unknown == 2 && s.failed == 0, qPrintable(describe(*runner)));
        QCOMPARE(s.notSeen, QStringList{QStringLiteral("NOT-THERE")});
        QVERIFY(maxActive <= 2);
        QVERIFY(maxActive >= 1);
        const BatchEntry *modemEntry = entryFor(*runner, imei);
        QVERIFY(modemEntry);
        QCOMPARE(modemEntry->site, QStringLiteral("field"));
        QCOMPARE(modemEntry->csvLine, 4);
        QCOMPARE(modemEntry->protocol, protocolName(DeviceProtocol::Nrf91At));

        // Unknown devices: listed with what they report, nothing written.
        for (const BatchEntry &e : runner->entries()) {
            if (e.status != Status::Unknown)
                continue;
            QVERIFY(e.deviceId.isEmpty());
            QVERIFY2(e.message.contains(e.keys.value(0)), qPrintable(e.message));
            QCOMPARE(countKind(e.keys.value(0), QStringLiteral("intent.write")), 0);
        }
        // Inventory and board: each done device verified, onboarded on the board.
        journey::Board board;
        QVERIFY(board.load(*m_store));
        for (const QString &id :
            {sim::demoConfig(0).deviceName, sim::demoSmpConfig(1).name, imei}) {
            auto d = m_store->inventory().get(id);
            QVERIFY2(d, qPrintable(id));
            QCOMPARE(d->state, QStringLiteral("verified"));
            QVERIFY(d->claimedBy.isEmpty());
            QCOMPARE(countKind(id, QStringLiteral("intent.verify")), 1);
            const journey::Journey *j = board.device(id);
            QVERIFY2(j && j->stage() == journey::Stage::Onboarded, qPrintable(id));
        }
        // The certificate each device now holds is named in the inventory
        // (reports, labels); the Wi-Fi-only Improv device has none.
        for (const QString &id : {sim::demoSmpConfig(1).name, imei}) {
            const QStringList fps = m_store->inventory().get(id)->fingerprints;
            QCOMPARE(fps.size(), 1);
            QCOMPARE(fps.first().size(), 95); // SHA-256, colon-separated hex
        }
        QVERIFY(m_store->inventory().get(sim::demoConfig(0).deviceName)->fingerprints.isEmpty());
        runner->stop();

        // The Improv device renamed itself ("lab-kitchen-sensor"); a second
        // batch still knows it, and writes nothing to anyone.
        m_discovery.reset();
        const int intentsBefore = countAll(QStringLiteral("intent.write"));
        QVERIFY(intentsBefore > 0);
        auto again = makeRunner(o);
        QVERIFY(again->start());
        watch(again.get());
        QTRY_VERIFY_WITH_TIMEOUT(again->entries().size() == 5 && again->isIdle(), 60000);
        const BatchSummary s2 = again->summary();
        QVERIFY2(s2.skipped == 3 && s2.unknown == 2 && s2.done == 0, qPrintable(describe(*again)));
        QCOMPARE(countAll(QStringLiteral("intent.write")), intentsBefore);
        QVERIFY(again->entries().size() == 5);
    }

    void noCsv_everyDeviceGetsTheProfile_underItsIdentity()
    {
        QVERIFY(setUp({smp(0), modem(1), smp(3)}));
        BatchOptions o;
        o.defaultProfile = kCert;
        o.parallel = 3;
        auto runner = makeRunner(o);
        QVERIFY(runner->start());
        watch(runner.get());
        QTRY_VERIFY_WITH_TIMEOUT(runner->entries().size() == 3 && runner->isIdle(), 60000);
        QVERIFY2(runner->summary().done == 3, qPrintable(describe(*runner)));
        QVERIFY(entryFor(*runner, sim::demoSmpConfig(0).name));
        QVERIFY(entryFor(*runner, sim::demoSmpConfig(3).name));
        QVERIFY(entryFor(*runner, sim::demoModemConfig(1).imei));
        QVERIFY(!runner->allExpectedDone()); // no CSV: ends by settling only
        // Every device got its own certificate.
        QVERIFY(countAll(QStringLiteral("outcome.write")) > 0);
    }

    void claimHeldByAnotherBench_isNotTouched()
    {
        QVERIFY(setUp({smp(0)}));
        const QString id = sim::demoSmpConfig(0).name;
        store::InventoryDevice d;
        d.id = id;
        QVERIFY(m_store->inventory().upsert(d));
        QVERIFY(m_store->inventory().claim(id, QStringLiteral("other@bench"))->granted);
        BatchOptions o;
        o.defaultProfile = kCert;
        auto runner = makeRunner(o);
        QVERIFY(runner->start());
        watch(runner.get());
        QTRY_VERIFY_WITH_TIMEOUT(runner->entries().size() == 1 && runner->isIdle(), 30000);
        QCOMPARE(runner->entries().first().status, Status::Busy);
        QVERIFY(runner->entries().first().message.contains(u"other@bench"));
        QCOMPARE(countKind(id, QStringLiteral("intent.write")), 0);
        QCOMPARE(m_store->inventory().get(id)->claimedBy, QStringLiteral("other@bench"));
    }

    void unpluggedMidWrite_failsWithWhatItHolds_andIsRetriedOnReplug()
    {
        QVERIFY(setUp({smp(0, 30)}));
        const QString id = sim::demoSmpConfig(0).name;
        BatchOptions o;
        o.defaultProfile = kCert;
        auto runner = makeRunner(o);
        QVERIFY(runner->start());
        watch(runner.get());
        // Pull the cable after the second write began.
        QTRY_VERIFY_WITH_TIMEOUT(countKind(id, QStringLiteral("intent.write")) >= 2, 30000);
        m_host->allDevices().first()->unplug();
        QTRY_VERIFY_WITH_TIMEOUT(runner->isIdle() && !runner->entries().isEmpty()
                && runner->entries().first().status == Status::Failed,
            30000);
        const BatchEntry &e = runner->entries().first();
        QVERIFY2(!e.message.isEmpty(), "a failure says why");
        auto inv = m_store->inventory().get(id);
        QCOMPARE(inv->state, QStringLiteral("failed"));
        QVERIFY(inv->claimedBy.isEmpty());
        QCOMPARE(m_store->audit().openIntents()->size(), 0); // every write has its outcome

        // Plugged in again: a new entry, written again from the start, done.
        auto *device = m_host->allDevices().first();
        const QString path = device->portPath();
        QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(path), 5000);
        QTest::qWait(400); // the discovery notices the port is gone
        QVERIFY(device->start(path));
        QTRY_VERIFY_WITH_TIMEOUT(runner->entries().size() == 2 && runner->isIdle()
                && runner->entries().last().isSettled(),
            30000);
        QVERIFY2(runner->entries().last().status == Status::Done, qPrintable(describe(*runner)));
        QCOMPARE(m_store->inventory().get(id)->state, QStringLiteral("verified"));
        QCOMPARE(countKind(id, QStringLiteral("intent.verify")), 1);
    }

    void interruptedRun_resumesWithoutRewritingFinishedDevices()
    {
        QVERIFY(setUp({smp(0, 15), smp(1, 15), smp(3, 15)}));
        const QString first = sim::demoSmpConfig(0).name;
        const QString second = sim::demoSmpConfig(1).name;
        const QString third = sim::demoSmpConfig(3).name;
        BatchOptions o;
        o.defaultProfile = kCert;
        o.parallel = 1;
        auto runner = makeRunner(o);
        QVERIFY(runner->start());
        watch(runner.get());
        // Cut the bench off while the second device is being written: its
        // intent stays open and its claim held, as after kill -9.
        QTRY_VERIFY_WITH_TIMEOUT(countKind(first, QStringLiteral("intent.verify")) == 1, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(countKind(second, QStringLiteral("intent.write")) >= 2, 60000);
        m_discovery.reset();
        runner.reset();
        QCOMPARE(m_store->inventory().get(second)->claimedBy, QStringLiteral("tester@bench"));
        QVERIFY(m_store->audit().openIntents()->size() >= 1);
        const int firstWrites = countKind(first, QStringLiteral("intent.write"));

        auto resumed = makeRunner(o);
        QVERIFY(resumed->start());
        QVERIFY(resumed->summary().interruptedClosed >= 1);
        QCOMPARE(m_store->audit().openIntents()->size(), 0);
        watch(resumed.get());
        QTRY_VERIFY_WITH_TIMEOUT(resumed->entries().size() == 3 && resumed->isIdle(), 60000);
        for (const QString &id : {first, second, third})
            QVERIFY2(entryFor(*resumed, id), qPrintable(describe(*resumed)));
        QCOMPARE(entryFor(*resumed, first)->status, Status::Skipped);
        QVERIFY2(
            entryFor(*resumed, second)->status == Status::Done, qPrintable(describe(*resumed)));
        QCOMPARE(entryFor(*resumed, third)->status, Status::Done);
        QCOMPARE(countKind(first, QStringLiteral("intent.write")), firstWrites);
        for (const QString &id : {first, second, third})
            QCOMPARE(countKind(id, QStringLiteral("intent.verify")), 1);
        // The interrupted write is on record as such.
        store::AuditFilter f;
        f.deviceId = second;
        f.kind = QStringLiteral("outcome.write");
        bool sawInterrupted = false;
        const auto outcomes = m_store->audit().records(f);
        QVERIFY(outcomes);
        for (const auto &r : *outcomes)
            sawInterrupted |= r.detailsObject().value(QStringLiteral("interrupted")).toBool();
        QVERIFY(sawInterrupted);
        QVERIFY(m_store->audit().verify()->ok());
    }

    void bleDevices_matchedByAddressOrName_buttonPressWaitedFor()
    {
        QVERIFY(setUp({}));
        sim::SimulatedBleBackend backend;
        backend.setAdvertisingIntervalMs(100);
        sim::addDemoPeripherals(backend);
        BatchOptions o;
        o.parallel = 3;
        o.expected = {
            {QStringLiteral("c4:de:e2:10:4a:01"), QStringLiteral("lab"), QString(), kWifiOnly, 2},
            {QStringLiteral("porch-light"), QStringLiteral("lab"), QString(), kWifiOnly, 3},
            {QStringLiteral("zephyr-ble-sensor"), QStringLiteral("lab"), QString(), kWifiOnly, 4},
        };
        auto runner = makeRunner(o, {}, &backend);
        QVERIFY(runner->start());
        ble::Scanner *scanner = backend.createScanner(nullptr);
        ble::Discovery discovery(scanner);
        scanner->setParent(&discovery);
        connect(&discovery, &ble::Discovery::deviceAdded, runner.get(),
            [&](const ble::BleDevice &d) { runner->addBleDevice(d); });
        discovery.start();
        // The plug asks for its button: the batch waits for it, then writes.
        auto *plug = qobject_cast<sim::SimulatedImprovPeripheral *>(
            backend.peripheral(QStringLiteral("C4:DE:E2:10:4A:01")));
        QVERIFY(plug);
        QTRY_VERIFY_WITH_TIMEOUT(runner->entries().size() == 3, 10000);
        QTest::qWait(500);
        plug->pressButton();
        QTRY_VERIFY2_WITH_TIMEOUT(runner->allExpectedDone(), qPrintable(describe(*runner)), 30000);
        QVERIFY2(runner->summary().done == 3, qPrintable(describe(*runner)));
        const BatchEntry *sensor = entryFor(*runner, QStringLiteral("zephyr-ble-sensor"));
        QVERIFY(sensor);
        QCOMPARE(sensor->transport, QStringLiteral("ble"));
        QCOMPARE(sensor->protocol, protocolName(DeviceProtocol::Smp));
        QCOMPARE(m_store->inventory().get(QStringLiteral("porch-light"))->transport,
            QStringLiteral("ble"));
    }

    void unknownProfile_refusesToStart()
    {
        QVERIFY(setUp({smp(0)}));
        BatchOptions o;
        o.expected = {{QStringLiteral("X"), QString(), QString(), QStringLiteral("nope"), 2}};
        auto runner = makeRunner(o);
        auto started = runner->start();
        QVERIFY(!started);
        QVERIFY(started.error().message.contains(u"nope"));
        BatchOptions none;
        auto runner2 = makeRunner(none);
        QVERIFY(!runner2->start());
    }
};

QTEST_GUILESS_MAIN(tst_BatchRunner)
#include "tst_batchrunner.moc"
