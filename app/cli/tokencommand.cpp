#include "app/cli/clistore.h"
#include "app/cli/cliutil.h"
#include "app/cli/clivault.h"
#include "app/cli/commands.h"
#include "app/onboarding/enrollment/tokenservice.h"
#include "app/profiles/profilelibrary.h"

#include <cmath>

namespace provbench::cli {

int tokenCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "One-time enrollment tokens for the EST service (docs/est.md).\n"
        "  issue     a new token for --device ID; the device is added to the inventory\n"
        "            (with --profile, its profile is set). The token is printed as the\n"
        "            last line and stored only as a hash: it cannot be shown again."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("issue."));
    const QCommandLineOption device(QStringLiteral("device"),
        QStringLiteral("The device id (the CSR's CN)."), QStringLiteral("ID"));
    const QCommandLineOption ttl(QStringLiteral("ttl"),
        QStringLiteral("Minutes until the token expires (fractions allowed; default: the "
                       "profile's, else 60)."),
        QStringLiteral("MIN"));
    const QCommandLineOption profile(QStringLiteral("profile"),
        QStringLiteral("The device's dynamic profile (file, id or name): its key type, token "
                       "lifetime, approval and certificate lifetime apply."),
        QStringLiteral("P"));
    const QCommandLineOption reusable(QStringLiteral("reusable"),
        QStringLiteral("The token may be used until it expires (default: single use, or the "
                       "profile's setting)."));
    parser.addOptions({workspaceOption(), databaseOption(), device, ttl, profile, reusable});
    if (auto stop = parseCommandLine(parser, args, QStringLiteral("token"), 1))
        return *stop;
    if (parser.positionalArguments().value(0) != u"issue")
        return reportError(Error::make(Error::Code::InvalidArgument,
            QStringLiteral("Name the action: issue. Run 'provbench-cli token --help'.")));
    const QString deviceId = parser.value(device).trimmed();
    if (deviceId.isEmpty())
        return reportError(Error::make(Error::Code::InvalidArgument,
            QStringLiteral("Name the device with --device ID (the CN its CSR will carry).")));

    double minutes = 60;
    bool singleUse = true;
    QString profileName;
    if (parser.isSet(profile)) {
        auto workspace = Workspace::open(workspaceArgument(parser));
        if (!workspace)
            return reportError(workspace.error());
        profiles::ProfileLibrary library(*workspace);
        auto p = library.resolve(parser.value(profile));
        if (!p)
            return reportError(p.error());
        const profiles::DynamicSettings *dynamic = p->dynamicSettings();
        if (!dynamic || dynamic->method != profiles::EnrollmentMethod::Est)
            return reportError(Error::make(Error::Code::InvalidArgument,
                QStringLiteral("The profile '%1' does not enroll over EST; choose a dynamic "
                               "profile with \"method\": \"est\".")
                    .arg(p->name)));
        minutes = dynamic->est.tokenTtlMinutes;
        singleUse = dynamic->est.tokenSingleUse;
        profileName = p->name;
    }
    if (parser.isSet(ttl)) {
        bool ok = false;
        minutes = parser.value(ttl).toDouble(&ok);
        if (!ok || !std::isfinite(minutes) || minutes <= 0 || minutes > 60 * 24 * 30)
            return reportError(Error::make(Error::Code::InvalidArgument,
                QStringLiteral("--ttl takes minutes between 0 and 43200 (30 days), such as 60 "
                               "or 0.5.")));
    }
    if (parser.isSet(reusable))
        singleUse = false;

    QString url = parser.value(QStringLiteral("db"));
    if (url.isEmpty())
        url = qEnvironmentVariable("PROVBENCH_DB");
    auto store
        = store::Store::open(url, workspaceArgument(parser), store::AuditLog::defaultActor());
    if (!store)
        return reportError(store.error());
    store::InventoryDevice record;
    record.id = deviceId;
    record.profile = profileName;
    if (auto ok = (*store)->inventory().upsert(record); !ok)
        return reportError(ok.error());
    enrollment::TokenService tokens(**store);
    auto issued = tokens.issue(
        deviceId, std::chrono::seconds(qint64(std::llround(minutes * 60))), singleUse);
    if (!issued)
        return reportError(issued.error());
    if (auto ok = (*store)->inventory().setState(deviceId, QStringLiteral("token-issued")); !ok)
        return reportError(ok.error());
    out() << "Enrollment token " << issued->id << " for device " << deviceId << ", "
          << (singleUse ? "single use" : "reusable") << ", expires "
          << issued->expiresAt.toString(Qt::ISODate) << ".\n"
          << "It is shown only now; hand it to the device as its EST password.\n"
          << issued->token << '\n';
    out().flush();
    return ExitOk;
}

} // namespace provbench::cli
