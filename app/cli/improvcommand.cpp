#include "app/cli/cliutil.h"
#include "app/cli/commands.h"
#include "app/onboarding/devicesession.h"
#include "app/protocol/improv/improvclient.h"
#include "app/transport/seriallink.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

#include <cstdio>
#include <iostream>

namespace provbench::cli {

namespace {

using improv::ImprovClient;

const QStringList kActions = {QStringLiteral("info"), QStringLiteral("state"),
    QStringLiteral("scan"), QStringLiteral("wifi"), QStringLiteral("hostname"),
    QStringLiteral("name"), QStringLiteral("network")};

void printFields(const QList<std::pair<QString, QString>> &fields)
{
    qsizetype w = 0;
    for (const auto &f : fields)
        w = std::max(w, f.first.size());
    for (const auto &[k, v] : fields)
        out() << QString(k + QLatin1Char(':')).leftJustified(w + 2) << v << '\n';
    out().flush();
}

QJsonObject infoJson(const improv::DeviceInfo &i)
{
    return {{QStringLiteral("firmware"), i.firmwareName},
        {QStringLiteral("version"), i.firmwareVersion}, {QStringLiteral("hardware"), i.hardware},
        {QStringLiteral("deviceName"), i.deviceName}, {QStringLiteral("osName"), i.osName},
        {QStringLiteral("osVersion"), i.osVersion}};
}

// Runs one DeviceSession operation and waits for its operationFinished.
Result<void> runSession(DeviceSession &session, const std::function<void()> &start)
{
    return await<void>([&](std::function<void(Result<void>)> done) {
        QObject::connect(
            &session, &DeviceSession::operationFinished, &session,
            [done](const QString &, bool ok, const QString &message) {
                done(ok ? Result<void>{} : fail(Error::Code::Device, message));
            },
            Qt::SingleShotConnection);
        start();
    });
}

} // namespace

int improvCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Talk Improv Wi-Fi to a device on a serial port.\n"
                       "Actions: info, state, scan, wifi, hostname, name, network.\n"
                       "  wifi      write credentials (--ssid, --password) and verify the device "
                       "joined\n"
                       "  hostname  read it, or set it with --value\n"
                       "  name      read the device name, or set it with --value"));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("What to do."));
    QCommandLineOption port(
        QStringLiteral("port"), QStringLiteral("Serial port path or name."), QStringLiteral("P"));
    QCommandLineOption ssid(
        QStringLiteral("ssid"), QStringLiteral("Wi-Fi network name."), QStringLiteral("S"));
    QCommandLineOption password(QStringLiteral("password"),
        QStringLiteral("Wi-Fi password; '-' reads it from stdin. Default: "
                       "$PROVBENCH_WIFI_PASSWORD. Prefer those two: arguments are visible to "
                       "other users."),
        QStringLiteral("W"));
    QCommandLineOption value(QStringLiteral("value"),
        QStringLiteral("New hostname or device name."), QStringLiteral("V"));
    QCommandLineOption timeout(QStringLiteral("timeout"),
        QStringLiteral("Per-command timeout in ms (Wi-Fi join: at least "
                       "this). Default 3000; 30000 for Wi-Fi."),
        QStringLiteral("MS"));
    QCommandLineOption baud(QStringLiteral("baud"), QStringLiteral("Baud rate (default 115200)."),
        QStringLiteral("N"), QStringLiteral("115200"));
    QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    QCommandLineOption trace(QStringLiteral("trace"),
        QStringLiteral("Print the decoded wire trace to stderr (passwords "
                       "redacted)."));
    parser.addOptions({port, ssid, password, value, timeout, baud, json, trace});
    auto usage = [](const QString &msg) {
        return reportError(Error::make(Error::Code::InvalidArgument,
            msg + QStringLiteral(" Run 'provbench-cli improv --help'.")));
    };
    if (auto stop = parseCommandLine(parser, args, QStringLiteral("improv"), -1))
        return *stop;
    const QStringList pos = parser.positionalArguments();
    // parse() takes args[0] ("improv") as the program name.
    if (pos.size() != 1 || !kActions.contains(pos[0]))
        return usage(
            QStringLiteral("Name one action: %1.").arg(kActions.join(QStringLiteral(", "))));
    const QString action = pos[0];
    if (!parser.isSet(port))
        return usage(QStringLiteral("--port is required."));

    ImprovClient::Options options;
    if (parser.isSet(timeout)) {
        bool ok = false;
        const int ms = parser.value(timeout).toInt(&ok);
        if (!ok || ms < 50)
            return usage(QStringLiteral("--timeout takes milliseconds, at least 50."));
        options.timeout = std::chrono::milliseconds(ms);
        options.scanTimeout = std::max(options.scanTimeout, options.timeout);
        options.wifiTimeout = std::max(options.wifiTimeout, options.timeout);
    }
    bool baudOk = false;
    const int baudRate = parser.value(baud).toInt(&baudOk);
    if (!baudOk || baudRate <= 0)
        return usage(QStringLiteral("--baud takes a positive number."));

    auto resolved = resolvePortPath(parser.value(port));
    if (!resolved)
        return reportError(resolved.error());
    const QString path = *resolved;
    const bool asJson = parser.isSet(json);
    const bool showTrace = parser.isSet(trace);

    // info and wifi go through the same DeviceSession flow as the GUI, so the
    // CLI verifies a write exactly as the GUI does.
    if (action == u"info" || action == u"wifi") {
        DeviceRecord rec;
        rec.id = path;
        rec.port.path = path;
        DeviceSession session(rec, [baudRate](const QString &p) -> std::unique_ptr<Link> {
            return std::make_unique<SerialLink>(p, baudRate);
        });
        session.setClientOptions(options);
        if (showTrace)
            QObject::connect(&session, &DeviceSession::traceAppended, &session, &printTrace);
        if (action == u"info") {
            if (auto r = runSession(session, [&] { session.identify(); }); !r)
                return reportError(r.error());
            const DeviceRecord &d = session.record();
            if (asJson) {
                QJsonObject o = infoJson(*d.info);
                o.insert(QStringLiteral("port"), path);
                o.insert(QStringLiteral("state"), improv::stateName(*d.improvState));
                o.insert(QStringLiteral("hostname"), d.hostname);
                o.insert(QStringLiteral("urls"), QJsonArray::fromStringList(d.urls));
                printJson(o);
            } else {
                printFields({{QStringLiteral("Port"), path},
                    {QStringLiteral("Firmware"), d.info->firmwareName},
                    {QStringLiteral("Version"), d.info->firmwareVersion},
                    {QStringLiteral("Hardware"), d.info->hardware},
                    {QStringLiteral("Device name"), d.info->deviceName},
                    {QStringLiteral("OS"),
                        QString(d.info->osName + QLatin1Char(' ') + d.info->osVersion).trimmed()},
                    {QStringLiteral("Hostname"), d.hostname},
                    {QStringLiteral("Improv state"), improv::stateName(*d.improvState)},
                    {QStringLiteral("URLs"), d.urls.join(QStringLiteral(", "))}});
            }
            return ExitOk;
        }
        if (!parser.isSet(ssid))
            return usage(QStringLiteral("improv wifi needs --ssid."));
        auto pw = readWifiPassword(parser, password);
        if (!pw)
            return reportError(pw.error());
        const QString net = parser.value(ssid);
        if (auto r = runSession(session, [&] { session.provisionWifi(net, *pw); }); !r)
            return reportError(r.error());
        const DeviceRecord &d = session.record();
        if (asJson)
            printJson(QJsonObject{{QStringLiteral("port"), path}, {QStringLiteral("ssid"), net},
                {QStringLiteral("state"), QStringLiteral("provisioned")},
                {QStringLiteral("verified"), true},
                {QStringLiteral("urls"), QJsonArray::fromStringList(d.urls)}});
        else
            out() << "Provisioned: the device joined \"" << net
                  << "\" and reports the provisioned state."
                  << (d.urls.isEmpty()
                             ? QString()
                             : QStringLiteral(" URL: ") + d.urls.join(QStringLiteral(", ")))
                  << '\n';
        return ExitOk;
    }

    SerialLink link(path, baudRate);
    if (auto ok = link.open(); !ok)
        return reportError(ok.error());
    ImprovClient client(&link, options);
    if (showTrace)
        QObject::connect(&client, &ImprovClient::traced, &client, &printTrace);

    if (action == u"state") {
        auto r = await<ImprovClient::StateReport>([&](auto done) { client.requestState(done); });
        if (!r)
            return reportError(r.error());
        if (asJson)
            printJson(QJsonObject{{QStringLiteral("state"), improv::stateName(r->state)},
                {QStringLiteral("code"), int(r->state)},
                {QStringLiteral("urls"), QJsonArray::fromStringList(r->urls)}});
        else
            out() << improv::stateName(r->state)
                  << (r->urls.isEmpty() ? QString()
                                        : QStringLiteral("  ") + r->urls.join(QStringLiteral(", ")))
                  << '\n';
        return ExitOk;
    }
    if (action == u"scan") {
        auto r = await<QList<improv::WifiNetwork>>([&](auto done) { client.scanWifi(done); });
        if (!r)
            return reportError(r.error());
        if (asJson) {
            QJsonArray arr;
            for (const auto &n : *r)
                arr.append(QJsonObject{{QStringLiteral("ssid"), n.ssid},
                    {QStringLiteral("rssi"), n.rssi}, {QStringLiteral("secured"), n.secured}});
            printJson(arr);
        } else {
            QList<QStringList> rows;
            for (const auto &n : *r)
                rows.append({n.ssid, QString::number(n.rssi),
                    n.secured ? QStringLiteral("yes") : QStringLiteral("no")});
            printTable(
                {QStringLiteral("SSID"), QStringLiteral("RSSI"), QStringLiteral("SECURED")}, rows);
        }
        return ExitOk;
    }
    if (action == u"hostname" || action == u"name") {
        const bool host = action == u"hostname";
        Result<QString> r = await<QString>([&](auto done) {
            if (parser.isSet(value))
                host ? client.setHostname(parser.value(value), done)
                     : client.setDeviceName(parser.value(value), done);
            else
                host ? client.hostname(done) : client.deviceName(done);
        });
        if (!r)
            return reportError(r.error());
        if (asJson)
            printJson(
                QJsonObject{{host ? QStringLiteral("hostname") : QStringLiteral("name"), *r}});
        else
            out() << *r << '\n';
        return ExitOk;
    }
    // network
    auto r = await<improv::NetworkState>([&](auto done) { client.networkState(done); });
    if (!r)
        return reportError(r.error());
    QStringList links;
    if (r->flags & improv::NetWifi)
        links << QStringLiteral("wifi");
    if (r->flags & improv::NetEthernet)
        links << QStringLiteral("ethernet");
    if (r->flags & improv::NetThread)
        links << QStringLiteral("thread");
    if (r->flags & improv::NetModem)
        links << QStringLiteral("modem");
    const bool online = r->flags & improv::NetOnline;
    if (asJson)
        printJson(QJsonObject{{QStringLiteral("online"), online},
            {QStringLiteral("flags"), int(r->flags)},
            {QStringLiteral("links"), QJsonArray::fromStringList(links)},
            {QStringLiteral("urls"), QJsonArray::fromStringList(r->urls)}});
    else
        printFields(
            {{QStringLiteral("Online"), online ? QStringLiteral("yes") : QStringLiteral("no")},
                {QStringLiteral("Links"), links.join(QStringLiteral(", "))},
                {QStringLiteral("URLs"), r->urls.join(QStringLiteral(", "))}});
    return ExitOk;
}

} // namespace provbench::cli
