#include "app/cli/cliutil.h"
#include "app/cli/commands.h"
#include "app/cli/demooutcome.h"
#include "app/onboarding/deviceregistry.h"
#include "app/simulator/simulatorhost.h"
#include "app/transport/serialdiscovery.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTimer>

namespace provbench::cli {

namespace {

// What the demo does with device i: most join a network with the right
// password; every third uses a wrong one, to show how a failure is reported.
struct Plan
{
    QString ssid;
    QString password;
    bool expectSuccess = true;
};

Plan planFor(int index, const QList<sim::SimNetwork> &networks)
{
    const sim::SimNetwork &lab = networks.at(0);
    const sim::SimNetwork &warehouse = networks.at(1);
    if (index % 3 == 2)
        return {lab.ssid, QStringLiteral("not-the-password"), false};
    const sim::SimNetwork &net = index % 3 == 0 ? lab : warehouse;
    return {net.ssid, net.password, true};
}

using Outcome = DemoOutcome;

bool waitUntil(const std::function<bool()> &condition, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    QEventLoop loop;
    QTimer tick;
    QObject::connect(&tick, &QTimer::timeout, &loop, [&] {
        if (condition() || t.elapsed() > timeoutMs)
            loop.quit();
    });
    tick.start(25);
    if (!condition())
        loop.exec();
    return condition();
}

} // namespace

int demoCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Headless end-to-end demo: starts simulated Improv devices on ptys, "
        "discovers and identifies them, scans Wi-Fi and provisions each one (one "
        "in three with a wrong password, to show a failure), then prints what "
        "happened. Then does the same over Bluetooth LE with simulated peripherals, and "
        "commissions a batch of mixed devices (Improv, MCUmgr SMP, nRF91) from a CSV."));
    parser.addHelpOption();
    QCommandLineOption count(QStringLiteral("count"), QStringLiteral("Number of devices (1-32)."),
        QStringLiteral("N"), QStringLiteral("3"));
    QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print the outcome as JSON."));
    QCommandLineOption quiet(
        QStringLiteral("quiet"), QStringLiteral("Only print the final table."));
    QCommandLineOption noBle(
        QStringLiteral("no-ble"), QStringLiteral("Skip the simulated Bluetooth LE peripherals."));
    QCommandLineOption noBatch(
        QStringLiteral("no-batch"), QStringLiteral("Skip the batch of mixed devices."));
    parser.addOptions({count, json, quiet, noBle, noBatch});
    if (auto stop = parseCommandLine(parser, args, QStringLiteral("demo"), 0))
        return *stop;
    bool ok = false;
    const int n = parser.value(count).toInt(&ok);
    if (!ok || n < 1 || n > 32)
        return reportError(Error::make(
            Error::Code::InvalidArgument, QStringLiteral("--count takes a number from 1 to 32.")));
    const bool asJson = parser.isSet(json);
    const bool verbose = !asJson && !parser.isSet(quiet);
    auto say = [verbose](const QString &line) {
        if (!verbose)
            return;
        out() << QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss.zzz")) << "  "
              << line << '\n';
        out().flush();
    };

    QTemporaryDir dir;
    if (!dir.isValid())
        return reportError(Error::make(Error::Code::Io,
            QStringLiteral("Cannot create a temporary folder for the "
                           "simulated ports: check $TMPDIR.")));
    QList<sim::SimDeviceConfig> configs;
    for (int i = 0; i < n; ++i)
        configs.append(sim::demoConfig(i));
    sim::SimulatorHost host;
    if (auto started = host.start(dir.path(), configs); !started)
        return reportError(started.error());
    say(QStringLiteral("Started %1 simulated Improv devices in %2").arg(n).arg(dir.path()));

    SerialDiscovery::Options discoveryOptions;
    discoveryOptions.includeSystemPorts = false; // the demo touches only its own devices
    SerialDiscovery discovery(discoveryOptions);
    discovery.addWatchedDirectory(dir.path(), QStringLiteral("ttySIM*"));
    DeviceRegistry registry(&discovery);
    QObject::connect(&registry, &DeviceRegistry::deviceAdded, &registry, [&](int row) {
        say(QStringLiteral("Discovered %1").arg(registry.at(row)->record().port.path));
    });
    discovery.start();

    const bool discovered = waitUntil([&] { return registry.count() == n; }, 5000);
    if (!discovered)
        return reportError(Error::make(Error::Code::Timeout,
            QStringLiteral("Only %1 of %2 simulated ports appeared. "
                           "Check that ptys are available (/dev/ptmx).")
                .arg(registry.count())
                .arg(n)));
    auto idle = [&] {
        for (int i = 0; i < registry.count(); ++i) {
            if (registry.at(i)->isBusy())
                return false;
        }
        return true;
    };
    waitUntil(idle, 20000);

    QList<Outcome> outcomes;
    for (int i = 0; i < registry.count(); ++i) {
        DeviceSession *s = registry.at(i);
        Outcome o;
        o.port = QFileInfo(s->record().port.path).fileName();
        o.identity = s->record().identitySummary();
        if (s->record().state == OnboardingState::Failed) {
            o.message = s->record().failureReason;
            outcomes.append(o);
            continue;
        }
        say(QStringLiteral("%1 is %2 (%3)").arg(o.port, o.identity, s->record().info->deviceName));

        auto scan = await<QList<improv::WifiNetwork>>([&](auto done) {
            QObject::connect(
                s, &DeviceSession::scanFinished, s,
                [done](const QList<improv::WifiNetwork> &nets) { done(nets); },
                Qt::SingleShotConnection);
            QObject::connect(
                s, &DeviceSession::operationFinished, s,
                [done](const QString &, bool ok, const QString &msg) {
                    if (!ok)
                        done(fail(Error::Code::Device, msg));
                },
                Qt::SingleShotConnection);
            s->scanNetworks();
        });
        waitUntil([s] { return !s->isBusy(); }, 5000);
        if (scan) {
            QStringList names;
            for (const auto &net : *scan)
                names.append(QStringLiteral("%1 (%2)").arg(net.ssid).arg(net.rssi));
            o.networks = QString::number(scan->size());
            say(QStringLiteral("%1 sees %2").arg(o.port, names.join(QStringLiteral(", "))));
        }

        const Plan plan = planFor(i, configs.at(i).networks);
        o.ssid = plan.ssid;
        o.expected = plan.expectSuccess;
        say(QStringLiteral("%1: writing Wi-Fi \"%2\"%3")
                .arg(o.port, plan.ssid,
                    plan.expectSuccess ? QString() : QStringLiteral(" with a wrong password")));
        QElapsedTimer t;
        t.start();
        auto written = await<void>([&](auto done) {
            QObject::connect(
                s, &DeviceSession::operationFinished, s,
                [done](const QString &, bool ok, const QString &msg) {
                    done(ok ? Result<void>{} : fail(Error::Code::Device, msg));
                },
                Qt::SingleShotConnection);
            s->provisionWifi(plan.ssid, plan.password);
        });
        o.ms = t.elapsed();
        o.ok = bool(written);
        o.message = written ? QStringLiteral("provisioned, verified") : written.error().message;
        say(QStringLiteral("%1: %2").arg(o.port, o.message));
        outcomes.append(o);
    }

    if (!parser.isSet(noBle))
        outcomes += runBleDemo(say);
    if (!parser.isSet(noBatch))
        outcomes += runBatchDemo(say);

    bool asExpected = true;
    for (const Outcome &o : outcomes)
        asExpected = asExpected && o.ok == o.expected;

    if (asJson) {
        QJsonArray arr;
        for (const Outcome &o : outcomes)
            arr.append(QJsonObject{{QStringLiteral("port"), o.port},
                {QStringLiteral("device"), o.identity}, {QStringLiteral("ssid"), o.ssid},
                {QStringLiteral("ok"), o.ok}, {QStringLiteral("expected"), o.expected},
                {QStringLiteral("message"), o.message}, {QStringLiteral("ms"), o.ms}});
        printJson(QJsonObject{
            {QStringLiteral("devices"), arr}, {QStringLiteral("asExpected"), asExpected}});
    } else {
        out() << '\n';
        QList<QStringList> rows;
        for (const Outcome &o : outcomes)
            rows.append(
                {o.port, o.identity, o.networks, o.ssid, o.ok ? o.okWord : QStringLiteral("FAILED"),
                    QString::number(o.ms), o.ok ? QString() : o.message});
        printTable({QStringLiteral("PORT"), QStringLiteral("DEVICE"), QStringLiteral("NETWORKS"),
                       QStringLiteral("SSID"), QStringLiteral("RESULT"), QStringLiteral("MS"),
                       QStringLiteral("WHY")},
            rows);
        out() << '\n'
              << (asExpected ? "Demo finished: every device ended as planned (the wrong "
                               "password was meant to fail).\n"
                             : "Demo finished, but some devices did not end as planned: see "
                               "above.\n");
    }
    return asExpected ? ExitOk : ExitFailed;
}

} // namespace provbench::cli
