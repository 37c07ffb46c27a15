// provbench-cli provision: detect the device's protocol, plan what the
// profile puts on it, make what is needed (keys, certificates), write every
// item, verify it, record what was handed out, and report item by item.

#include "app/cli/clistore.h"
#include "app/cli/cliutil.h"
#include "app/cli/clivault.h"
#include "app/cli/commands.h"
#include "app/onboarding/cryptomaterial.h"
#include "app/onboarding/enrollment/tokenservice.h"
#include "app/onboarding/enrollmentmaterial.h"
#include "app/onboarding/handout.h"
#include "app/onboarding/protocolprobe.h"
#include "app/onboarding/protocoltargets.h"
#include "app/onboarding/servicetokenissuer.h"
#include "app/profiles/profilelibrary.h"
#include "app/storage/credentialledger.h"
#include "app/storage/vault.h"
#include "app/transport/seriallink.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

namespace provbench::cli {

using namespace provbench::onboarding;
using namespace provbench::profiles;

namespace {

} // namespace

int provisionCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Write a profile's settings and credentials to the device on a serial port, verify each "
        "item, and record what was handed out in the workspace's credential ledger.\n"
        "The protocol (Improv Wi-Fi, MCUmgr SMP, nRF91 AT%CMNG) is detected unless --protocol "
        "names it. Keys and certificates come from the workspace CA: the vault passphrase is read "
        "from $PROVBENCH_PASSPHRASE or stdin."));
    parser.addHelpOption();
    QCommandLineOption port(
        QStringLiteral("port"), QStringLiteral("Serial port path."), QStringLiteral("P"));
    QCommandLineOption profile(QStringLiteral("profile"),
        QStringLiteral("Profile file, id or name."), QStringLiteral("F"));
    QCommandLineOption protocol(QStringLiteral("protocol"),
        QStringLiteral("auto (default), improv, smp or nrf91."), QStringLiteral("NAME"),
        QStringLiteral("auto"));
    QCommandLineOption serial(QStringLiteral("serial"),
        QStringLiteral("The device's serial number, for {serial} (default: the "
                       "port's USB serial number, if any)."),
        QStringLiteral("S"));
    QCommandLineOption mac(QStringLiteral("mac"),
        QStringLiteral("The device's MAC address, for {mac} and {mac6} (from its "
                       "label; Improv, SMP and AT do not report it)."),
        QStringLiteral("M"));
    QCommandLineOption seq(QStringLiteral("seq"),
        QStringLiteral("Sequence number for {seq} (default 1)."), QStringLiteral("N"),
        QStringLiteral("1"));
    QCommandLineOption secTag(QStringLiteral("sec-tag"),
        QStringLiteral("nRF91 sec_tag (default 42)."), QStringLiteral("N"), QStringLiteral("42"));
    QCommandLineOption estUrl(QStringLiteral("est-url"),
        QStringLiteral("EST server URL for a dynamic EST profile, instead of the profile's (e.g. "
                       "the https://127.0.0.1:PORT/.well-known/est that 'est serve' prints)."),
        QStringLiteral("URL"));
    QCommandLineOption noStore(QStringLiteral("no-store"),
        QStringLiteral("Do not record the device and its writes in the inventory and audit log "
                       "(a dynamic EST profile needs the store for its token)."));
    QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print the outcome as JSON."));
    QCommandLineOption trace(QStringLiteral("trace"),
        QStringLiteral("Print the wire trace to stderr (secrets redacted)."));
    parser.addOptions({port, profile, protocol, serial, mac, seq, secTag, estUrl, noStore, json,
        trace, workspaceOption(), databaseOption()});
    if (auto stop = parseCommandLine(parser, args, QStringLiteral("provision"), 0))
        return *stop;
    auto usage = [](const QString &msg) {
        return reportError(Error::make(Error::Code::InvalidArgument,
            msg + QStringLiteral(" Run 'provbench-cli provision --help'.")));
    };
    if (!parser.isSet(port) || !parser.isSet(profile))
        return usage(QStringLiteral("--port and --profile are required."));
    bool ok = false;
    const int seqNo = parser.value(seq).toInt(&ok);
    if (!ok || seqNo < 0)
        return usage(QStringLiteral("--seq takes a whole number."));
    const qint64 tag = parser.value(secTag).toLongLong(&ok);
    if (!ok || tag < 0 || tag > 2147483647)
        return usage(QStringLiteral("--sec-tag takes 0 to 2147483647."));
    const QString protoName = parser.value(protocol);
    if (!QStringList{QStringLiteral("auto"), QStringLiteral("improv"), QStringLiteral("smp"),
            QStringLiteral("nrf91")}
             .contains(protoName))
        return usage(QStringLiteral("--protocol is auto, improv, smp or nrf91."));

    auto ws = Workspace::open(workspaceArgument(parser));
    if (!ws)
        return reportError(ws.error());
    ProfileLibrary library(*ws);
    auto prof = library.resolve(parser.value(profile));
    if (!prof)
        return reportError(prof.error());
    const bool dynamicEst
        = prof->dynamicSettings() && prof->dynamicSettings()->method == EnrollmentMethod::Est;
    if (parser.isSet(estUrl)) {
        if (!dynamicEst)
            return usage(QStringLiteral("--est-url applies to a dynamic EST profile only."));
        prof->dynamicSettings()->est.url = parser.value(estUrl);
    }
    if (const Issues issues = validate(*prof); !issues.isEmpty())
        return reportError(Error::make(Error::Code::InvalidArgument,
            QStringLiteral("The profile has problems; fix them first:\n%1").arg(describe(issues))));

    auto resolved = resolvePortPath(parser.value(port));
    if (!resolved)
        return reportError(resolved.error());
    const QString path = *resolved;
    SerialLink link(path);
    if (auto opened = link.open(); !opened)
        return reportError(opened.error());

    DeviceProtocol proto = DeviceProtocol::Improv;
    if (protoName == u"auto") {
        ProtocolProbe probe(&link);
        auto found = await<DeviceProtocol>([&](auto done) { probe.run(done); });
        if (!found)
            return reportError(found.error());
        proto = *found;
    } else {
        proto = protoName == u"smp" ? DeviceProtocol::Smp
            : protoName == u"nrf91" ? DeviceProtocol::Nrf91At
                                    : DeviceProtocol::Improv;
    }
    PlanOptions planOptions;
    planOptions.secTag = int(tag);
    const QList<PlanItem> plan = planCredentials(*prof, proto, planOptions);

    // The vault: needed for keys and certificates, and for the ledger key.
    std::optional<WorkspaceVault> vault;
    if (planNeedsCa(plan) || Vault::exists(*ws)) {
        auto opened = openWorkspaceAndVault(ws->path(), VaultMode::Unlock);
        if (!opened)
            return reportError(opened.error());
        vault = std::move(*opened);
    }
    std::optional<crypto::CertificateAuthority> ca;
    if (planNeedsCa(plan)) {
        auto loaded = crypto::CertificateAuthority::open(*ws, vault->vault);
        if (!loaded)
            return reportError(loaded.error());
        ca = std::move(*loaded);
    }
    std::optional<CryptoMaterial> crypto;
    if (ca)
        crypto.emplace(*prof, *ca);
    ProfileMaterial profileMaterial(*prof, ws->path(), crypto ? &*crypto : nullptr);

    DeviceVars device;
    device.serial = parser.isSet(serial) ? parser.value(serial) : QString();
    device.mac = parser.value(mac);
    device.seq = seqNo;
    const QString deviceId = device.serial.isEmpty() ? path : device.serial;

    // The inventory and audit log (default: the workspace's database); the
    // enrollment token of a dynamic EST profile comes from its token table.
    std::unique_ptr<store::Store> store;
    if (!parser.isSet(noStore)) {
        QString url = parser.value(QStringLiteral("db"));
        if (url.isEmpty())
            url = qEnvironmentVariable("PROVBENCH_DB");
        auto opened = store::Store::open(url, ws->path(), store::AuditLog::defaultActor());
        if (!opened)
            return reportError(opened.error());
        store = std::move(*opened);
    }
    const bool needsToken = std::any_of(plan.cbegin(), plan.cend(),
        [](const PlanItem &i) { return i.source == PlanItem::Source::EnrollmentToken; });
    if (needsToken && device.serial.isEmpty())
        return usage(QStringLiteral("A dynamic EST profile enrolls the device under its id: "
                                    "give it with --serial."));
    if (needsToken && !store)
        return usage(QStringLiteral("A dynamic EST profile needs the workspace store for its "
                                    "one-time token: drop --no-store."));
    std::optional<enrollment::TokenService> tokens;
    std::optional<ServiceTokenIssuer> issuer;
    if (store) {
        tokens.emplace(*store);
        issuer.emplace(*tokens);
    }
    EnrollmentMaterial enrollmentMaterial(&profileMaterial, issuer ? &*issuer : nullptr, deviceId,
        tokenTtl(*prof), tokenSingleUse(*prof));

    const SerialCredentialAccess access = makeSerialAccess(
        proto, &link, parser.isSet(trace) ? std::function(&printTrace) : nullptr);

    RecordingMaterial material(&enrollmentMaterial);
    AuditedTarget audited(access.target.get(), store.get(),
        AuditedTarget::DeviceInfo{deviceId, QString(), QStringLiteral("serial"), path, prof->name});
    audited.setPlan(plan);
    ProvisioningJob job(plan, &audited, &material, device);
    const bool asJson = parser.isSet(json);
    if (!asJson) {
        out() << "Provisioning " << path << " (" << protocolName(proto) << ") with \"" << prof->name
              << "\"\n";
        out().flush();
        QObject::connect(
            &job, &ProvisioningJob::itemFinished, &job, [&](int i, const ItemOutcome &o) {
                out() << "  " << outcomeName(o.state).leftJustified(12) << plan[i].label << ": "
                      << o.detail << '\n';
                out().flush();
            });
    }
    auto result = await<QString>([&](auto done) {
        QObject::connect(
            &job, &ProvisioningJob::finished, &job, [done](bool good, const QString &message) {
                done(good ? Result<QString>(message) : fail(Error::Code::Device, message));
            });
        job.start();
    });

    // Record what was handed out, verified or not: a device that failed
    // verification may still hold the credential.
    QStringList reuseWarnings;
    if (vault) {
        auto key = ledgerKey(*ws, vault->vault);
        auto ledger = key ? CredentialLedger::open(*ws, *key)
                          : Result<CredentialLedger>(std::unexpected(key.error()));
        if (!ledger) {
            err() << "warning: the credential ledger could not be updated: "
                  << ledger.error().message << '\n';
        } else {
            auto reused = recordHandout(
                *ledger, plan, job.outcomes(), material.given(), deviceId, prof->name);
            if (reused)
                reuseWarnings = *reused;
            else
                err() << "warning: the credential ledger could not be updated: "
                      << reused.error().message << '\n';
        }
    } else {
        err()
            << "note: this workspace has no vault, so credential reuse is not tracked; create one "
               "with 'provbench-cli ca init'.\n";
    }

    if (asJson) {
        QJsonArray items;
        for (qsizetype i = 0; i < plan.size(); ++i) {
            const auto &o = job.outcomes()[i];
            items.append(QJsonObject{{QStringLiteral("id"), plan[i].id},
                {QStringLiteral("label"), plan[i].label},
                {QStringLiteral("state"), outcomeName(o.state)},
                {QStringLiteral("deviceHolds"), holdsName(o.holds)},
                {QStringLiteral("detail"), o.detail}});
        }
        printJson(QJsonObject{{QStringLiteral("port"), path},
            {QStringLiteral("protocol"), protocolName(proto)},
            {QStringLiteral("profile"), prof->name}, {QStringLiteral("ok"), bool(result)},
            {QStringLiteral("summary"), result ? *result : result.error().message},
            {QStringLiteral("reused"), QJsonArray::fromStringList(reuseWarnings)},
            {QStringLiteral("items"), items}});
    } else {
        for (const QString &w : reuseWarnings)
            out() << "warning: " << w << '\n';
        for (const QString &w : audited.auditProblems())
            err() << "warning: the audit log or inventory could not be updated: " << w << '\n';
        out() << (result ? *result : result.error().message) << '\n';
        if (result && needsToken)
            out() << "The device now enrolls by itself at " << prof->dynamicSettings()->est.url
                  << "; follow it with 'provbench-cli inventory list' or 'provbench-cli audit "
                     "list --device "
                  << deviceId << "'.\n";
    }
    return result ? ExitOk : ExitFailed;
}

} // namespace provbench::cli
