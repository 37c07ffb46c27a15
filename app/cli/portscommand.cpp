#include "app/cli/cliutil.h"
#include "app/cli/commands.h"
#include "app/transport/serialdiscovery.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace provbench::cli {

namespace {

QJsonObject portJson(const PortInfo &p)
{
    QJsonObject o{
        {QStringLiteral("path"), p.path},
        {QStringLiteral("name"), p.portName},
        {QStringLiteral("description"), p.description},
        {QStringLiteral("manufacturer"), p.manufacturer},
        {QStringLiteral("serialNumber"), p.serialNumber},
        {QStringLiteral("bridge"), p.bridge},
        {QStringLiteral("userAdded"), p.userAdded},
    };
    o.insert(
        QStringLiteral("vidPid"), p.vidPid().isEmpty() ? QJsonValue() : QJsonValue(p.vidPid()));
    return o;
}

QStringList portRow(const PortInfo &p)
{
    return {p.path, p.vidPid(), p.bridge, p.description, p.manufacturer, p.serialNumber};
}

} // namespace

int portsCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("List serial ports with their USB identity. Ptys and socat links are not "
                       "listed by the system: name them with --add or --watch-dir."));
    parser.addHelpOption();
    QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    QCommandLineOption watch(QStringLiteral("watch"),
        QStringLiteral("Keep running and print ports as they come and go."));
    QCommandLineOption add(QStringLiteral("add"),
        QStringLiteral("Also watch this path (repeatable)."), QStringLiteral("path"));
    QCommandLineOption watchDir(QStringLiteral("watch-dir"),
        QStringLiteral("Also watch every ttySIM*/tty* entry of this folder."),
        QStringLiteral("dir"));
    parser.addOptions({json, watch, add, watchDir});
    if (auto stop = parseCommandLine(parser, args, QStringLiteral("ports"), 0))
        return *stop;

    SerialDiscovery discovery;
    for (const QString &p : parser.values(add))
        discovery.addWatchedPath(p);
    for (const QString &d : parser.values(watchDir))
        discovery.addWatchedDirectory(d, QStringLiteral("tty*"));
    discovery.start();

    const bool asJson = parser.isSet(json);
    QList<PortInfo> ports = discovery.ports();
    std::sort(ports.begin(), ports.end(),
        [](const PortInfo &a, const PortInfo &b) { return a.path < b.path; });
    if (asJson && !parser.isSet(watch)) {
        QJsonArray arr;
        for (const PortInfo &p : ports)
            arr.append(portJson(p));
        printJson(arr);
        return ExitOk;
    }
    if (!asJson) {
        if (ports.isEmpty())
            out() << "No serial ports found. Plug in a device, or name a pty with --add PATH.\n";
        else
            printTable({QStringLiteral("PORT"), QStringLiteral("VID:PID"), QStringLiteral("BRIDGE"),
                           QStringLiteral("DESCRIPTION"), QStringLiteral("MANUFACTURER"),
                           QStringLiteral("SERIAL")},
                [&] {
                    QList<QStringList> rows;
                    for (const PortInfo &p : ports)
                        rows.append(portRow(p));
                    return rows;
                }());
    }
    if (!parser.isSet(watch))
        return ExitOk;

    // Watch mode: one line per change (JSON Lines with --json) until interrupted.
    auto report = [asJson](const char *event, const PortInfo &p) {
        if (asJson) {
            QJsonObject o = portJson(p);
            o.insert(QStringLiteral("event"), QLatin1String(event));
            o.insert(
                QStringLiteral("time"), QDateTime::currentDateTime().toString(Qt::ISODateWithMs));
            out() << QJsonDocument(o).toJson(QJsonDocument::Compact) << '\n';
        } else {
            out() << QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss.zzz")) << ' '
                  << event << ' ' << p.path;
            if (!p.bridge.isEmpty() || !p.vidPid().isEmpty())
                out() << "  " << p.vidPid() << ' ' << p.bridge;
            out() << '\n';
        }
        out().flush();
    };
    if (asJson) {
        for (const PortInfo &p : ports)
            report("present", p);
    } else {
        out() << "Watching for changes (" << (discovery.usesUdev() ? "udev" : "polling")
              << "); press Ctrl+C to stop.\n";
        out().flush();
    }
    QObject::connect(&discovery, &SerialDiscovery::portAdded, &discovery,
        [&](const PortInfo &p) { report("added", p); });
    QObject::connect(&discovery, &SerialDiscovery::portRemoved, &discovery,
        [&](const PortInfo &p) { report("removed", p); });
    return QCoreApplication::exec();
}

} // namespace provbench::cli
