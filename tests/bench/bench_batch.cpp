// A simulated batch end to end: N mixed devices (Improv, MCUmgr SMP, nRF91
// in turn) behind ptys made by provbench-devsim processes (50 devices each),
// a CSV of all of them, a workspace with a vault, a CA and a store, and a
// BatchRunner fed by a SerialDiscovery watching the simulators' folders, as
// `provbench-cli batch run` does. Reports the wall time until every device is
// settled and the CPU time of this process (the bench side only: the
// simulators run in their own processes) per device.
//
//   ninja -C build bench_batch provbench-devsim
//   build/tests/bench/bench_batch build/app/provbench-devsim 200 8

#include "app/crypto/certificateauthority.h"
#include "app/onboarding/batch/batchrunner.h"
#include "app/profiles/profilelibrary.h"
#include "app/simulator/simconfig.h"
#include "app/simulator/simulatedmodem.h"
#include "app/simulator/simulatedsmpdevice.h"
#include "app/storage/store/store.h"
#include "app/storage/vault.h"
#include "app/storage/workspace.h"
#include "app/transport/serialdiscovery.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QMap>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>

#include <sys/resource.h>

#include <cstdio>

using namespace provbench;
using namespace provbench::onboarding::batch;

namespace {

constexpr int kPerSimulator = 50;

double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
        + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

[[noreturn]] void die(const QString &message)
{
    std::fprintf(stderr, "bench_batch: %s\n", qPrintable(message));
    std::exit(1);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2)
        die(QStringLiteral("usage: bench_batch PROVBENCH-DEVSIM [DEVICES=200] [PARALLEL=8]"));
    const QString devsim = args.at(1);
    const int count = args.size() > 2 ? args.at(2).toInt() : 200;
    const int parallel = args.size() > 3 ? args.at(3).toInt() : 8;
    if (count < 1 || parallel < 1)
        die(QStringLiteral("DEVICES and PARALLEL are positive numbers"));

    QTemporaryDir dir;
    auto ws = Workspace::open(dir.filePath(QStringLiteral("ws")));
    if (!ws)
        die(ws.error().message);
    auto vault = Vault::create(*ws, "bench batch passphrase");
    if (!vault)
        die(vault.error().message);
    auto ca = crypto::CertificateAuthority::createRoot(*ws, *vault, {});
    if (!ca)
        die(ca.error().message);
    auto store = store::Store::open(QString(), ws->path(), QStringLiteral("bench@bench"));
    if (!store)
        die(store.error().message);

    // The simulators, 50 devices each, with distinct identities.
    QList<QProcess *> simulators;
    QStringList folders;
    for (int first = 0; first < count; first += kPerSimulator) {
        const int n = std::min(kPerSimulator, count - first);
        const QString folder = dir.filePath(QStringLiteral("sim%1").arg(first));
        auto *p = new QProcess(&app);
        p->setProgram(devsim);
        p->setArguments({QStringLiteral("--dir"), folder, QStringLiteral("--count"),
            QString::number(n), QStringLiteral("--first"), QString::number(first),
            QStringLiteral("--kind"), QStringLiteral("mixed"), QStringLiteral("--latency"),
            QStringLiteral("5"), QStringLiteral("--no-noise")});
        p->setStandardOutputFile(QProcess::nullDevice());
        p->start();
        if (!p->waitForStarted())
            die(QStringLiteral("cannot start %1").arg(devsim));
        simulators << p;
        folders << folder;
        const QString last = folder + QStringLiteral("/ttySIM%1").arg(n - 1);
        QElapsedTimer wait;
        wait.start();
        while (!QFileInfo::exists(last) && wait.elapsed() < 10000)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        if (!QFileInfo::exists(last))
            die(QStringLiteral("the simulator did not make %1").arg(last));
    }

