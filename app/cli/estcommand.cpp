#include "app/cli/clistore.h"
#include "app/cli/cliutil.h"
#include "app/cli/clivault.h"
#include "app/cli/commands.h"
#include "app/crypto/certificateauthority.h"
#include "app/onboarding/enrollment/esthost.h"
#include "app/onboarding/enrollment/estserver.h"
#include "app/onboarding/enrollment/servercertificate.h"
#include "app/profiles/profilelibrary.h"

#include <QCoreApplication>

namespace provbench::cli {

using namespace provbench::enrollment;

namespace {

Result<ListenAddress> parseListen(const QString &text)
{
    if (auto parsed = parseListenAddress(text))
        return *parsed;
    return fail(Error::Code::InvalidArgument,
        QStringLiteral("--listen takes ADDRESS:PORT, such as 127.0.0.1:8443, 0.0.0.0:8443 or "
                       "[::1]:8443 (port 0: any free port)."));
}

int serve(const QCommandLineParser &parser)
{
    auto listen = parseListen(parser.value(QStringLiteral("listen")));
    if (!listen)
        return reportError(listen.error());
    EstServerOptions serverOptions;
    serverOptions.address = listen->address;
    serverOptions.port = listen->port;
    bool ok = true;
    if (parser.isSet(QStringLiteral("max-connections"))) {
        serverOptions.maxConnections = parser.value(QStringLiteral("max-connections")).toInt(&ok);
        if (!ok || serverOptions.maxConnections < 1 || serverOptions.maxConnections > 4096)
            return reportError(Error::make(Error::Code::InvalidArgument,
                QStringLiteral("--max-connections takes a number from 1 to 4096.")));
    }
    if (parser.isSet(QStringLiteral("read-timeout"))) {
        const double seconds = parser.value(QStringLiteral("read-timeout")).toDouble(&ok);
        if (!ok || seconds < 0.1 || seconds > 600)
            return reportError(Error::make(Error::Code::InvalidArgument,
                QStringLiteral("--read-timeout takes seconds from 0.1 to 600.")));
        serverOptions.headerTimeoutMs = int(seconds * 1000);
        serverOptions.handshakeTimeoutMs = int(seconds * 1000);
        serverOptions.idleTimeoutMs = int(seconds * 1500);
        serverOptions.bodyTimeoutMs = int(seconds * 3000);
    }

    auto wv = openWorkspaceAndVault(parser);
    if (!wv)
        return reportError(wv.error());
    auto ca = crypto::CertificateAuthority::open(wv->workspace, wv->vault);
    if (!ca)
        return reportError(ca.error());
    auto store = openStoreForWriting(parser);
    if (!store)
        return reportError(store.error());
    auto tls
        = ensureServerCertificate(wv->workspace, wv->vault, *ca, serverNamesFor(listen->address));
    if (!tls)
        return reportError(tls.error());

    profiles::ProfileLibrary library(wv->workspace);
    EstServiceOptions options;
    options.manualApproval = parser.isSet(QStringLiteral("manual-approval"));
    options.profileLookup = [&library](const QString &name) -> std::optional<profiles::Profile> {
        library.reload();
        auto p = library.resolve(name);
        return p ? std::optional<profiles::Profile>(*p) : std::nullopt;
    };
    TokenService tokens(**store);
    EstService service(*ca, **store, tokens, options);
    EstServer server(service, tls->certificate, tls->key, ca->chain(), serverOptions);
    if (auto ok = server.listen(); !ok)
        return reportError(ok.error());
    if (auto ok = quitOnSignals(&server); !ok)
        return reportError(ok.error());

    out() << "EST service: https://" << urlHost(server.address()) << ':' << server.port()
          << "/.well-known/est\n"
          << "CA SHA-256: " << ca->certificate().fingerprint() << '\n'
          << "Trust anchor: " << wv->workspace.filePath(QStringLiteral("ca/ca.pem")) << '\n'
          << "TLS certificate: " << wv->workspace.filePath(QStringLiteral("est/server.pem"))
          << (tls->reused ? " (reused)" : " (new)") << '\n'
          << (options.manualApproval ? "Every enrollment waits for approval.\n" : "")
          << "Press Ctrl+C to stop.\n";
    out().flush();
    QCoreApplication::exec();
    server.close();
    out() << "EST service stopped.\n";
    out().flush();
    return ExitOk;
}

int listPending(const QCommandLineParser &parser)
{
    auto store = openStoreForReading(parser);
    if (!store)
        return reportError(store.error());
    ApprovalQueue queue(**store);
    auto pending = queue.pending();
    if (!pending)
        return reportError(pending.error());
    QList<QStringList> rows;
    for (const EnrollmentRequest &r : std::as_const(*pending))
        rows.append(
            {QString::number(r.id), r.deviceId, r.csrFingerprint.left(23) + u'…', r.createdAt});
    printTable({QStringLiteral("REQUEST"), QStringLiteral("DEVICE"), QStringLiteral("CSR SHA-256"),
                   QStringLiteral("SINCE")},
        rows);
    if (rows.isEmpty())
        out() << "No enrollment requests are waiting for approval.\n";
    out().flush();
    return ExitOk;
}

int decide(const QCommandLineParser &parser, bool approve)
{
    bool ok = false;
    const qint64 id = parser.value(QStringLiteral("request")).toLongLong(&ok);
    if (!ok || id <= 0)
        return reportError(Error::make(Error::Code::InvalidArgument,
            QStringLiteral(
                "Name the request with --request N (see 'provbench-cli est pending').")));
    auto store = openStoreForReading(parser);
    if (!store)
        return reportError(store.error());
    ApprovalQueue queue(**store);
    const QString by = (*store)->audit().actor();
    auto decided = approve ? queue.approve(id, by) : queue.deny(id, by);
    if (!decided)
        return reportError(decided.error());
    if (approve) {
        out() << "Approved enrollment request " << id << " of device " << decided->deviceId
              << "; the device gets its certificate when it retries.\n";
    } else {
        (void)(*store)->inventory().setState(decided->deviceId, QStringLiteral("failed"),
            QStringLiteral("enrollment request %1 denied").arg(id));
        out() << "Denied enrollment request " << id << " of device " << decided->deviceId << ".\n";
    }
    out().flush();
    return ExitOk;
}

} // namespace

int estCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "The built-in EST enrollment service (RFC 7030 subset; docs/est.md).\n"
        "  serve     serve cacerts, simpleenroll, simplereenroll and the check-in over\n"
        "            HTTPS until SIGINT/SIGTERM (default 127.0.0.1:8443)\n"
        "  pending   enrollment requests waiting for manual approval\n"
        "  approve   approve one: --request N (the device's retry gets its certificate)\n"
        "  deny      deny one: --request N\n"
        "The vault passphrase is read from $PROVBENCH_PASSPHRASE, else one line of stdin."));
    parser.addHelpOption();
    parser.addPositionalArgument(
        QStringLiteral("action"), QStringLiteral("serve, pending, approve or deny."));
    parser.addOptions({workspaceOption(), databaseOption(),
        QCommandLineOption(QStringLiteral("listen"),
            QStringLiteral("Address and port to serve on (default 127.0.0.1:8443; port 0: any "
                           "free port)."),
            QStringLiteral("ADDR:PORT"), QStringLiteral("127.0.0.1:8443")),
        QCommandLineOption(QStringLiteral("manual-approval"),
            QStringLiteral("Hold every enrollment for approval (profiles can ask for it per "
                           "device).")),
        QCommandLineOption(QStringLiteral("max-connections"),
            QStringLiteral("Connections served at once; more get 503 (default 64)."),
            QStringLiteral("N")),
        QCommandLineOption(QStringLiteral("read-timeout"),
            QStringLiteral("Seconds a client has for the TLS handshake and a request's head "
                           "(default 10; the body gets three times as long)."),
            QStringLiteral("S")),
        QCommandLineOption(QStringLiteral("request"),
            QStringLiteral("The enrollment request to approve or deny."), QStringLiteral("N"))});
    if (auto stop = parseCommandLine(parser, args, QStringLiteral("est"), 1))
        return *stop;
    const QString action = parser.positionalArguments().value(0);
    if (action == u"serve")
        return serve(parser);
    if (action == u"pending")
        return listPending(parser);
    if (action == u"approve" || action == u"deny")
        return decide(parser, action == u"approve");
    return reportError(Error::make(Error::Code::InvalidArgument,
        QStringLiteral("Name the action: serve, pending, approve or deny. Run 'provbench-cli est "
                       "--help'.")));
}

} // namespace provbench::cli
