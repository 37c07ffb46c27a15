#pragma once

#include "app/core/error.h"
#include "app/core/traceentry.h"

#include <QCommandLineParser>
#include <QEventLoop>
#include <QJsonValue>
#include <QStringList>
#include <QTextStream>

#include <functional>

namespace provbench::cli {

// Exit codes shared by every command; documented in `provbench-cli --help`.
enum ExitCode : int {
    ExitOk = 0,
    ExitFailed = 1,   // the device or operation failed; the message says why
    ExitUsage = 2,    // bad command line
    ExitNoDevice = 3, // port missing or could not be opened
};

QTextStream &out();
QTextStream &err();

// Prints a plain-text table with columns sized to their content.
void printTable(const QStringList &headers, const QList<QStringList> &rows);
void printJson(const QJsonValue &value);

// Runs an asynchronous engine operation to completion on a local event loop.
// The CLI is sequential by nature; the engine stays asynchronous.
template<typename T>
Result<T> await(const std::function<void(std::function<void(Result<T>)>)> &start)
{
    std::optional<Result<T>> result;
    QEventLoop loop;
    start([&](Result<T> r) {
        result = std::move(r);
        loop.quit();
    });
    if (!result)
        loop.exec();
    return std::move(*result);
}

// Parses `args` (args[0] is the command name) for `command`. Returns an exit
// code when the command should stop here: a parse error or a stray positional
// argument (usage error, reported), or --help (printed). nullopt: go on.
// maxPositional < 0 leaves positional arguments to the command.
std::optional<int> parseCommandLine(QCommandLineParser &parser, const QStringList &args,
    const QString &command, qsizetype maxPositional = 0);

// Prints one wire-trace entry to stderr (--trace); entries are redacted at
// the source, so nothing secret reaches this.
void printTrace(const TraceEntry &entry);

// A --port value as a path: "ttyUSB0" means /dev/ttyUSB0. Fails with
// NotFound and advice when nothing is there.
Result<QString> resolvePortPath(const QString &value);

// The Wi-Fi password of a write: the option's value, '-' reads one line from
// stdin, else $PROVBENCH_WIFI_PASSWORD; fails with advice when none is given.
Result<QString> readWifiPassword(const QCommandLineParser &parser, const QCommandLineOption &opt);

int exitCodeFor(const Error &error);
// Prints "error: <message>" to stderr and returns the matching exit code.
int reportError(const Error &error);

// SIGINT and SIGTERM quit the event loop (through a pipe, since a signal
// handler may only write to a descriptor); the notifier lives in `context`.
Result<void> quitOnSignals(QObject *context);

} // namespace provbench::cli
