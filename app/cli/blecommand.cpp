#include "app/cli/clible.h"
#include "app/cli/cliutil.h"
#include "app/cli/commands.h"
#include "app/protocol/improv/improvbleclient.h"
#include "app/protocol/smp/smpclient.h"
#include "app/simulator/ble/simulatedblebackend.h"
#include "app/transport/ble/blediscovery.h"
#include "app/transport/ble/gattlink.h"
#include "app/transport/ble/systembackend.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonObject>
#include <QTimer>

#include <algorithm>

namespace provbench::cli {

int reportAdapter(const ble::AdapterStatus &status)
{
    err() << "error: " << status.message() << '\n';
    err().flush();
    return ExitNoDevice;
}

ble::AdapterStatus startScanner(ble::Discovery &discovery)
{
    QEventLoop loop;
    QObject::connect(&discovery, &ble::Discovery::activeChanged, &loop, &QEventLoop::quit);
    QObject::connect(&discovery, &ble::Discovery::statusChanged, &loop, &QEventLoop::quit);
    QTimer::singleShot(3000, &loop, &QEventLoop::quit);
    discovery.start();
    if (!discovery.isActive() && discovery.status().ok())
        loop.exec();
    return discovery.status();
}

namespace {

using namespace provbench::ble;

// --simulate-problem values, for trying the messages without breaking a
// real adapter.
std::optional<AdapterProblem> problemFromName(const QString &name)
{
    if (name == u"bluez")
        return AdapterProblem::BluezNotRunning;
    if (name == u"no-adapter")
        return AdapterProblem::NoAdapter;
    if (name == u"off")
        return AdapterProblem::AdapterOff;
    if (name == u"permission")
        return AdapterProblem::NoPermission;
    return std::nullopt;
}

struct Options
{
    QCommandLineOption simulated{QStringLiteral("simulated"),
        QStringLiteral("Use simulated BLE peripherals instead of the Bluetooth adapter.")};
    QCommandLineOption simulateProblem{QStringLiteral("simulate-problem"),
        QStringLiteral("With --simulated: pretend the adapter has a problem "
                       "(bluez, no-adapter, off, permission)."),
        QStringLiteral("P")};
    QCommandLineOption address{QStringLiteral("address"),
        QStringLiteral("The device's Bluetooth address, e.g. C4:DE:E2:10:4A:01."),
        QStringLiteral("A")};
    QCommandLineOption json{QStringLiteral("json"), QStringLiteral("Print JSON.")};
    QCommandLineOption trace{QStringLiteral("trace"),
        QStringLiteral("Print the decoded wire trace to stderr (passwords redacted).")};
};

// The backend a command talks to, with the problem (if any) it starts with.
Result<std::unique_ptr<Backend>> makeBackend(const QCommandLineParser &parser, const Options &o)
{
    if (!parser.isSet(o.simulated)) {
        if (parser.isSet(o.simulateProblem))
            return fail(Error::Code::InvalidArgument,
                QStringLiteral("--simulate-problem only works with --simulated."));
        return createSystemBackend();
    }
    auto backend = std::make_unique<sim::SimulatedBleBackend>();
    backend->setAdvertisingIntervalMs(300);
    sim::addDemoPeripherals(*backend);
    if (parser.isSet(o.simulateProblem)) {
        const auto problem = problemFromName(parser.value(o.simulateProblem));
        if (!problem)
            return fail(Error::Code::InvalidArgument,
                QStringLiteral("--simulate-problem takes bluez, no-adapter, off or permission."));
        backend->setAdapterStatus(AdapterStatus{*problem, QStringLiteral("hci0"), {}});
    }
    return std::unique_ptr<Backend>(std::move(backend));
}

QString lastSeen(const BleDevice &d)
{
    const qint64 secs = d.lastSeen.secsTo(QDateTime::currentDateTimeUtc());
    return secs <= 0 ? QStringLiteral("now") : QStringLiteral("%1 s ago").arg(secs);
}

QString bars(qint16 rssi)
{
    const int n = signalBars(rssi);
    return QString(n, QChar(u'▮')) + QString(4 - n, QChar(u'▯'));
}

QJsonObject deviceJson(const BleDevice &d)
{
    QJsonArray uuids;
    for (const auto &u : d.advert.serviceUuids)
        uuids.append(u.toString(QUuid::WithoutBraces));
    QJsonObject o{{QStringLiteral("address"), d.advert.address},
        {QStringLiteral("name"), d.advert.name}, {QStringLiteral("rssi"), d.advert.rssi},
        {QStringLiteral("bars"), signalBars(d.advert.rssi)},
        {QStringLiteral("lastSeen"), d.lastSeen.toString(Qt::ISODateWithMs)},
        {QStringLiteral("services"), uuids}, {QStringLiteral("provisionable"), d.isProvisionable()},
        {QStringLiteral("protocols"), protocolSummary(d)}};
    if (d.improv) {
        o.insert(QStringLiteral("improvState"), improv::stateName(d.improv->state));
        o.insert(QStringLiteral("improvCapabilities"), d.improv->capabilities);
    }
    return o;
}

int scanAction(const QCommandLineParser &parser, const Options &o,
    const QCommandLineOption &timeout, const QCommandLineOption &minRssi,
    const QCommandLineOption &filterText, const QCommandLineOption &provisionable)
{
    bool ok = true;
    const double seconds = parser.isSet(timeout) ? parser.value(timeout).toDouble(&ok) : 10.0;
    if (!ok || seconds <= 0 || seconds > 3600) {
        err() << "error: --timeout takes seconds between 0 and 3600.\n";
        return ExitUsage;
    }
    Filter filter;
    filter.text = parser.value(filterText);
    filter.provisionableOnly = parser.isSet(provisionable);
    if (parser.isSet(minRssi)) {
        const int v = parser.value(minRssi).toInt(&ok);
        if (!ok || v >= 0 || v < -127) {
            err() << "error: --min-rssi takes a negative dBm value such as -75.\n";
            return ExitUsage;
        }
        filter.minRssi = qint16(v);
    }
    auto backend = makeBackend(parser, o);
    if (!backend)
        return reportError(backend.error());
    Scanner *scanner = (*backend)->createScanner(nullptr);
    Discovery discovery(scanner);
    scanner->setParent(&discovery);
    const AdapterStatus status = startScanner(discovery);
    if (!status.ok())
        return reportAdapter(status);

    // Devices are reported as they appear, so a long scan shows progress.
    QObject::connect(&discovery, &Discovery::deviceAdded, &discovery, [&](const BleDevice &d) {
        if (!parser.isSet(o.json) && filter.matches(d))
            err() << "found " << d.advert.address << "  " << d.advert.name << '\n';
        err().flush();
    });
    std::optional<AdapterStatus> failure;
    QObject::connect(
        &discovery, &Discovery::statusChanged, &discovery, [&](const AdapterStatus &s) {
            if (!s.ok())
                failure = s;
        });
    QEventLoop loop;
    QTimer::singleShot(int(seconds * 1000), &loop, &QEventLoop::quit);
    loop.exec();
    discovery.stop();
    if (failure)
        return reportAdapter(*failure);

    QList<BleDevice> devices;
    for (const BleDevice &d : discovery.table().devices()) {
        if (filter.matches(d))
            devices << d;
    }
    std::sort(devices.begin(), devices.end(),
        [](const BleDevice &a, const BleDevice &b) { return a.advert.rssi > b.advert.rssi; });
    if (parser.isSet(o.json)) {
        QJsonArray arr;
        for (const BleDevice &d : devices)
            arr.append(deviceJson(d));
        printJson(arr);
        return ExitOk;
    }
    QList<QStringList> rows;
    for (const BleDevice &d : devices) {
        rows.append({d.advert.address,
            d.advert.name.isEmpty() ? QStringLiteral("-") : d.advert.name,
            QStringLiteral("%1 %2 dBm").arg(bars(d.advert.rssi)).arg(d.advert.rssi), lastSeen(d),
            protocolSummary(d).isEmpty() ? QStringLiteral("-") : protocolSummary(d)});
    }
    printTable({QStringLiteral("ADDRESS"), QStringLiteral("NAME"), QStringLiteral("RSSI"),
                   QStringLiteral("SEEN"), QStringLiteral("PROTOCOLS")},
        rows);
    out() << devices.size() << " device(s) after " << seconds << " s"
          << (filter.text.isEmpty() && !filter.minRssi && !filter.provisionableOnly ? ""
                                                                                    : " (filtered)")
          << '\n';
    out().flush();
    return ExitOk;
}

// Checks the adapter before connecting, so the message names the real cause
// (a scanner probes BlueZ when it starts; its status before that is unknown).
std::optional<int> checkAdapter(Backend &backend)
{
    Scanner *scanner = backend.createScanner(nullptr);
    Discovery discovery(scanner);
    scanner->setParent(&discovery);
    const AdapterStatus status = startScanner(discovery);
    discovery.stop();
    if (!status.ok())
        return reportAdapter(status);
    return std::nullopt;
}

int improvAction(const QCommandLineParser &parser, const Options &o, const QString &action,
    const QCommandLineOption &ssid, const QCommandLineOption &password,
    const QCommandLineOption &authTimeout)
{
    auto backend = makeBackend(parser, o);
    if (!backend)
        return reportError(backend.error());
    if (auto rc = checkAdapter(**backend))
        return *rc;
    std::unique_ptr<GattConnection> connection(
        (*backend)->createConnection(parser.value(o.address), nullptr));
    improv::ble::Client client(connection.get());
    improv::ble::Client::Options options;
    if (parser.isSet(authTimeout)) {
        bool ok = false;
        const int s = parser.value(authTimeout).toInt(&ok);
        if (!ok || s <= 0) {
            err() << "error: --auth-timeout takes a number of seconds.\n";
            return ExitUsage;
        }
        options.authorizationTimeout = std::chrono::seconds(s);
    }
    client.setOptions(options);
    if (parser.isSet(o.trace))
        QObject::connect(&client, &improv::ble::Client::traced, &client, &printTrace);
    QObject::connect(&client, &improv::ble::Client::authorizationRequired, &client, [&] {
        err() << "The device requires authorization: press its button (waiting up to "
              << options.authorizationTimeout.count() / 1000 << " s)...\n";
        err().flush();
    });
    QObject::connect(
        &client, &improv::ble::Client::stateChanged, &client, [&](improv::State state) {
            if (parser.isSet(o.trace))
                err() << "state: " << improv::stateName(state) << '\n';
        });

    auto started = await<improv::ble::Client::Status>([&](auto done) { client.start(done); });
    if (!started)
        return reportError(started.error());
    const auto status = *started;

    if (action == u"info" || action == u"state") {
        std::optional<improv::DeviceInfo> info;
        if (action == u"info" && (status.capabilities & improv::ble::CapDeviceInfo)) {
            auto i = await<improv::DeviceInfo>([&](auto done) { client.deviceInfo(done); });
            if (!i)
                return reportError(i.error());
            info = *i;
        }
        QStringList caps;
        if (status.capabilities & improv::ble::CapIdentify)
            caps << QStringLiteral("identify");
        if (status.capabilities & improv::ble::CapDeviceInfo)
            caps << QStringLiteral("device-info");
        if (status.capabilities & improv::ble::CapWifiScan)
            caps << QStringLiteral("wifi-scan");
        if (parser.isSet(o.json)) {
            QJsonObject obj{{QStringLiteral("address"), connection->address()},
                {QStringLiteral("state"), improv::stateName(status.state)},
                {QStringLiteral("error"), improv::errorName(status.error)},
                {QStringLiteral("capabilities"), QJsonArray::fromStringList(caps)}};
            if (info) {
                obj.insert(QStringLiteral("firmware"), info->firmwareName);
                obj.insert(QStringLiteral("version"), info->firmwareVersion);
                obj.insert(QStringLiteral("hardware"), info->hardware);
                obj.insert(QStringLiteral("deviceName"), info->deviceName);
            }
            printJson(obj);
        } else {
            out() << "address:       " << connection->address() << '\n'
                  << "state:         " << improv::stateName(status.state) << '\n'
                  << "error:         " << improv::errorName(status.error) << '\n'
                  << "capabilities:  " << (caps.isEmpty() ? QStringLiteral("-") : caps.join(u", "))
                  << '\n';
            if (info)
                out() << "firmware:      " << info->firmwareName << ' ' << info->firmwareVersion
                      << '\n'
                      << "hardware:      " << info->hardware << '\n'
                      << "device name:   " << info->deviceName << '\n';
            out().flush();
        }
        connection->close();
        return ExitOk;
    }
    if (action == u"scan") {
        auto networks
            = await<QList<improv::WifiNetwork>>([&](auto done) { client.scanWifi(done); });
        if (!networks)
            return reportError(networks.error());
        QList<QStringList> rows;
        QJsonArray arr;
        for (const auto &n : *networks) {
            rows.append({n.ssid, QString::number(n.rssi),
                n.secured ? QStringLiteral("secured") : QStringLiteral("open")});
            arr.append(QJsonObject{{QStringLiteral("ssid"), n.ssid},
                {QStringLiteral("rssi"), n.rssi}, {QStringLiteral("secured"), n.secured}});
        }
        if (parser.isSet(o.json))
            printJson(arr);
        else
            printTable(
                {QStringLiteral("SSID"), QStringLiteral("RSSI"), QStringLiteral("SECURITY")}, rows);
        connection->close();
        return ExitOk;
    }
    // wifi
    if (!parser.isSet(ssid)) {
        err() << "error: ble improv wifi needs --ssid.\n";
        return ExitUsage;
    }
    auto pw = readWifiPassword(parser, password);
    if (!pw)
        return reportError(pw.error());
    auto urls
        = await<QStringList>([&](auto done) { client.writeWifi(parser.value(ssid), *pw, done); });
    if (!urls)
        return reportError(urls.error());
    if (parser.isSet(o.json)) {
        printJson(QJsonObject{{QStringLiteral("address"), connection->address()},
            {QStringLiteral("ssid"), parser.value(ssid)},
            {QStringLiteral("state"), QStringLiteral("provisioned")},
            {QStringLiteral("urls"), QJsonArray::fromStringList(*urls)}});
    } else {
        out() << "Provisioned: " << connection->address() << " joined \"" << parser.value(ssid)
              << "\" (verified by reading its state back).\n";
        for (const QString &u : *urls)
            out() << "url: " << u << '\n';
        out().flush();
    }
    connection->close();
    return ExitOk;
}

int smpAction(const QCommandLineParser &parser, const Options &o, const QString &action,
    const QCommandLineOption &text)
{
    if (action != u"echo") {
        err() << "error: ble smp supports: echo.\n";
        return ExitUsage;
    }
    auto backend = makeBackend(parser, o);
    if (!backend)
        return reportError(backend.error());
    if (auto rc = checkAdapter(**backend))
        return *rc;
    std::unique_ptr<GattConnection> connection(
        (*backend)->createConnection(parser.value(o.address), nullptr));
    auto attached = await<void>([&](auto done) {
        GattLink::attach(connection.get(), smpServiceUuid(), smpCharacteristicUuid(), done);
    });
    if (!attached)
        return reportError(attached.error());
    GattLink link(connection.get(), smpServiceUuid(), smpCharacteristicUuid());
    if (auto opened = link.open(); !opened)
        return reportError(opened.error());
    smp::SmpClient::Options options;
    options.framing = smp::SmpClient::Framing::Raw;
    options.mtu = link.pieceSize();
    options.timeout = std::chrono::seconds(5);
    smp::SmpClient client(&link, options);
    if (parser.isSet(o.trace))
        QObject::connect(&client, &smp::SmpClient::traced, &client, &printTrace);
    const QString message = parser.isSet(text) ? parser.value(text) : QStringLiteral("provbench");
    auto answer = await<QString>([&](auto done) { client.echo(message, done); });
    if (!answer)
        return reportError(answer.error());
    if (parser.isSet(o.json))
        printJson(QJsonObject{{QStringLiteral("address"), connection->address()},
            {QStringLiteral("echo"), *answer}, {QStringLiteral("mtu"), connection->mtu()}});
    else
        out() << *answer << '\n';
    out().flush();
    connection->close();
    return *answer == message ? ExitOk : ExitFailed;
}

} // namespace

int bleCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Bluetooth LE devices.\n"
        "  ble scan [--timeout S] [--min-rssi N] [--filter T] [--provisionable] [--json]\n"
        "  ble improv info|state|scan|wifi --address A [--ssid S --password P]\n"
        "  ble smp echo --address A [--text T]\n"
        "Add --simulated to use simulated peripherals instead of the adapter."));
    parser.addHelpOption();
    Options o;
    QCommandLineOption timeout(QStringLiteral("timeout"),
        QStringLiteral("scan: how long to listen, in seconds (default 10)."), QStringLiteral("S"));
    QCommandLineOption minRssi(QStringLiteral("min-rssi"),
        QStringLiteral("scan: hide devices weaker than N dBm (e.g. -75)."), QStringLiteral("N"));
    QCommandLineOption filterText(QStringLiteral("filter"),
        QStringLiteral("scan: only names or addresses containing T."), QStringLiteral("T"));
    QCommandLineOption provisionable(QStringLiteral("provisionable"),
        QStringLiteral("scan: only devices that speak a protocol ProvBench can write."));
    QCommandLineOption ssid(
        QStringLiteral("ssid"), QStringLiteral("improv wifi: network name."), QStringLiteral("S"));
    QCommandLineOption password(QStringLiteral("password"),
        QStringLiteral("improv wifi: password; '-' reads it from stdin. Default: "
                       "$PROVBENCH_WIFI_PASSWORD."),
        QStringLiteral("W"));
    QCommandLineOption authTimeout(QStringLiteral("auth-timeout"),
        QStringLiteral("improv wifi: seconds to wait for the button press (default 120)."),
        QStringLiteral("S"));
    QCommandLineOption text(
        QStringLiteral("text"), QStringLiteral("smp echo: the text to echo."), QStringLiteral("T"));
    parser.addOptions({o.simulated, o.simulateProblem, o.address, o.json, o.trace, timeout, minRssi,
        filterText, provisionable, ssid, password, authTimeout, text});
    if (auto rc = parseCommandLine(parser, args, QStringLiteral("ble"), -1))
        return *rc;
    const QStringList pos = parser.positionalArguments();
    auto usage = [](const QString &message) {
        err() << "error: " << message << " Run 'provbench-cli ble --help'.\n";
        return int(ExitUsage);
    };
    if (pos.isEmpty())
        return usage(QStringLiteral("ble needs an action: scan, improv or smp."));
    const QString what = pos.first();
    if (what == u"scan") {
        if (pos.size() != 1)
            return usage(QStringLiteral("ble scan takes no further arguments."));
        return scanAction(parser, o, timeout, minRssi, filterText, provisionable);
    }
    if (what != u"improv" && what != u"smp")
        return usage(QStringLiteral("unknown action '%1'.").arg(what));
    if (pos.size() != 2)
        return usage(QStringLiteral("ble %1 needs exactly one action.").arg(what));
    if (!parser.isSet(o.address))
        return usage(QStringLiteral("ble %1 needs --address.").arg(what));
    const QString action = pos.at(1);
    if (what == u"improv") {
        static const QStringList actions{QStringLiteral("info"), QStringLiteral("state"),
            QStringLiteral("scan"), QStringLiteral("wifi")};
        if (!actions.contains(action))
            return usage(QStringLiteral("ble improv supports info, state, scan and wifi."));
        return improvAction(parser, o, action, ssid, password, authTimeout);
    }
    return smpAction(parser, o, action, text);
}

} // namespace provbench::cli
