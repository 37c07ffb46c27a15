#include "app/cli/cliutil.h"

#include <iostream>

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

namespace provbench::cli {

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

void printTable(const QStringList &headers, const QList<QStringList> &rows)
{
    QList<qsizetype> widths;
    for (const QString &h : headers)
        widths.append(h.size());
    for (const QStringList &row : rows) {
        for (qsizetype i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], row[i].size());
    }
    auto line = [&](const QStringList &cells) {
        QString text;
        for (qsizetype i = 0; i < headers.size(); ++i) {
            const QString cell = cells.value(i);
            text += i + 1 < headers.size() ? cell.leftJustified(widths[i] + 2) : cell;
        }
        out() << text.trimmed() << '\n';
    };
    line(headers);
    QStringList rule;
    for (qsizetype w : widths)
        rule.append(QString(w, QLatin1Char('-')));
    line(rule);
    for (const QStringList &row : rows)
        line(row);
    out().flush();
}

void printJson(const QJsonValue &value)
{
    QJsonDocument doc
        = value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    out() << doc.toJson(QJsonDocument::Indented);
    out().flush();
}

std::optional<int> parseCommandLine(QCommandLineParser &parser, const QStringList &args,
    const QString &command, qsizetype maxPositional)
{
    // Qt's parse errors end in a full stop already.
    const QString hint = QStringLiteral(" Run 'provbench-cli %1 --help'.").arg(command);
    if (!parser.parse(args))
        return reportError(Error::make(Error::Code::InvalidArgument, parser.errorText() + hint));
    if (parser.isSet(QStringLiteral("help"))) {
        out() << parser.helpText();
        out().flush();
        return int(ExitOk);
    }
    const QStringList pos = parser.positionalArguments();
    if (maxPositional >= 0 && pos.size() > maxPositional)
        return reportError(Error::make(Error::Code::InvalidArgument,
            QStringLiteral("Unexpected argument '%1'.").arg(pos.at(maxPositional)) + hint));
    return std::nullopt;
}

void printTrace(const TraceEntry &e)
{
    static const char *arrows[] = {"->", "<-", "log", "note"};
    err() << e.time.toString(QStringLiteral("HH:mm:ss.zzz")) << ' ' << arrows[int(e.direction)]
          << ' ' << e.summary;
    if (!e.hex.isEmpty())
        err() << "  [" << e.hex << ']';
    err() << '\n';
    err().flush();
}

Result<QString> resolvePortPath(const QString &value)
{
    QString path = value;
    if (!path.contains(QLatin1Char('/')))
        path.prepend(QStringLiteral("/dev/"));
    if (!QFileInfo::exists(path))
        return fail(Error::Code::NotFound,
            QStringLiteral("%1 does not exist: check the port with 'provbench-cli ports' "
                           "and that the device is plugged in.")
                .arg(path));
    return path;
}

int exitCodeFor(const Error &error)
{
    switch (error.code) {
    case Error::Code::InvalidArgument:
        return ExitUsage;
    case Error::Code::NotFound:
        return ExitNoDevice;
    default:
        return ExitFailed;
    }
}

int reportError(const Error &error)
{
    err() << "error: " << error.message << '\n';
    err().flush();
    return exitCodeFor(error);
}

Result<QString> readWifiPassword(const QCommandLineParser &parser, const QCommandLineOption &opt)
{
    if (parser.isSet(opt)) {
        const QString v = parser.value(opt);
        if (v != u"-")
            return v;
        std::string line;
        if (!std::getline(std::cin, line))
            return fail(Error::Code::InvalidArgument,
                QStringLiteral("--password - reads the password from standard input, "
                               "which was empty."));
        return QString::fromStdString(line);
    }
    const QByteArray env = qgetenv("PROVBENCH_WIFI_PASSWORD");
    if (!env.isNull())
        return QString::fromUtf8(env);
    return fail(Error::Code::InvalidArgument,
        QStringLiteral("A Wi-Fi write needs a password: --password W, --password - (read "
                       "from stdin) or $PROVBENCH_WIFI_PASSWORD; use --password '' for an "
                       "open network."));
}

namespace {

int g_signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(g_signalPipe[1], &byte, 1);
}

} // namespace

Result<void> quitOnSignals(QObject *context)
{
    if (g_signalPipe[0] < 0 && ::pipe2(g_signalPipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return fail(Error::Code::Io, QStringLiteral("Could not set up signal handling."));
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
    auto *notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, context);
    QObject::connect(notifier, &QSocketNotifier::activated, context, [] {
        char buffer[16];
        while (::read(g_signalPipe[0], buffer, sizeof buffer) > 0) { }
        QCoreApplication::quit();
    });
    return {};
}

} // namespace provbench::cli