    const profiles::Profile wifi = sim::labWifiProfile();
    auto sample = profiles::sampleProfile(QStringLiteral("bench-certificate-per-device"));
    if (!sample)
        die(sample.error().message);
    const profiles::Profile cert = *sample;
    BatchOptions options;
    options.parallel = parallel;
    for (int i = 0; i < count; ++i) {
        journey::ExpectedDevice d;
        d.site = QStringLiteral("bench");
        d.line = i + 2;
        switch (i % 3) {
        case 0:
            d.serialNumber = sim::demoConfig(i).deviceName;
            d.profile = wifi.name;
            break;
        case 1:
            d.serialNumber = sim::demoSmpConfig(i).name;
            d.profile = cert.name;
            break;
        default:
            d.serialNumber = sim::demoModemConfig(i).imei;
            d.profile = cert.name;
            break;
        }
        options.expected << d;
    }
    BatchEnvironment env;
    env.workspacePath = ws->path();
    env.store = store->get();
    env.ca = &*ca;
    env.benchId = QStringLiteral("bench@bench");
    env.resolveProfile = [&](const QString &name) -> Result<profiles::Profile> {
        if (name == wifi.name)
            return wifi;
        return cert;
    };
    BatchRunner runner(env, options);
    if (auto ok = runner.start(); !ok)
        die(ok.error().message);

    SerialDiscovery::Options o;
    o.includeSystemPorts = false;
    SerialDiscovery discovery(o);
    for (const QString &f : std::as_const(folders))
        discovery.addWatchedDirectory(f, QStringLiteral("ttySIM*"));
    QObject::connect(&discovery, &SerialDiscovery::portAdded, &runner,
        [&runner](const PortInfo &p) { runner.addSerialPort(p); });

    const double cpu0 = cpuSeconds();
    QElapsedTimer wall;
    wall.start();
    discovery.start();
    QTimer check;
    QObject::connect(&check, &QTimer::timeout, &app, [&] {
        if (runner.entries().size() >= count && runner.isIdle())
            app.quit();
        if (wall.elapsed() > 30 * 60 * 1000)
            app.quit();
    });
    check.start(50);
    app.exec();
    const double wallS = double(wall.elapsed()) / 1000.0;
    const double cpuS = cpuSeconds() - cpu0;
    runner.stop();

    const BatchSummary s = runner.summary();
    QList<qint64> perDevice;
    for (const BatchEntry &e : runner.entries())
        if (e.status == BatchEntry::Status::Done)
            perDevice << e.finishedMs - e.startedMs;
    std::sort(perDevice.begin(), perDevice.end());
    auto pct = [&](double p) {
        return perDevice.isEmpty() ? 0 : perDevice[qsizetype(p * double(perDevice.size() - 1))];
    };
    std::printf("devices %d, parallel %d: %d done, %d failed, %d unknown\n", count, parallel,
        s.done, s.failed, s.unknown);
    std::printf("wall %.1f s (%.2f devices/s), bench CPU %.1f s = %.0f ms per device\n", wallS,
        double(count) / wallS, cpuS, cpuS * 1000.0 / double(count));
    std::printf("per device (open to port closed): p50 %lld ms, p90 %lld ms, max %lld ms\n",
        static_cast<long long>(pct(0.5)), static_cast<long long>(pct(0.9)),
        static_cast<long long>(perDevice.isEmpty() ? 0 : perDevice.last()));
    // By protocol: identification costs differ (the probe asks SMP, then AT,
    // then Improv, so an Improv device waits out two probe timeouts).
    QMap<QString, QList<qint64>> byProtocol;
    for (const BatchEntry &e : runner.entries())
        if (e.status == BatchEntry::Status::Done)
            byProtocol[e.protocol] << e.finishedMs - e.startedMs;
    for (auto it = byProtocol.begin(); it != byProtocol.end(); ++it) {
        std::sort(it->begin(), it->end());
        std::printf("  %-22s %3lld devices, p50 %lld ms\n", qPrintable(it.key()),
            static_cast<long long>(it->size()), static_cast<long long>(it->at(it->size() / 2)));
    }
    for (const BatchEntry &e : runner.entries())
        if (e.status == BatchEntry::Status::Failed)
            std::printf("failed %s %s: %s\n", qPrintable(e.source), qPrintable(e.deviceId),
                qPrintable(e.message));
    for (QProcess *p : std::as_const(simulators)) {
        p->terminate();
        p->waitForFinished(5000);
    }
    return s.done == count ? 0 : 1;
}
