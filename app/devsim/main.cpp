// provbench-devsim: runs simulated Improv devices behind pseudo-terminals so the
// workbench (or any serial tool) can be tried without hardware.

#include "app/simulator/simconfig.h"
#include "app/simulator/simulatorhost.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QMap>
#include <QSocketNotifier>
#include <QTextStream>
#include <QTime>

#include <csignal>
#include <cstdlib>
#include <sys/signalfd.h>
#include <unistd.h>

using namespace provbench;
using namespace provbench::sim;

namespace {

constexpr int kExitUsage = 2;
constexpr int kMaxCount = 64;

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

QTextStream &err()
{
    static QTextStream s(stderr);
    return s;
}

[[noreturn]] void usageError(const QString &message)
{
    err() << "provbench-devsim: " << message << "\nRun provbench-devsim --help for the options.\n";
    err().flush();
    std::exit(kExitUsage);
}

int parseInt(const QString &text, const QString &option, int min, int max)
{
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value < min || value > max)
        usageError(QStringLiteral("%1 needs a whole number from %2 to %3, not \"%4\".")
                       .arg(option)
                       .arg(min)
                       .arg(max)
                       .arg(text));
    return value;
}

QString pad(const QString &text, int width)
{
    return text.leftJustified(width, QLatin1Char(' '));
}

void printTable(const SimulatorHost &host)
{
    out() << "Simulated Improv devices in " << host.directory() << ":\n\n";
    out() << pad(QStringLiteral("PORT"), 34) << pad(QStringLiteral("DEVICE NAME"), 18)
          << pad(QStringLiteral("FIRMWARE"), 20) << pad(QStringLiteral("CHIP"), 10) << "NOTES\n";
    for (const SimulatedImprovDevice *d : host.devices()) {
        const SimDeviceConfig &c = d->config();
        QStringList notes;
        if (c.fourStringInfo)
            notes << QStringLiteral("4-string device info");
        if (c.legacyFirmware)
            notes << QStringLiteral("no hostname/name/network-state commands");
        if (const QString f = faultsToString(c.faults); !f.isEmpty())
            notes << QStringLiteral("faults: ") + f;
        out() << pad(d->portPath(), 34) << pad(c.deviceName, 18)
              << pad(c.firmwareName + QLatin1Char(' ') + c.firmwareVersion, 20)
              << pad(c.hardware, 10) << notes.join(QStringLiteral("; ")) << "\n";
    }
    // The demo passwords are printed on purpose: the user has to type them.
    out() << "\nSimulated Wi-Fi networks (use these in the workbench):\n\n";
    out() << pad(QStringLiteral("SSID"), 16) << pad(QStringLiteral("RSSI"), 8) << "PASSWORD\n";
    const QList<SimNetwork> nets = host.devices().isEmpty()
        ? QList<SimNetwork>{}
        : host.devices().first()->config().networks;
    for (const SimNetwork &n : nets)
        out() << pad(n.ssid, 16) << pad(QString::number(n.rssi), 8)
              << (n.password.isEmpty() ? QStringLiteral("(open network, no password)") : n.password)
              << "\n";
    out() << "\nPress Ctrl+C to stop; the links are removed on exit.\n";
    out().flush();
}

} // namespace

