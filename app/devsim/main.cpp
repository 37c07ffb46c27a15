// provbench-devsim: runs simulated devices (Improv Wi-Fi, Zephyr SMP, nRF91
// modem) behind pseudo-terminals so the workbench (or any serial tool) can be
// tried without hardware.

#include "app/simulator/simconfig.h"
#include "app/simulator/simulatedmodem.h"
#include "app/simulator/simulatedsmpdevice.h"
#include "app/simulator/simulatorhost.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QMap>
#include <QSocketNotifier>
#include <QTextStream>
#include <QTime>

#include <variant>

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

using DeviceConfig = std::variant<SimDeviceConfig, SmpDeviceConfig, ModemConfig>;

QString kindOf(const DeviceConfig &c)
{
    return std::visit(
        [](const auto &cfg) {
            using T = std::decay_t<decltype(cfg)>;
            if constexpr (std::is_same_v<T, SimDeviceConfig>)
                return QStringLiteral("improv");
            else if constexpr (std::is_same_v<T, SmpDeviceConfig>)
                return QStringLiteral("smp");
            else
                return QStringLiteral("nrf91");
        },
        c);
}

void printTable(const SimulatorHost &host, const QList<DeviceConfig> &configs)
{
    out() << "Simulated devices in " << host.directory() << ":\n\n";
    out() << pad(QStringLiteral("PORT"), 34) << pad(QStringLiteral("KIND"), 8)
          << pad(QStringLiteral("DEVICE NAME"), 18) << pad(QStringLiteral("FIRMWARE"), 36)
          << "NOTES\n";
    const auto devices = host.allDevices();
    QList<SimNetwork> nets;
    for (qsizetype i = 0; i < devices.size(); ++i) {
        QStringList notes;
        QString name, firmware;
        std::visit(
            [&](const auto &c) {
                using T = std::decay_t<decltype(c)>;
                if constexpr (std::is_same_v<T, SimDeviceConfig>) {
                    name = c.deviceName;
                    firmware = c.firmwareName + QLatin1Char(' ') + c.firmwareVersion
                        + QStringLiteral(" (") + c.hardware + QLatin1Char(')');
                    if (c.fourStringInfo)
                        notes << QStringLiteral("4-string device info");
                    if (c.legacyFirmware)
                        notes << QStringLiteral("no hostname/name/network-state commands");
                    nets = c.networks;
                } else if constexpr (std::is_same_v<T, SmpDeviceConfig>) {
                    name = c.name;
                    firmware = c.firmware + QStringLiteral(" (") + c.board + QLatin1Char(')');
                    notes << QStringLiteral("MCUmgr SMP: settings + files");
                } else {
                    name = c.name;
                    firmware = c.firmware;
                    notes << QStringLiteral("%1, IMEI %2, AT%CMNG, CFUN=%3 at boot")
                                 .arg(c.model, c.imei)
                                 .arg(c.initialMode);
                }
                if (const QString f = faultsToString(c.faults); !f.isEmpty())
                    notes << QStringLiteral("faults: ") + f;
            },
            configs[i]);
        out() << pad(devices[i]->portPath(), 34) << pad(kindOf(configs[i]), 8) << pad(name, 18)
              << pad(firmware, 36) << notes.join(QStringLiteral("; ")) << "\n";
    }
    if (!nets.isEmpty()) {
        // The demo passwords are printed on purpose: the user has to type them.
        out() << "\nSimulated Wi-Fi networks (use these in the workbench):\n\n";
        out() << pad(QStringLiteral("SSID"), 16) << pad(QStringLiteral("RSSI"), 8) << "PASSWORD\n";
        for (const SimNetwork &n : std::as_const(nets))
            out() << pad(n.ssid, 16) << pad(QString::number(n.rssi), 8)
                  << (n.password.isEmpty() ? QStringLiteral("(open network, no password)")
                                           : n.password)
                  << "\n";
    }
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
        QStringLiteral("Runs simulated devices behind pseudo-terminals, linked as <dir>/ttySIM0, "
                       "ttySIM1, ...: Improv Wi-Fi (ESPHome/WLED-like), MCUmgr SMP (Zephyr-like) "
                       "and nRF91-like modems (AT%CMNG)."));
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
        QStringLiteral("Device kind: improv (default), smp (Zephyr MCUmgr), nrf91 (modem with "
                       "AT%CMNG), or mixed (improv, smp, nrf91 in turn)."),
        QStringLiteral("kind"), QStringLiteral("improv"));
    const QCommandLineOption firstOpt(QStringLiteral("first"),
        QStringLiteral("Index of the first device (default 0), so that several simulators give "
                       "their devices distinct names and IMEIs."),
        QStringLiteral("n"), QStringLiteral("0"));
    parser.addOptions(
        {dirOpt, countOpt, faultOpt, latencyOpt, noNoiseOpt, seedOpt, kindOpt, firstOpt});

    if (!parser.parse(QCoreApplication::arguments()))
        usageError(parser.errorText());
    if (parser.isSet(help))
        parser.showHelp(0);
    if (parser.isSet(version))
        parser.showVersion();
    if (!parser.positionalArguments().isEmpty())
        usageError(QStringLiteral("Unexpected argument \"%1\".")
                       .arg(parser.positionalArguments().first()));
    const QString kind = parser.value(kindOpt);
    if (!QStringList{QStringLiteral("improv"), QStringLiteral("smp"), QStringLiteral("nrf91"),
            QStringLiteral("mixed")}
             .contains(kind))
        usageError(
            QStringLiteral("Unknown --kind \"%1\": use improv, smp, nrf91 or mixed.").arg(kind));
    if (!parser.isSet(dirOpt) || parser.value(dirOpt).isEmpty())
        usageError(QStringLiteral("--dir is required: the folder where the port links are made, "
                                  "e.g. --dir /tmp/provbench-sim."));

    const int count = parseInt(parser.value(countOpt), QStringLiteral("--count"), 1, kMaxCount);
    const int first = parseInt(parser.value(firstOpt), QStringLiteral("--first"), 0, 99999);
    QList<DeviceConfig> configs;
    for (int n = 0; n < count; ++n) {
        const int i = first + n;
        const QString k = kind == u"mixed" ? QStringList{QStringLiteral("improv"),
                              QStringLiteral("smp"), QStringLiteral("nrf91")}[i % 3]
                                           : kind;
        if (k == u"smp")
            configs.append(demoSmpConfig(i));
        else if (k == u"nrf91")
            configs.append(demoModemConfig(i));
        else
            configs.append(demoConfig(i));
    }
    // Every kind has these four settings under the same names.
    auto each = [&configs](auto apply) {
        for (auto &c : configs)
            std::visit(apply, c);
    };

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
        std::visit([&](auto &c) { c.faults = *faults; }, configs[it.key()]);
    }
    if (parser.isSet(latencyOpt)) {
        const int latency
            = parseInt(parser.value(latencyOpt), QStringLiteral("--latency"), 0, 60000);
        each([latency](auto &c) { c.latencyMs = latency; });
    }
    if (parser.isSet(noNoiseOpt)) {
        each([](auto &c) { c.logNoise = false; });
    }
    if (parser.isSet(seedOpt)) {
        bool ok = false;
        const quint32 seed = parser.value(seedOpt).toUInt(&ok);
        if (!ok)
            usageError(QStringLiteral("--seed needs a whole number from 0 to 4294967295, not "
                                      "\"%1\".")
                           .arg(parser.value(seedOpt)));
        for (int i = 0; i < count; ++i)
            std::visit([&](auto &c) { c.seed = seed + quint32(i); }, configs[i]);
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
    QList<SimulatedSerialDevice *> devices;
    for (const DeviceConfig &c : std::as_const(configs)) {
        std::visit(
            [&devices](const auto &cfg) {
                using T = std::decay_t<decltype(cfg)>;
                if constexpr (std::is_same_v<T, SimDeviceConfig>)
                    devices.append(new SimulatedImprovDevice(cfg));
                else if constexpr (std::is_same_v<T, SmpDeviceConfig>)
                    devices.append(new SimulatedSmpDevice(cfg));
                else
                    devices.append(new SimulatedModem(cfg));
            },
            c);
    }
    if (auto ok = host.start(parser.value(dirOpt), devices); !ok) {
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
    printTable(host, configs);

    const int rc = QCoreApplication::exec();
    host.stop();
    ::close(sigFd);
    out() << "Stopped; links removed.\n";
    out().flush();
    return rc;
}
