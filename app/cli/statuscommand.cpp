#include "app/cli/clistore.h"
#include "app/cli/cliutil.h"
#include "app/cli/clivault.h"
#include "app/cli/commands.h"
#include "app/onboarding/journey/board.h"
#include "app/onboarding/journey/boardfeed.h"
#include "app/onboarding/journey/boardreport.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace provbench::cli {

using namespace provbench::journey;

namespace {

constexpr qint64 kMinute = 60'000;
constexpr int kMinutes = 5; // the throughput shown: the last five minutes

QString minutesText(qint64 ms)
{
    return QStringLiteral("%1 min").arg(ms / kMinute);
}

// Onboardings in each of the last kMinutes whole minutes, oldest first.
QList<ThroughputPoint> lastMinutes(const Board &board)
{
    return board.throughput((kMinutes - 1) * kMinute, kMinute, kMinute);
}

QJsonObject statusJson(const Board &board)
{
    const StageCounts counts = board.counts();
    QJsonObject stages;
    for (int i = 0; i < kStageCount; ++i) {
        const auto stage = Stage(i);
        stages.insert(stageName(stage),
            QJsonObject{{QStringLiteral("devices"), counts.at(stage)},
                {QStringLiteral("stuck"), counts.stuckAt(stage)}});
    }
    QJsonArray stuck;
    for (int i = 0; i < board.size(); ++i) {
        const Journey &j = board.at(i);
        if (j.stuck)
            stuck.append(QJsonObject{{QStringLiteral("device"), j.id()},
                {QStringLiteral("stage"), stageName(j.stage())},
                {QStringLiteral("since"), formatAuditTime(j.sinceMs())},
                {QStringLiteral("stuckForMs"), j.stuckForMs(board.now())}});
    }
    QJsonArray failures;
    for (const FailureGroup &g : board.failures())
        failures.append(QJsonObject{{QStringLiteral("reason"), g.reason},
            {QStringLiteral("devices"), QJsonArray::fromStringList(g.deviceIds)}});
    QJsonArray minutes;
    for (const ThroughputPoint &p : lastMinutes(board))
        minutes.append(QJsonObject{{QStringLiteral("time"), formatAuditTime(p.timeMs)},
            {QStringLiteral("onboarded"), qRound(p.perMinute)}});
    return QJsonObject{{QStringLiteral("time"), formatAuditTime(board.now())},
        {QStringLiteral("lastSeq"), board.lastSeq()}, {QStringLiteral("devices"), counts.total},
        {QStringLiteral("stages"), stages}, {QStringLiteral("stuck"), stuck},
        {QStringLiteral("failures"), failures},
        {QStringLiteral("onboardedPerMinute"),
            QJsonObject{{QStringLiteral("lastMinutes"), minutes},
                {QStringLiteral("average"), board.onboardedPerMinute(kMinutes * kMinute)}}}};
}

void printStatus(const Board &board)
{
    const StageCounts counts = board.counts();
    out() << "Board at " << formatAuditTime(board.now()) << ": " << counts.total << " devices\n";
    QList<QStringList> rows;
    for (int i = 0; i < kStageCount; ++i) {
        const auto stage = Stage(i);
        rows.append({stageTitle(stage), QString::number(counts.at(stage)),
            QString::number(counts.stuckAt(stage))});
    }
    printTable({QStringLiteral("STAGE"), QStringLiteral("DEVICES"), QStringLiteral("STUCK")}, rows);
    QStringList stuck;
    for (int i = 0; i < board.size(); ++i) {
        const Journey &j = board.at(i);
        if (j.stuck)
            stuck.append(
                QStringLiteral("  %1: %2 for %3")
                    .arg(j.id(), stageTitle(j.stage()), minutesText(j.stuckForMs(board.now()))));
    }
    out() << "\nStuck devices:" << (stuck.isEmpty() ? QStringLiteral(" none") : QString()) << '\n';
    for (const QString &line : std::as_const(stuck))
        out() << line << '\n';
    const QList<FailureGroup> failures = board.failures();
    out() << "\nFailures:" << (failures.isEmpty() ? QStringLiteral(" none") : QString()) << '\n';
    for (const FailureGroup &g : failures)
        out() << "  " << g.reason << " (" << g.deviceIds.size()
              << "): " << g.deviceIds.join(QStringLiteral(", ")) << '\n';
    out() << "\nOnboarded per minute, last " << kMinutes << " minutes (average "
          << QString::number(board.onboardedPerMinute(kMinutes * kMinute), 'f', 1) << "):\n";
    for (const ThroughputPoint &p : lastMinutes(board))
        out() << "  " << QDateTime::fromMSecsSinceEpoch(p.timeMs, Qt::UTC).toString(u"HH:mm")
              << " UTC  " << qRound(p.perMinute) << '\n';
    out().flush();
}

void print(const Board &board, bool json, bool watching)
{
    if (!json) {
        printStatus(board);
        return;
    }
    const QJsonObject object = statusJson(board);
    // --watch: one compact object per line (JSON Lines).
    out() << QJsonDocument(object).toJson(
        watching ? QJsonDocument::Compact : QJsonDocument::Indented);
    if (watching)
        out() << '\n';
    out().flush();
}

Result<void> writeReport(
    const Board &board, store::Store &store, const QString &path, const QCommandLineParser &parser)
{
    BoardReportOptions options;
    options.workspace = store.database().display();
    options.site = parser.value(QStringLiteral("site"));
    auto fingerprints = inventoryFingerprints(store);
    if (!fingerprints)
        return std::unexpected(fingerprints.error());
    options.fingerprints = std::move(*fingerprints);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(boardReportHtml(board, options).toUtf8()) < 0
        || !file.commit())
        return fail(Error::Code::Io,
            QStringLiteral("Could not write the report to %1: %2. Choose a folder you can write "
                           "to.")
                .arg(path, file.errorString()));
    return {};
}

} // namespace

int statusCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("The onboarding board from the audit log: devices per stage, stuck "
                       "devices, failures by reason and onboardings per minute."));
    parser.addHelpOption();
    parser.addOptions({workspaceOption(), databaseOption(),
        QCommandLineOption(QStringLiteral("json"), QStringLiteral("Print JSON.")),
        QCommandLineOption(QStringLiteral("watch"),
            QStringLiteral("Keep running and print the board again whenever it changes, until "
                           "interrupted (with --json: one object per line).")),
        QCommandLineOption(QStringLiteral("report"),
            QStringLiteral("Write the board as an HTML report a customer can sign off."),
            QStringLiteral("FILE")),
        QCommandLineOption(QStringLiteral("site"),
            QStringLiteral("With --report: only the devices of this site."),
            QStringLiteral("SITE"))});
    if (auto stop = parseCommandLine(parser, args, QStringLiteral("status")))
        return *stop;
    const bool json = parser.isSet(QStringLiteral("json"));
    const bool watch = parser.isSet(QStringLiteral("watch"));
    const QString reportPath = parser.value(QStringLiteral("report"));
    if (watch && !reportPath.isEmpty())
        return reportError(Error::make(Error::Code::InvalidArgument,
            QStringLiteral("--report writes the board once; leave out --watch.")));

    auto store = openStoreForReading(parser);
    if (!store)
        return reportError(store.error());
    Board board;
    if (auto loaded = board.load(**store); !loaded)
        return reportError(loaded.error());
    board.refreshStuck();
    if (!reportPath.isEmpty()) {
        if (auto written = writeReport(board, **store, reportPath, parser); !written)
            return reportError(written.error());
        out() << "Wrote the board report (" << board.size() << " devices) to " << reportPath
              << '\n';
        out().flush();
        return ExitOk;
    }
    print(board, json, watch);
    if (!watch)
        return ExitOk;

    BoardFeed feed(**store, board);
    if (auto ok = quitOnSignals(&feed); !ok)
        return reportError(ok.error());
    QObject::connect(&feed, &BoardFeed::changed, &feed, [&](const BoardDelta &) {
        if (!json)
            out() << '\n';
        print(board, json, true);
    });
    QObject::connect(&feed, &BoardFeed::errorOccurred, &feed, [&](const Error &error) {
        err() << "error: " << error.message << " (still watching; the board keeps what it had)\n";
        err().flush();
    });
    feed.start();
    QCoreApplication::exec();
    feed.stop();
    return ExitOk;
}

} // namespace provbench::cli