int main(int argc, char *argv[])
{
    // Blocked before any thread exists, so every thread inherits the mask and
    // the signals are only ever delivered through the signalfd below.
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &mask, nullptr);

    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("provbench-devsim"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PROVBENCH_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Runs simulated Improv Wi-Fi serial devices behind pseudo-terminals, "
                       "linked as <dir>/ttySIM0, ttySIM1, ..."));
    const auto help = parser.addHelpOption();
    const auto version = parser.addVersionOption();
    const QCommandLineOption dirOpt(QStringLiteral("dir"),
        QStringLiteral("Folder for the port links (created if needed)."), QStringLiteral("folder"));
    const QCommandLineOption countOpt(QStringLiteral("count"),
        QStringLiteral("Number of devices, 1-%1 (default 1).").arg(kMaxCount), QStringLiteral("n"),
        QStringLiteral("1"));
    const QCommandLineOption faultOpt(QStringLiteral("fault"),
        QStringLiteral("Faults for device INDEX, e.g. 1:bad-checksum=2,drop=1,garbage=1,"
                       "no-answer=1,disconnect-at=120. Repeatable."),
        QStringLiteral("index:spec"));
    const QCommandLineOption latencyOpt(QStringLiteral("latency"),
        QStringLiteral("Delay before each answer, in ms."), QStringLiteral("ms"));
    const QCommandLineOption noNoiseOpt(
        QStringLiteral("no-noise"), QStringLiteral("Do not print log lines between packets."));
    const QCommandLineOption seedOpt(QStringLiteral("seed"),
        QStringLiteral("Seed for RSSI jitter and noise."), QStringLiteral("s"));
    const QCommandLineOption kindOpt(QStringLiteral("kind"),
        QStringLiteral("Device kind: improv (default)."), QStringLiteral("kind"),
        QStringLiteral("improv"));
    parser.addOptions({dirOpt, countOpt, faultOpt, latencyOpt, noNoiseOpt, seedOpt, kindOpt});

    if (!parser.parse(QCoreApplication::arguments()))
        usageError(parser.errorText());
    if (parser.isSet(help))
        parser.showHelp(0);
    if (parser.isSet(version))
        parser.showVersion();
    if (!parser.positionalArguments().isEmpty())
        usageError(QStringLiteral("Unexpected argument \"%1\".")
                       .arg(parser.positionalArguments().first()));
    if (const QString kind = parser.value(kindOpt); kind != QLatin1String("improv"))
        usageError(QStringLiteral("Unknown --kind \"%1\": only \"improv\" is available in this "
                                  "version.")
                       .arg(kind));
    if (!parser.isSet(dirOpt) || parser.value(dirOpt).isEmpty())
        usageError(QStringLiteral("--dir is required: the folder where the port links are made, "
                                  "e.g. --dir /tmp/provbench-sim."));

    const int count = parseInt(parser.value(countOpt), QStringLiteral("--count"), 1, kMaxCount);
    QList<SimDeviceConfig> configs;
    for (int i = 0; i < count; ++i)
        configs.append(demoConfig(i));

    // Several --fault options for one device are combined into one spec.
    QMap<int, QStringList> faultSpecs;
    for (const QString &f : parser.values(faultOpt)) {
        const qsizetype colon = f.indexOf(QLatin1Char(':'));
        if (colon <= 0)
            usageError(QStringLiteral("--fault \"%1\" needs the form INDEX:SPEC, e.g. "
                                      "0:bad-checksum=1.")
                           .arg(f));
        const int index
            = parseInt(f.first(colon), QStringLiteral("The device index of --fault"), 0, count - 1);
        faultSpecs[index].append(f.sliced(colon + 1));
    }
    for (auto it = faultSpecs.cbegin(); it != faultSpecs.cend(); ++it) {
        auto faults = parseFaults(it.value().join(QLatin1Char(',')));
        if (!faults)
            usageError(QStringLiteral("--fault for device %1: %2")
                           .arg(it.key())
                           .arg(faults.error().message));
        configs[it.key()].faults = *faults;
    }
    if (parser.isSet(latencyOpt)) {
        const int latency
            = parseInt(parser.value(latencyOpt), QStringLiteral("--latency"), 0, 60000);
        for (auto &c : configs)
            c.latencyMs = latency;
    }
    if (parser.isSet(noNoiseOpt)) {
        for (auto &c : configs)
            c.logNoise = false;
    }
    if (parser.isSet(seedOpt)) {
        bool ok = false;
        const quint32 seed = parser.value(seedOpt).toUInt(&ok);
        if (!ok)
            usageError(QStringLiteral("--seed needs a whole number from 0 to 4294967295, not "
                                      "\"%1\".")
                           .arg(parser.value(seedOpt)));
        for (int i = 0; i < count; ++i)
            configs[i].seed = seed + quint32(i);
    }

    const int sigFd = ::signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    if (sigFd < 0) {
        err() << "provbench-devsim: cannot watch for Ctrl+C (signalfd failed); stopping.\n";
        return 1;
    }
    QSocketNotifier sigNotifier(sigFd, QSocketNotifier::Read);
    QObject::connect(&sigNotifier, &QSocketNotifier::activated, &app, [sigFd] {
        signalfd_siginfo info{};
        while (::read(sigFd, &info, sizeof info) == ssize_t(sizeof info)) { }
        QCoreApplication::quit();
    });

    SimulatorHost host;
    if (auto ok = host.start(parser.value(dirOpt), configs); !ok) {
        err() << "provbench-devsim: " << ok.error().message << "\n";
        ::close(sigFd);
        return 1;
    }
    for (SimulatedImprovDevice *d : host.devices()) {
        const QString name = d->config().deviceName;
        QObject::connect(d, &SimulatedImprovDevice::stateChanged, &app, [name](improv::State s) {
            out() << QTime::currentTime().toString(QStringLiteral("HH:mm:ss")) << "  " << name
                  << ": " << improv::stateName(s) << "\n";
            out().flush();
        });
        QObject::connect(d, &SimulatedImprovDevice::unplugged, &app, [name] {
            out() << QTime::currentTime().toString(QStringLiteral("HH:mm:ss")) << "  " << name
                  << ": unplugged (its link is gone)\n";
            out().flush();
        });
    }
    printTable(host);

    const int rc = QCoreApplication::exec();
    host.stop();
    ::close(sigFd);
    out() << "Stopped; links removed.\n";
    out().flush();
    return rc;
}
