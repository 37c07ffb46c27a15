// The batch part of the headless demo: a CSV-driven batch over mixed
// simulated devices (Improv, MCUmgr SMP, nRF91) in a throwaway workspace with
// its own vault and CA, one device left out of the CSV to show that unknown
// devices are listed and not touched.

#include "app/cli/cliutil.h"
#include "app/cli/demooutcome.h"
#include "app/crypto/certificateauthority.h"
#include "app/onboarding/batch/batchrunner.h"
#include "app/onboarding/journey/board.h"
#include "app/profiles/profilelibrary.h"
#include "app/simulator/simulatedmodem.h"
#include "app/simulator/simulatedsmpdevice.h"
#include "app/simulator/simulatorhost.h"
#include "app/storage/store/store.h"
#include "app/storage/vault.h"
#include "app/storage/workspace.h"
#include "app/transport/serialdiscovery.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTimer>

namespace provbench::cli {

using namespace provbench::onboarding::batch;

namespace {

constexpr int kDevices = 6; // Improv, SMP, nRF91 twice
constexpr int kFirst = 20;  // distinct from the serial part's devices
constexpr int kLeftOut = 4; // the second SMP board is not in the CSV

QList<DemoOutcome> failed(const QString &why)
{
    DemoOutcome o;
    o.port = QStringLiteral("batch");
    o.expected = true;
    o.message = why;
    return {o};
}

} // namespace

QList<DemoOutcome> runBatchDemo(const std::function<void(const QString &)> &say)
{
    QTemporaryDir dir;
    if (!dir.isValid())
        return failed(QStringLiteral("Cannot create a temporary folder: check $TMPDIR."));
    // A throwaway workspace: its vault passphrase is random and forgotten.
    auto ws = Workspace::open(dir.filePath(QStringLiteral("workspace")));
    if (!ws)
        return failed(ws.error().message);
    const QByteArray passphrase
        = QByteArray::number(QRandomGenerator::system()->generate64(), 16).repeated(2);
    auto vault = Vault::create(*ws, passphrase);
    if (!vault)
        return failed(vault.error().message);
    auto ca = crypto::CertificateAuthority::createRoot(*ws, *vault, {});
    if (!ca)
        return failed(ca.error().message);
    auto store = store::Store::open(QString(), ws->path(), QStringLiteral("demo@bench"));
    if (!store)
        return failed(store.error().message);
    const profiles::Profile wifi = sim::labWifiProfile();
    auto cert = profiles::sampleProfile(QStringLiteral("bench-certificate-per-device"));
    if (!cert)
        return failed(cert.error().message);

    QList<sim::SimulatedSerialDevice *> devices;
    BatchOptions options;
    options.parallel = 3;
    for (int i = kFirst; i < kFirst + kDevices; ++i) {
        journey::ExpectedDevice x;
        x.site = QStringLiteral("demo");
        x.line = i - kFirst + 2;
        if (i % 3 == 0) {
            auto c = sim::demoConfig(i);
            c.logNoise = false;
            devices << new sim::SimulatedImprovDevice(c);
            x.serialNumber = c.deviceName;
            x.profile = wifi.name;
        } else if (i % 3 == 1) {
            auto c = sim::demoSmpConfig(i);
            c.logNoise = false;
            c.selfEnroll = false;
            devices << new sim::SimulatedSmpDevice(c);
            x.serialNumber = c.name;
            x.profile = cert->name;
        } else {
            auto c = sim::demoModemConfig(i);
            c.logNoise = false;
            devices << new sim::SimulatedModem(c);
            x.serialNumber = c.imei;
            x.profile = cert->name;
        }
        if (i - kFirst != kLeftOut)
            options.expected << x;
    }
    sim::SimulatorHost host;
    if (auto ok = host.start(dir.filePath(QStringLiteral("sim")), devices); !ok)
        return failed(ok.error().message);
    say(QStringLiteral("Batch: %1 mixed devices (Improv, MCUmgr SMP, nRF91); the CSV lists %2 of "
                       "them")
            .arg(kDevices)
            .arg(options.expected.size()));

    BatchEnvironment env;
    env.workspacePath = ws->path();
    env.store = store->get();
    env.ca = &*ca;
    env.benchId = QStringLiteral("demo@bench");
    env.resolveProfile = [&](const QString &name) -> Result<profiles::Profile> {
        return name == wifi.name ? wifi : *cert;
    };
    BatchRunner runner(env, options);
    QObject::connect(&runner, &BatchRunner::entryChanged, &runner, [&](int row) {
        const BatchEntry &e = runner.entries()[row];
        if (e.isSettled())
            say(QStringLiteral("Batch: %1 %2 %3: %4")
                    .arg(QFileInfo(e.source).fileName(), statusName(e.status),
                        e.deviceId.isEmpty() ? QStringLiteral("-") : e.deviceId, e.message));
    });
    if (auto ok = runner.start(); !ok)
        return failed(ok.error().message);
    SerialDiscovery::Options o;
    o.includeSystemPorts = false;
    SerialDiscovery discovery(o);
    discovery.addWatchedDirectory(host.directory(), QStringLiteral("ttySIM*"));
    QObject::connect(&discovery, &SerialDiscovery::portAdded, &runner,
        [&runner](const PortInfo &p) { runner.addSerialPort(p); });
    discovery.start();

    QElapsedTimer clock;
    clock.start();
    QEventLoop loop;
    QTimer tick;
    QObject::connect(&tick, &QTimer::timeout, &loop, [&] {
        if ((runner.entries().size() == kDevices && runner.isIdle()) || clock.elapsed() > 60000)
            loop.quit();
    });
    tick.start(50);
    loop.exec();
    runner.stop();
    discovery.stop();

    QList<DemoOutcome> outcomes;
    for (const BatchEntry &e : runner.entries()) {
        DemoOutcome d;
        d.port = QFileInfo(e.source).fileName() + QStringLiteral(" (batch)");
        d.identity = e.deviceId.isEmpty() ? e.keys.value(0) : e.deviceId;
        d.ssid = e.profile;
        d.ms = e.finishedMs - e.startedMs;
        const bool unknown = e.status == BatchEntry::Status::Unknown;
        d.expected = true;
        d.ok = e.status == BatchEntry::Status::Done || unknown;
        d.okWord = unknown ? QStringLiteral("NOT IN CSV") : QStringLiteral("ONBOARDED");
        d.message = e.message;
        outcomes << d;
    }
    if (outcomes.size() < kDevices)
        outcomes += failed(
            QStringLiteral("Only %1 of %2 devices were seen.").arg(outcomes.size()).arg(kDevices));
    journey::Board board;
    if (board.load(**store))
        say(QStringLiteral("Batch: the board shows %1 onboarded of %2 devices, in %3 ms")
                .arg(board.counts().at(journey::Stage::Onboarded))
                .arg(board.size())
                .arg(clock.elapsed()));
    return outcomes;
}

} // namespace provbench::cli
