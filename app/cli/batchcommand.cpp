// provbench-cli batch run: commission every device that appears on a serial
// port (or over BLE) with its profile, several at once, until none is left
// in progress and none has appeared for the settle time.

#include "app/cli/clible.h"
#include "app/cli/clistore.h"
#include "app/cli/cliutil.h"
#include "app/cli/clivault.h"
#include "app/cli/commands.h"
#include "app/crypto/certificateauthority.h"
#include "app/onboarding/batch/batchrunner.h"
#include "app/onboarding/cryptomaterial.h"
#include "app/onboarding/handout.h"
#include "app/profiles/profilelibrary.h"
#include "app/simulator/ble/simulatedblebackend.h"
#include "app/storage/credentialledger.h"
#include "app/storage/vault.h"
#include "app/transport/ble/systembackend.h"
#include "app/transport/serialdiscovery.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonObject>
#include <QTimer>

#include <optional>

namespace provbench::cli {

using namespace provbench::onboarding;
using namespace provbench::onboarding::batch;
using provbench::profiles::ProfileLibrary;

namespace {

QJsonObject entryJson(const BatchEntry &e)
{
    return QJsonObject{{QStringLiteral("source"), e.source},
        {QStringLiteral("transport"), e.transport}, {QStringLiteral("device"), e.deviceId},
        {QStringLiteral("name"), e.name}, {QStringLiteral("site"), e.site},
        {QStringLiteral("profile"), e.profile}, {QStringLiteral("protocol"), e.protocol},
        {QStringLiteral("status"), statusName(e.status)}, {QStringLiteral("message"), e.message},
        {QStringLiteral("keys"), QJsonArray::fromStringList(e.keys)},
        {QStringLiteral("csvLine"), e.csvLine},
        {QStringLiteral("seconds"),
            e.finishedMs > 0 && e.startedMs > 0 ? double(e.finishedMs - e.startedMs) / 1000.0
                                                : 0.0}};
}

// Whether any profile of the batch needs the CA for some protocol, so the
// vault is unlocked before the first device rather than failing each one.
bool needsCa(const QList<profiles::Profile> &profiles)
{
    for (const auto &p : profiles)
        for (DeviceProtocol proto :
            {DeviceProtocol::Improv, DeviceProtocol::Smp, DeviceProtocol::Nrf91At})
            if (planNeedsCa(planCredentials(p, proto)))
                return true;
    return false;
}

int runAction(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Commission devices in a batch: every device that appears on a serial port (or over "
        "Bluetooth LE) is identified, matched against the CSV of expected devices, and "
        "provisioned with its profile, several at once. Devices already onboarded are skipped; "
        "devices not in the CSV are listed, not touched. Everything is recorded in the workspace "
        "store, so a batch that was interrupted (even by kill -9) resumes when run again, "
        "without writing a finished device twice.\n"
        "The vault passphrase (for profiles that issue keys or certificates) is read from "
        "$PROVBENCH_PASSPHRASE or stdin."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("run"));
    QCommandLineOption csv(QStringLiteral("csv"),
        QStringLiteral("CSV of expected devices: serial number, site, name, profile."),
        QStringLiteral("FILE"));
    QCommandLineOption profile(QStringLiteral("profile"),
        QStringLiteral("Profile for every device (without --csv) or for CSV rows that name none."),
        QStringLiteral("P"));
    QCommandLineOption portsDir(QStringLiteral("ports-dir"),
        QStringLiteral("Watch only this folder for ports (e.g. the links provbench-devsim "
                       "makes) instead of the system's serial ports."),
        QStringLiteral("DIR"));
    QCommandLineOption portsFilter(QStringLiteral("ports-filter"),
        QStringLiteral("With --ports-dir: entry names to take (default *)."),
        QStringLiteral("GLOB"), QStringLiteral("*"));
    QCommandLineOption parallel(QStringLiteral("parallel"),
        QStringLiteral("Devices worked on at once (default 4, at most 64)."), QStringLiteral("N"),
        QStringLiteral("4"));
    QCommandLineOption settle(QStringLiteral("settle"),
        QStringLiteral("End when nothing is in progress and no device has appeared for this "
                       "many seconds (default 10). With a CSV, the batch also ends as soon as "
                       "every expected device is done or skipped."),
        QStringLiteral("SECONDS"), QStringLiteral("10"));
    QCommandLineOption bleOpt(QStringLiteral("ble"),
        QStringLiteral("Also take devices advertising Improv or MCUmgr SMP over Bluetooth LE."));
    QCommandLineOption bleSimulated(QStringLiteral("ble-simulated"),
        QStringLiteral("Like --ble, with the simulated BLE peripherals instead of the adapter."));
    QCommandLineOption estUrl(QStringLiteral("est-url"),
        QStringLiteral("EST server URL for dynamic EST profiles, instead of the profile's."),
        QStringLiteral("URL"));
    QCommandLineOption probeTimeout(QStringLiteral("probe-timeout"),
        QStringLiteral("Milliseconds each protocol probe waits for an answer (default 800)."),
        QStringLiteral("MS"), QStringLiteral("800"));
    QCommandLineOption json(QStringLiteral("json"),
        QStringLiteral("Print every device and the summary as JSON at the end."));
    parser.addOptions({csv, profile, portsDir, portsFilter, parallel, settle, bleOpt, bleSimulated,
        estUrl, probeTimeout, json, workspaceOption(), databaseOption()});
    if (auto stop = parseCommandLine(parser, args, QStringLiteral("batch"), 1))
        return *stop;
    auto usage = [](const QString &msg) {
        return reportError(Error::make(Error::Code::InvalidArgument,
            msg + QStringLiteral(" Run 'provbench-cli batch run --help'.")));
    };
    if (parser.positionalArguments().value(0) != u"run")
        return usage(QStringLiteral("The action is \"run\"."));
    bool ok = false;
    const int parallelN = parser.value(parallel).toInt(&ok);
    if (!ok || parallelN < 1 || parallelN > 64)
        return usage(QStringLiteral("--parallel takes 1 to 64."));
    const double settleS = parser.value(settle).toDouble(&ok);
    if (!ok || settleS < 0 || settleS > 86400)
        return usage(QStringLiteral("--settle takes seconds from 0 to 86400."));
    const int probeMs = parser.value(probeTimeout).toInt(&ok);
    if (!ok || probeMs < 50 || probeMs > 60000)
        return usage(QStringLiteral("--probe-timeout takes 50 to 60000 ms."));
    if (!parser.isSet(csv) && !parser.isSet(profile))
        return usage(QStringLiteral("Give --csv, --profile or both."));
    if (parser.isSet(bleOpt) && parser.isSet(bleSimulated))
        return usage(QStringLiteral("--ble and --ble-simulated exclude each other."));

    auto ws = Workspace::open(workspaceArgument(parser));
    if (!ws)
        return reportError(ws.error());
    ProfileLibrary library(*ws);

    BatchOptions options;
    options.defaultProfile = parser.value(profile);
    options.parallel = parallelN;
    options.probeTimeout = std::chrono::milliseconds(probeMs);
    if (parser.isSet(csv)) {
        journey::ExpectedDevicesOptions csvOptions;
        csvOptions.defaultProfile = options.defaultProfile;
        // A profile column names a profile of this workspace, by id or name.
        for (const auto &entry : library.entries())
            csvOptions.knownProfiles << entry.id << entry.name;
        auto rows = journey::readExpectedDevices(parser.value(csv), csvOptions);
        if (!rows)
            return reportError(rows.error());
        if (rows->isEmpty())
            return usage(QStringLiteral("The CSV lists no devices."));
        options.expected = *rows;
    }

    auto store = openStoreForWriting(parser);
    if (!store)
        return reportError(store.error());

    BatchEnvironment env;
    env.workspacePath = ws->path();
    env.store = store->get();
    env.benchId = store::AuditLog::defaultActor();
    env.estUrl = parser.value(estUrl);
    env.resolveProfile = [&library](const QString &ref) { return library.resolve(ref); };

    // Profiles first (cheap, and the usual mistake), then the vault.
    QList<profiles::Profile> used;
    QStringList names{options.defaultProfile};
    for (const auto &x : std::as_const(options.expected))
        names << x.profile;
    names.removeDuplicates();
    names.removeAll(QString());
    for (const QString &n : std::as_const(names)) {
        auto p = library.resolve(n);
        if (!p)
            return reportError(p.error());
        used << *p;
    }
    std::optional<WorkspaceVault> vault;
    std::optional<crypto::CertificateAuthority> ca;
    std::optional<CredentialLedger> ledger;
    if (needsCa(used) || Vault::exists(*ws)) {
        auto opened = openWorkspaceAndVault(ws->path(), VaultMode::Unlock);
        if (!opened)
            return reportError(opened.error());
        vault = std::move(*opened);
        if (crypto::CertificateAuthority::exists(*ws)) {
            auto loaded = crypto::CertificateAuthority::open(*ws, vault->vault);
            if (!loaded)
                return reportError(loaded.error());
            ca = std::move(*loaded);
            env.ca = &*ca;
        } else if (needsCa(used)) {
            return reportError(Error::make(Error::Code::NotFound,
                QStringLiteral("The profiles issue keys or certificates, but this workspace has "
                               "no CA yet; create one with 'provbench-cli ca init'.")));
        }
        auto key = ledgerKey(*ws, vault->vault);
        auto opened2 = key ? CredentialLedger::open(*ws, *key)
                           : Result<CredentialLedger>(std::unexpected(key.error()));
        if (opened2) {
            ledger = std::move(*opened2);
            env.ledger = &*ledger;
        } else {
            err() << "warning: the credential ledger cannot be opened, so credential reuse is not "
                     "tracked: "
                  << opened2.error().message << '\n';
        }
    }

    std::unique_ptr<ble::Backend> bleBackend;
    std::unique_ptr<ble::Discovery> bleDiscovery;
    if (parser.isSet(bleSimulated)) {
        auto sim = std::make_unique<sim::SimulatedBleBackend>();
        sim->setAdvertisingIntervalMs(300);
        sim::addDemoPeripherals(*sim);
        bleBackend = std::move(sim);
    } else if (parser.isSet(bleOpt)) {
        bleBackend = ble::createSystemBackend();
    }
    env.bleBackend = bleBackend.get();

    BatchRunner runner(env, options);
    const bool asJson = parser.isSet(json);
    QElapsedTimer sinceActivity;
    sinceActivity.start();
    QObject::connect(&runner, &BatchRunner::entryAdded, &runner, [&](int row) {
        sinceActivity.restart();
        if (!asJson) {
            out() << "found     " << runner.entries()[row].source << '\n';
            out().flush();
        }
    });
    QObject::connect(&runner, &BatchRunner::entryChanged, &runner, [&](int row) {
        sinceActivity.restart();
        const BatchEntry &e = runner.entries()[row];
        if (asJson || !e.isSettled() || e.finishedMs == 0)
            return;
        out() << statusName(e.status).leftJustified(10) << e.source << "  "
              << (e.deviceId.isEmpty() ? QStringLiteral("-") : e.deviceId);
        if (!e.protocol.isEmpty())
            out() << " (" << e.protocol
                  << (e.profile.isEmpty() ? QString() : QStringLiteral(", ") + e.profile) << ")";
        out() << ": " << e.message << '\n';
        out().flush();
    });
    QObject::connect(&runner, &BatchRunner::problem, &runner, [](const QString &message) {
        err() << "warning: " << message << '\n';
        err().flush();
    });
    if (auto started = runner.start(); !started)
        return reportError(started.error());
    const BatchSummary atStart = runner.summary();
    if (atStart.interruptedClosed > 0 && !asJson)
        out() << "Resuming: " << atStart.interruptedClosed
              << " write(s) of an interrupted earlier run were closed as interrupted; those "
                 "devices are written again when they appear.\n";

    if (!asJson) {
        out() << "Batch started: "
              << (options.expected.isEmpty()
                         ? QStringLiteral("every device that appears gets \"%1\"")
                               .arg(options.defaultProfile)
                         : QStringLiteral("%1 expected device(s)").arg(options.expected.size()))
              << ", " << parallelN << " at a time; watching "
              << (parser.isSet(portsDir) ? parser.value(portsDir)
                                         : QStringLiteral("the system's serial ports"))
              << (bleBackend ? QStringLiteral(" and Bluetooth LE") : QString()) << ".\n";
        out().flush();
    }

    SerialDiscovery::Options discoveryOptions;
    discoveryOptions.includeSystemPorts = !parser.isSet(portsDir);
    SerialDiscovery discovery(discoveryOptions);
    if (parser.isSet(portsDir))
        discovery.addWatchedDirectory(parser.value(portsDir), parser.value(portsFilter));
    QObject::connect(&discovery, &SerialDiscovery::portAdded, &runner,
        [&runner](const PortInfo &p) { runner.addSerialPort(p); });
    QObject::connect(&discovery, &SerialDiscovery::portRemoved, &runner,
        [&runner](const PortInfo &p) { runner.removeSerialPort(p.path); });
    discovery.start();

    if (bleBackend) {
        ble::Scanner *scanner = bleBackend->createScanner(nullptr);
        bleDiscovery = std::make_unique<ble::Discovery>(scanner);
        scanner->setParent(bleDiscovery.get());
        QObject::connect(bleDiscovery.get(), &ble::Discovery::deviceAdded, &runner,
            [&runner](const ble::BleDevice &d) { runner.addBleDevice(d); });
        QObject::connect(bleDiscovery.get(), &ble::Discovery::deviceRemoved, &runner,
            [&runner](const QString &address) { runner.removeBleDevice(address); });
        const ble::AdapterStatus status = startScanner(*bleDiscovery);
        if (!status.ok())
            return reportAdapter(status);
        for (const ble::BleDevice &d : bleDiscovery->table().devices())
            runner.addBleDevice(d);
    }

    // The end: nothing in progress and either every expected device settled
    // or nothing new for the settle time.
    QTimer check;
    check.setInterval(200);
    QObject::connect(&check, &QTimer::timeout, &runner, [&] {
        if (!runner.isIdle())
            return;
        if (runner.allExpectedDone() || sinceActivity.elapsed() >= qint64(settleS * 1000))
            QCoreApplication::quit();
    });
    check.start();
    if (auto ok = quitOnSignals(&runner); !ok)
        return reportError(ok.error());
    QCoreApplication::exec();
    check.stop();
    discovery.stop();
    if (bleDiscovery)
        bleDiscovery->stop();

    // Interrupted by a signal: devices in progress finish (a cut-off write is
    // what a crash leaves; finishing is kinder to the device).
    if (!runner.isIdle()) {
        err() << "Stopping: waiting for the devices in progress to finish...\n";
        err().flush();
        runner.stop();
        QEventLoop wait;
        QObject::connect(&runner, &BatchRunner::idle, &wait, &QEventLoop::quit);
        QTimer::singleShot(120000, &wait, &QEventLoop::quit);
        if (!runner.isIdle())
            wait.exec();
    } else {
        runner.stop();
    }

    const BatchSummary s = runner.summary();
    const bool good = s.failed == 0 && s.busy == 0 && s.inProgress == 0 && s.notSeen.isEmpty();
    if (asJson) {
        QJsonArray devices;
        for (const BatchEntry &e : runner.entries())
            devices.append(entryJson(e));
        printJson(QJsonObject{{QStringLiteral("ok"), good}, {QStringLiteral("devices"), devices},
            {QStringLiteral("summary"),
                QJsonObject{{QStringLiteral("seen"), s.seen}, {QStringLiteral("done"), s.done},
                    {QStringLiteral("skipped"), s.skipped}, {QStringLiteral("unknown"), s.unknown},
                    {QStringLiteral("busy"), s.busy}, {QStringLiteral("failed"), s.failed},
                    {QStringLiteral("inProgress"), s.inProgress},
                    {QStringLiteral("expected"), s.expected},
                    {QStringLiteral("notSeen"), QJsonArray::fromStringList(s.notSeen)},
                    {QStringLiteral("interruptedClosed"), s.interruptedClosed}}}});
        return good ? ExitOk : ExitFailed;
    }
    out() << "\nBatch finished: " << s.done << " done, " << s.skipped << " skipped (done before), "
          << s.failed << " failed, " << s.unknown << " unknown (not touched)";
    if (s.busy > 0)
        out() << ", " << s.busy << " held by another bench";
    out() << ".\n";
    if (s.unknown > 0) {
        out() << "Devices not in the CSV:\n";
        for (const BatchEntry &e : runner.entries())
            if (e.status == BatchEntry::Status::Unknown)
                out() << "  " << e.source << ": " << e.message << '\n';
    }
    if (!s.notSeen.isEmpty())
        out() << "Expected but not seen (" << s.notSeen.size()
              << "): " << s.notSeen.mid(0, 20).join(QStringLiteral(", "))
              << (s.notSeen.size() > 20 ? QStringLiteral(", ...") : QString()) << '\n';
    if (s.failed > 0)
        out() << "Failed devices are retried when they are plugged in again, or by running the "
                 "batch again.\n";
    out().flush();
    return good ? ExitOk : ExitFailed;
}

} // namespace

int batchCommand(const QStringList &args)
{
    return runAction(args);
}

} // namespace provbench::cli
