#include "app/cli/clistore.h"
#include "app/cli/cliutil.h"
#include "app/cli/clivault.h"
#include "app/cli/commands.h"
#include "app/storage/store/auditexport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QSaveFile>

#include <cstdio>

namespace provbench::cli {

using namespace provbench::store;

namespace {

QString problemName(AuditVerification::Problem p)
{
    using P = AuditVerification::Problem;
    switch (p) {
    case P::None:
        return QStringLiteral("none");
    case P::HashMismatch:
        return QStringLiteral("hash-mismatch");
    case P::BrokenLink:
        return QStringLiteral("broken-link");
    case P::Missing:
        return QStringLiteral("missing");
    case P::OutOfOrder:
        return QStringLiteral("out-of-order");
    case P::BadReference:
        return QStringLiteral("bad-reference");
    case P::TailDeleted:
        return QStringLiteral("tail-deleted");
    case P::AnchorMismatch:
        return QStringLiteral("anchor-mismatch");
    case P::AnchorMissing:
        return QStringLiteral("anchor-missing");
    case P::ExternalAnchor:
        return QStringLiteral("external-anchor");
    }
    return QString();
}

int verifyAction(AuditLog &log, const QCommandLineParser &parser)
{
    std::optional<AuditAnchor> external;
    if (parser.isSet(QStringLiteral("anchor"))) {
        auto a = AuditAnchor::parse(parser.value(QStringLiteral("anchor")));
        if (!a)
            return reportError(a.error());
        external = *a;
    }
    auto v = log.verify(external);
    if (!v)
        return reportError(v.error());
    const QString head = QStringLiteral("%1:%2").arg(v->headSeq).arg(v->headHash);
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonObject o{{QStringLiteral("ok"), v->ok()}, {QStringLiteral("records"), v->records},
            {QStringLiteral("head"), head}};
        if (!v->ok()) {
            o.insert(QStringLiteral("badSeq"), v->badSeq);
            o.insert(QStringLiteral("problem"), problemName(v->problem));
            o.insert(QStringLiteral("message"), v->message);
        }
        printJson(o);
    } else if (v->ok()) {
        out() << "chain ok: " << v->records << " records\n"
              << "head: " << head << '\n'
              << "Note the head down outside this database: 'provbench-cli audit verify "
                 "--anchor "
              << head << "' later shows that nothing up to it was rewritten.\n";
    } else {
        out() << "chain broken at record " << v->badSeq << ": " << v->message << '\n'
              << "The " << v->records << " records before it verify.\n";
    }
    out().flush();
    return v->ok() ? ExitOk : ExitFailed;
}

Result<AuditFilter> filterFrom(const QCommandLineParser &parser)
{
    AuditFilter f;
    f.deviceId = parser.value(QStringLiteral("device"));
    f.kind = parser.value(QStringLiteral("kind"));
    f.from = parser.value(QStringLiteral("since"));
    f.until = parser.value(QStringLiteral("until"));
    if (parser.isSet(QStringLiteral("limit"))) {
        bool ok = false;
        f.limit = parser.value(QStringLiteral("limit")).toLongLong(&ok);
        if (!ok || f.limit < 1)
            return fail(Error::Code::InvalidArgument,
                QStringLiteral("--limit takes a number of records (1 or more)."));
    }
    return f;
}

int listAction(AuditLog &log, const AuditFilter &filter, bool asJson)
{
    auto records = log.records(filter);
    if (!records)
        return reportError(records.error());
    if (asJson) {
        QJsonArray array;
        for (const AuditRecord &r : std::as_const(*records))
            array.append(auditexport::toJson(r));
        printJson(array);
        return ExitOk;
    }
    QList<QStringList> rows;
    for (const AuditRecord &r : std::as_const(*records)) {
        QString details = QString::fromUtf8(r.details);
        if (details.size() > 60)
            details = details.left(57) + QStringLiteral("...");
        rows.append({QString::number(r.seq), r.time, r.actor, r.kind, r.deviceId,
            r.intentSeq > 0 ? QString::number(r.intentSeq) : QString(), details});
    }
    printTable({QStringLiteral("SEQ"), QStringLiteral("TIME"), QStringLiteral("ACTOR"),
                   QStringLiteral("KIND"), QStringLiteral("DEVICE"), QStringLiteral("INTENT"),
                   QStringLiteral("DETAILS")},
        rows);
    return ExitOk;
}

int exportAction(AuditLog &log, const AuditFilter &filter, const QCommandLineParser &parser)
{
    auto format = auditexport::parseFormat(parser.value(QStringLiteral("format")));
    if (!format)
        return reportError(format.error());
    if (!parser.isSet(QStringLiteral("out"))) {
        out().flush();
        QFile stdoutFile;
        if (!stdoutFile.open(stdout, QIODevice::WriteOnly))
            return reportError(Error::make(Error::Code::Io,
                QStringLiteral("Cannot write to standard output: use --out FILE.")));
        auto n = auditexport::write(log, filter, *format, stdoutFile);
        stdoutFile.close();
        return n ? ExitOk : reportError(n.error());
    }
    // Written whole or not at all.
    QSaveFile file(parser.value(QStringLiteral("out")));
    if (!file.open(QIODevice::WriteOnly))
        return reportError(Error::make(Error::Code::Io,
            QStringLiteral("Cannot write %1: %2. Check the folder exists and is writable.")
                .arg(file.fileName(), file.errorString())));
    auto n = auditexport::write(log, filter, *format, file);
    if (!n)
        return reportError(n.error());
    if (!file.commit())
        return reportError(Error::make(Error::Code::Io,
            QStringLiteral("Cannot save %1: %2.").arg(file.fileName(), file.errorString())));
    err() << "Exported " << *n << " records to " << file.fileName() << ".\n";
    err().flush();
    return ExitOk;
}

} // namespace

int auditCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "The tamper-evident audit log of the inventory database.\n"
        "  verify    walk the hash chain; prints 'chain ok: N records' and the head to note\n"
        "            down (exit 0), or names the first tampered record (exit 1)\n"
        "  list      the records, oldest first (--json for JSON)\n"
        "  export    CSV (formula cells neutralised) or JSON, to --out FILE or stdout\n"
        "Filters (list, export): --device, --kind (exact, or 'intent.*'), --since, --until\n"
        "(UTC times such as 2024-05-01 or 2024-05-01T12:00), --limit."));
    parser.addHelpOption();
    parser.addPositionalArgument(
        QStringLiteral("action"), QStringLiteral("verify, list or export."));
    parser.addOptions({workspaceOption(), databaseOption(),
        QCommandLineOption(QStringLiteral("json"), QStringLiteral("verify, list: print JSON.")),
        QCommandLineOption(QStringLiteral("anchor"),
            QStringLiteral("verify: also check a head noted down earlier (SEQ:HASH)."),
            QStringLiteral("SEQ:HASH")),
        QCommandLineOption(QStringLiteral("format"),
            QStringLiteral("export: csv (default) or json."), QStringLiteral("FORMAT"),
            QStringLiteral("csv")),
        QCommandLineOption(QStringLiteral("out"),
            QStringLiteral("export: the file to write (default: standard output)."),
            QStringLiteral("FILE")),
        QCommandLineOption(QStringLiteral("device"), QStringLiteral("Only this device's records."),
            QStringLiteral("ID")),
        QCommandLineOption(QStringLiteral("kind"),
            QStringLiteral("Only this kind, or a family such as 'intent.*'."),
            QStringLiteral("KIND")),
        QCommandLineOption(QStringLiteral("since"),
            QStringLiteral("Only records at or after this UTC time."), QStringLiteral("TIME")),
        QCommandLineOption(QStringLiteral("until"),
            QStringLiteral("Only records before this UTC time."), QStringLiteral("TIME")),
        QCommandLineOption(QStringLiteral("limit"),
            QStringLiteral("At most N records (the oldest)."), QStringLiteral("N"))});
    if (auto stop = parseCommandLine(parser, args, QStringLiteral("audit"), 1))
        return *stop;
    const QStringList pos = parser.positionalArguments();
    const QString action = pos.value(0);
    if (action != u"verify" && action != u"list" && action != u"export")
        return reportError(Error::make(Error::Code::InvalidArgument,
            QStringLiteral("Name one action: verify, list or export. Run 'provbench-cli audit "
                           "--help'.")));
    auto filter = filterFrom(parser);
    if (!filter)
        return reportError(filter.error());
    auto store = openStoreForReading(parser);
    if (!store)
        return reportError(store.error());
    AuditLog &log = (*store)->audit();
    if (action == u"verify")
        return verifyAction(log, parser);
    if (action == u"list")
        return listAction(log, *filter, parser.isSet(QStringLiteral("json")));
    return exportAction(log, *filter, parser);
}

} // namespace provbench::cli
