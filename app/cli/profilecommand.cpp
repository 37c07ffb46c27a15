#include "app/cli/cliutil.h"
#include "app/cli/clivault.h"
#include "app/cli/commands.h"
#include "app/profiles/comparison.h"
#include "app/profiles/inventorycheck.h"
#include "app/profiles/profilelibrary.h"
#include "app/storage/credentialledger.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace provbench::cli {

using namespace provbench::profiles;

namespace {

const QStringList kActions = {QStringLiteral("list"), QStringLiteral("show"),
    QStringLiteral("validate"), QStringLiteral("import"), QStringLiteral("export"),
    QStringLiteral("compare"), QStringLiteral("preview"), QStringLiteral("samples")};

QJsonArray issuesJson(const Issues &issues)
{
    QJsonArray arr;
    for (const Issue &i : issues)
        arr.append(
            QJsonObject{{QStringLiteral("path"), i.path}, {QStringLiteral("message"), i.message}});
    return arr;
}

} // namespace

int profileCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Manage and compare provisioning profiles in a workspace.\n"
        "  list                       the workspace's profiles and whether they are valid\n"
        "  show P                     a profile as JSON (secrets masked unless --include-secrets)\n"
        "  validate P...              check profiles; exit 1 when any has issues\n"
        "  import FILE                copy a profile file into the workspace\n"
        "  export P FILE              write a profile to FILE (secrets masked unless "
        "--include-secrets)\n"
        "  compare A B                compare two profiles for --devices N\n"
        "  preview P                  hostname, name and address per device, and collisions\n"
        "                             (--devices N, or --serial S for each device)\n"
        "  samples                    add the sample profiles shipped with ProvBench\n"
        "P, A and B are a file path, a profile id or a profile name."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("What to do."));
    const QCommandLineOption workspace = workspaceOption();
    QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    QCommandLineOption secrets(QStringLiteral("include-secrets"),
        QStringLiteral("Write secret values instead of <redacted>."));
    QCommandLineOption devices(QStringLiteral("devices"),
        QStringLiteral("Fleet size for compare (default 1)."), QStringLiteral("N"),
        QStringLiteral("1"));
    QCommandLineOption format(QStringLiteral("format"),
        QStringLiteral("compare output: table (default), json or markdown."), QStringLiteral("F"),
        QStringLiteral("table"));
    QCommandLineOption serial(QStringLiteral("serial"),
        QStringLiteral("preview: a device serial number (repeatable, in "
                       "sequence order)."),
        QStringLiteral("S"));
    parser.addOptions({workspace, json, secrets, devices, format, serial});
    auto usage = [](const QString &msg) {
        return reportError(Error::make(Error::Code::InvalidArgument,
            msg + QStringLiteral(" Run 'provbench-cli profile --help'.")));
    };
    if (auto stop = parseCommandLine(parser, args, QStringLiteral("profile"), -1))
        return *stop;
    const QStringList pos = parser.positionalArguments();
    if (pos.isEmpty() || !kActions.contains(pos.first()))
        return usage(
            QStringLiteral("Name one action: %1.").arg(kActions.join(QStringLiteral(", "))));
    const QString action = pos.first();
    const QStringList rest = pos.mid(1);

    auto ws = Workspace::open(workspaceArgument(parser));
    if (!ws)
        return reportError(ws.error());
    ProfileLibrary library(*ws);
    const bool asJson = parser.isSet(json);

    if (action == u"list") {
        const auto entries = library.entries();
        if (asJson) {
            QJsonArray arr;
            for (const auto &e : entries)
                arr.append(
                    QJsonObject{{QStringLiteral("id"), e.id}, {QStringLiteral("name"), e.name},
                        {QStringLiteral("kind"), e.kind ? kindName(*e.kind) : QString()},
                        {QStringLiteral("valid"), e.parses && e.issues.isEmpty()},
                        {QStringLiteral("issues"), issuesJson(e.issues)}});
            printJson(arr);
            return ExitOk;
        }
        if (entries.isEmpty()) {
            out()
                << "No profiles in " << ws->profilesDir()
                << " yet: run 'provbench-cli profile samples' to add the samples, or import one.\n";
            return ExitOk;
        }
        QList<QStringList> rows;
        for (const auto &e : entries)
            rows.append({e.id, e.name, e.kind ? kindName(*e.kind) : QStringLiteral("?"),
                e.issues.isEmpty() ? QStringLiteral("ok")
                                   : QStringLiteral("%1 issue(s)").arg(e.issues.size())});
        printTable({QStringLiteral("ID"), QStringLiteral("NAME"), QStringLiteral("KIND"),
                       QStringLiteral("STATUS")},
            rows);
        return ExitOk;
    }
    if (action == u"samples") {
        auto n = library.installSamples();
        if (!n)
            return reportError(n.error());
        out() << "Added " << *n << " sample profile(s) to " << ws->profilesDir() << ".\n";
        return ExitOk;
    }
    if (action == u"show") {
        if (rest.size() != 1)
            return usage(QStringLiteral("profile show takes one profile."));
        auto p = library.resolve(rest.first());
        if (!p)
            return reportError(p.error());
        out() << toJson(*p, parser.isSet(secrets) ? SecretPolicy::Include : SecretPolicy::Mask);
        return ExitOk;
    }
    if (action == u"validate") {
        if (rest.isEmpty())
            return usage(QStringLiteral("profile validate takes one or more profiles."));
        bool allValid = true;
        QJsonArray results;
        for (const QString &ref : rest) {
            Issues issues;
            auto p = library.resolve(ref);
            if (!p && p.error().code == Error::Code::NotFound)
                return reportError(p.error());
            if (!p)
                issues = {Issue{QString(), p.error().message}};
            else
                issues = validate(*p);
            allValid = allValid && issues.isEmpty();
            if (asJson) {
                results.append(QJsonObject{{QStringLiteral("profile"), ref},
                    {QStringLiteral("valid"), issues.isEmpty()},
                    {QStringLiteral("issues"), issuesJson(issues)}});
            } else if (issues.isEmpty()) {
                out() << ref << ": valid\n";
            } else {
                out() << ref << ": " << issues.size() << " issue(s)\n";
                for (const Issue &i : issues)
                    out() << "  " << i.toString() << '\n';
            }
        }
        if (asJson)
            printJson(results);
        return allValid ? ExitOk : ExitFailed;
    }
    if (action == u"import") {
        if (rest.size() != 1)
            return usage(QStringLiteral("profile import takes one file."));
        auto id = library.importFile(rest.first());
        if (!id) {
            // An invalid file is a failed operation, not a usage mistake.
            const int code = reportError(id.error());
            return id.error().code == Error::Code::InvalidArgument ? int(ExitFailed) : code;
        }
        out() << "Imported as " << *id << '\n';
        return ExitOk;
    }
    if (action == u"export") {
        if (rest.size() != 2)
            return usage(QStringLiteral("profile export takes a profile and a target file."));
        auto p = library.resolve(rest[0]);
        if (!p)
            return reportError(p.error());
        const bool include = parser.isSet(secrets);
        if (auto ok = Workspace::writeFile(
                rest[1], toJson(*p, include ? SecretPolicy::Include : SecretPolicy::Mask));
            !ok)
            return reportError(ok.error());
        out() << "Exported to " << rest[1]
              << (include ? " WITH its secrets: keep that file private.\n"
                          : " (secrets masked; use --include-secrets to keep them).\n");
        return ExitOk;
    }
    if (action == u"preview") {
        if (rest.size() != 1)
            return usage(QStringLiteral("profile preview takes one profile."));
        auto p = library.resolve(rest.first());
        if (!p)
            return reportError(p.error());
        QList<DeviceVars> fleet;
        const QStringList serials = parser.values(serial);
        bool countOk = false;
        const int count
            = serials.isEmpty() ? parser.value(devices).toInt(&countOk) : int(serials.size());
        if (serials.isEmpty() && (!countOk || count < 1 || count > 100000))
            return usage(QStringLiteral("--devices takes a number from 1 to 100000."));
        for (int i = 0; i < count; ++i)
            fleet.append(DeviceVars{serials.value(i), QString(), QString(), QString(), i + 1});
        const InventoryCheck check = checkInventory(*p, fleet);
        if (asJson) {
            QJsonArray rows, collisions;
            for (const auto &r : check.rows)
                rows.append(QJsonObject{{QStringLiteral("device"), r.device},
                    {QStringLiteral("hostname"), r.hostname},
                    {QStringLiteral("deviceName"), r.deviceName},
                    {QStringLiteral("address"), r.address}, {QStringLiteral("error"), r.error}});
            for (const auto &c : check.collisions)
                collisions.append(QJsonObject{{QStringLiteral("field"), c.field},
                    {QStringLiteral("value"), c.value},
                    {QStringLiteral("devices"), QJsonArray::fromStringList(c.devices)}});
            printJson(QJsonObject{
                {QStringLiteral("devices"), rows}, {QStringLiteral("collisions"), collisions}});
        } else {
            QList<QStringList> rows;
            for (const auto &r : check.rows)
                rows.append({r.device, r.hostname, r.deviceName, r.address, r.error});
            printTable(
                {QStringLiteral("DEVICE"), QStringLiteral("HOSTNAME"), QStringLiteral("NAME"),
                    QStringLiteral("ADDRESS"), QStringLiteral("PROBLEM")},
                rows);
            for (const auto &c : check.collisions)
                out() << "collision: " << c.devices.size() << " devices get " << c.field << " \""
                      << c.value << "\": " << c.devices.join(QStringLiteral(", ")) << '\n';
            if (check.collisions.isEmpty())
                out() << "No collisions.\n";
        }
        return check.collisions.isEmpty() ? ExitOk : ExitFailed;
    }
    // compare
    if (rest.size() != 2)
        return usage(QStringLiteral("profile compare takes two profiles."));
    bool ok = false;
    const int n = parser.value(devices).toInt(&ok);
    if (!ok || n < 1 || n > 1000000)
        return usage(QStringLiteral("--devices takes a number from 1 to 1000000."));
    const QString fmt = asJson ? QStringLiteral("json") : parser.value(format);
    if (fmt != u"table" && fmt != u"json" && fmt != u"markdown")
        return usage(QStringLiteral("--format is table, json or markdown."));
    auto a = library.resolve(rest[0]);
    if (!a)
        return reportError(a.error());
    auto b = library.resolve(rest[1]);
    if (!b)
        return reportError(b.error());
    // What the ledger saw of each profile in use (reused credentials).
    auto usageOf = [&](const Profile &p) -> UsageFacts {
        auto facts = CredentialLedger::usageOf(*ws, p.name);
        if (!facts) {
            err() << "warning: " << facts.error().message << '\n';
            return {};
        }
        return UsageFacts{facts->devices, facts->reusedCredentials, facts->examples};
    };
    const Comparison cmp = compareProfiles(*a, *b, n, CostModel(), usageOf(*a), usageOf(*b));
    if (fmt == u"json")
        out() << QJsonDocument(comparisonToJson(cmp)).toJson(QJsonDocument::Indented);
    else if (fmt == u"markdown")
        out() << comparisonToMarkdown(cmp);
    else
        out() << comparisonToText(cmp);
    return ExitOk;
}

} // namespace provbench::cli
