#include "app/cli/clistore.h"
#include "app/cli/cliutil.h"
#include "app/cli/clivault.h"
#include "app/cli/commands.h"

#include <QJsonArray>
#include <QJsonObject>

namespace provbench::cli {

using namespace provbench::store;

namespace {

QJsonObject toJson(const InventoryDevice &d)
{
    return QJsonObject{{QStringLiteral("id"), d.id},
        {QStringLiteral("serialNumber"), d.serialNumber}, {QStringLiteral("name"), d.name},
        {QStringLiteral("site"), d.site}, {QStringLiteral("transport"), d.transport},
        {QStringLiteral("transportId"), d.transportId}, {QStringLiteral("profile"), d.profile},
        {QStringLiteral("fingerprints"), QJsonArray::fromStringList(d.fingerprints)},
        {QStringLiteral("state"), d.state}, {QStringLiteral("failureReason"), d.failureReason},
        {QStringLiteral("claimedBy"), d.claimedBy}, {QStringLiteral("createdAt"), d.createdAt},
        {QStringLiteral("updatedAt"), d.updatedAt}};
}

} // namespace

int inventoryCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("The device inventory (shared by the benches that use the same database).\n"
                       "  list      the devices with their state, profile and claiming bench"));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("list."));
    parser.addOptions({workspaceOption(), databaseOption(),
        QCommandLineOption(QStringLiteral("json"), QStringLiteral("Print JSON.")),
        QCommandLineOption(QStringLiteral("state"), QStringLiteral("Only devices in this state."),
            QStringLiteral("STATE")),
        QCommandLineOption(QStringLiteral("site"), QStringLiteral("Only devices at this site."),
            QStringLiteral("SITE")),
        QCommandLineOption(QStringLiteral("profile"),
            QStringLiteral("Only devices with this profile."), QStringLiteral("NAME")),
        QCommandLineOption(QStringLiteral("claimed-by"),
            QStringLiteral("Only devices held by this bench ('-': unclaimed ones)."),
            QStringLiteral("BENCH"))});
    if (auto stop = parseCommandLine(parser, args, QStringLiteral("inventory"), 1))
        return *stop;
    if (parser.positionalArguments().value(0) != u"list")
        return reportError(Error::make(Error::Code::InvalidArgument,
            QStringLiteral("Name the action: list. Run 'provbench-cli inventory --help'.")));
    auto store = openStoreForReading(parser);
    if (!store)
        return reportError(store.error());
    DeviceQuery query;
    query.state = parser.value(QStringLiteral("state"));
    query.site = parser.value(QStringLiteral("site"));
    query.profile = parser.value(QStringLiteral("profile"));
    query.claimedBy = parser.value(QStringLiteral("claimed-by"));
    auto devices = (*store)->inventory().list(query);
    if (!devices)
        return reportError(devices.error());
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray array;
        for (const InventoryDevice &d : std::as_const(*devices))
            array.append(toJson(d));
        printJson(array);
        return ExitOk;
    }
    QList<QStringList> rows;
    for (const InventoryDevice &d : std::as_const(*devices)) {
        QString state = d.state;
        if (!d.failureReason.isEmpty())
            state += QStringLiteral(" (") + d.failureReason + u')';
        rows.append({d.id, d.name, d.site, d.transport + u' ' + d.transportId, d.profile, state,
            d.claimedBy, d.updatedAt});
    }
    printTable({QStringLiteral("ID"), QStringLiteral("NAME"), QStringLiteral("SITE"),
                   QStringLiteral("TRANSPORT"), QStringLiteral("PROFILE"), QStringLiteral("STATE"),
                   QStringLiteral("CLAIMED BY"), QStringLiteral("UPDATED")},
        rows);
    out() << devices->size() << " devices\n";
    out().flush();
    return ExitOk;
}

} // namespace provbench::cli
