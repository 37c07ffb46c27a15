#include "app/cli/cliutil.h"
#include "app/cli/clivault.h"
#include "app/cli/commands.h"
#include "app/crypto/certificateauthority.h"

#include <QCommandLineParser>
#include <QJsonObject>

namespace provbench::cli {

using namespace provbench::crypto;

namespace {

const QStringList kActions
    = {QStringLiteral("init"), QStringLiteral("show"), QStringLiteral("import")};

Result<QByteArray> readInput(const QString &path)
{
    return Workspace::readFile(path, 1 << 20);
}

// The key passphrase of an outside key: the named variable, else the vault passphrase.
Result<QByteArray> outsideKeyPassphrase(
    const QCommandLineParser &parser, const QCommandLineOption &option)
{
    if (parser.isSet(option))
        return secretFromEnv(parser.value(option), QStringLiteral("the key's passphrase"));
    return readVaultPassphrase();
}

void printCa(const CertificateAuthority &ca, bool asJson)
{
    const Certificate &cert = ca.certificate();
    const auto issued = ca.issued();
    const qsizetype count = issued ? issued->size() : 0;
    const QString keyType = ca.key().description();
    const bool root = cert.isSelfIssued();
    if (asJson) {
        printJson(QJsonObject{{QStringLiteral("subject"), cert.subject()},
            {QStringLiteral("issuer"), cert.issuer()},
            {QStringLiteral("type"),
                root ? QStringLiteral("root") : QStringLiteral("intermediate")},
            {QStringLiteral("serial"), cert.serialHex()},
            {QStringLiteral("sha256"), cert.fingerprint()},
            {QStringLiteral("notBefore"), cert.notBefore().toString(Qt::ISODate)},
            {QStringLiteral("notAfter"), cert.notAfter().toString(Qt::ISODate)},
            {QStringLiteral("daysLeft"), cert.daysLeft()}, {QStringLiteral("key"), keyType},
            {QStringLiteral("chainLength"), ca.chain().size()}, {QStringLiteral("issued"), count}});
        return;
    }
    out() << "Subject:      " << cert.subject() << '\n'
          << "Type:         " << (root ? "root (self-signed)" : "intermediate") << '\n';
    if (!root)
        out() << "Issuer:       " << cert.issuer() << '\n';
    out() << "Key:          " << keyType << '\n'
          << "Valid:        " << cert.notBefore().toString(Qt::ISODate) << " to "
          << cert.notAfter().toString(Qt::ISODate) << " (" << cert.daysLeft() << " days left)\n"
          << "SHA-256:      " << cert.fingerprint() << '\n'
          << "Issued certs: " << count << '\n';
    out().flush();
}

} // namespace

int caCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "The workspace CA (in <workspace>/ca; its key is encrypted with the vault passphrase).\n"
        "  init      create a root CA, or with --parent-cert/--parent-key an intermediate\n"
        "            signed by an outside CA; creates the vault if the workspace has none\n"
        "  show      the CA's subject, key, validity, fingerprint and issued count\n"
        "  import    use an existing CA: --cert F (CA first, then its issuers) --key F\n"
        "            (encrypted PKCS#8)\n"
        "The vault passphrase is read from $PROVBENCH_PASSPHRASE, else one line of stdin."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("init, show or import."));
    QCommandLineOption workspace = workspaceOption();
    QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    QCommandLineOption subject(QStringLiteral("subject"),
        QStringLiteral("init: the CA's subject (default \"CN=ProvBench Workspace CA\")."),
        QStringLiteral("DN"));
    QCommandLineOption key(QStringLiteral("key"),
        QStringLiteral("init: the CA key (ec-p256, ec-p384, ed25519, rsa-2048, rsa-3072, "
                       "rsa-4096; default ec-p256). import: the CA's encrypted key file."),
        QStringLiteral("ALG|FILE"));
    QCommandLineOption days(QStringLiteral("days"),
        QStringLiteral("init: validity in days (default 3650)."), QStringLiteral("N"),
        QStringLiteral("3650"));
    QCommandLineOption parentCert(QStringLiteral("parent-cert"),
        QStringLiteral("init: the outside CA certificate that signs the new intermediate."),
        QStringLiteral("FILE"));
    QCommandLineOption parentKey(QStringLiteral("parent-key"),
        QStringLiteral("init: that CA's key (encrypted PKCS#8; it is not stored)."),
        QStringLiteral("FILE"));
    QCommandLineOption cert(QStringLiteral("cert"),
        QStringLiteral("import: the CA certificate (PEM)."), QStringLiteral("FILE"));
    QCommandLineOption keyPassEnv(QStringLiteral("key-passphrase-env"),
        QStringLiteral("The environment variable holding the passphrase of --key (import) or "
                       "--parent-key (init); default: the vault passphrase."),
        QStringLiteral("VAR"));
    parser.addOptions(
        {workspace, json, subject, key, days, parentCert, parentKey, cert, keyPassEnv});
    auto usage = [](const QString &msg) {
        return reportError(Error::make(
            Error::Code::InvalidArgument, msg + QStringLiteral(" Run 'provbench-cli ca --help'.")));
    };
    if (auto stop = parseCommandLine(parser, args, QStringLiteral("ca"), 1))
        return *stop;
    const QStringList pos = parser.positionalArguments();
    if (pos.isEmpty() || !kActions.contains(pos.first()))
        return usage(QStringLiteral("Name one action: init, show or import."));
    const QString action = pos.first();

    if (action == u"show") {
        auto wv = openWorkspaceAndVault(parser);
        if (!wv)
            return reportError(wv.error());
        auto ca = CertificateAuthority::open(wv->workspace, wv->vault);
        if (!ca)
            return reportError(ca.error());
        printCa(*ca, parser.isSet(json));
        return ExitOk;
    }

    if (action == u"init") {
        CaOptions options;
        if (parser.isSet(subject))
            options.subject = parser.value(subject);
        if (parser.isSet(key)) {
            auto alg = keyAlgorithmFromText(parser.value(key));
            if (!alg)
                return reportError(alg.error());
            options.keyAlgorithm = *alg;
        }
        bool ok = false;
        options.days = parser.value(days).toInt(&ok);
        if (!ok || options.days < 1 || options.days > 36500)
            return usage(QStringLiteral("--days takes a number of days from 1 to 36500."));
        if (parser.isSet(parentCert) != parser.isSet(parentKey))
            return usage(QStringLiteral("An intermediate needs both --parent-cert and "
                                        "--parent-key."));
        if (auto ws = Workspace::open(workspaceArgument(parser));
            ws && CertificateAuthority::exists(*ws))
            return reportError(Error::make(Error::Code::InvalidArgument,
                QStringLiteral("The workspace %1 has a CA already: 'provbench-cli ca show' "
                               "describes it. A CA is never overwritten.")
                    .arg(ws->path())));
        auto wv = openWorkspaceAndVault(parser, VaultMode::CreateIfMissing);
        if (!wv)
            return reportError(wv.error());
        Result<CertificateAuthority> ca = fail(Error::Code::InvalidArgument, QString());
        if (parser.isSet(parentCert)) {
            auto certPem = readInput(parser.value(parentCert));
            auto keyPem = certPem ? readInput(parser.value(parentKey)) : certPem;
            if (!keyPem)
                return reportError(keyPem.error());
            auto chain = Certificate::parsePemBundle(*certPem);
            if (!chain)
                return reportError(chain.error());
            auto pass = outsideKeyPassphrase(parser, keyPassEnv);
            if (!pass)
                return reportError(pass.error());
            auto pkey = Key::fromEncryptedPem(*keyPem, *pass, parser.value(parentKey));
            if (!pkey)
                return reportError(pkey.error());
            const Certificate parent = chain->takeFirst();
            ca = CertificateAuthority::createIntermediate(
                wv->workspace, wv->vault, options, parent, *pkey, *chain);
        } else {
            ca = CertificateAuthority::createRoot(wv->workspace, wv->vault, options);
        }
        if (!ca)
            return reportError(ca.error());
        if (!parser.isSet(json))
            out() << "Created the workspace CA in "
                  << CertificateAuthority::directory(wv->workspace) << ".\n";
        printCa(*ca, parser.isSet(json));
        return ExitOk;
    }

    // import
    if (!parser.isSet(cert) || !parser.isSet(key))
        return usage(QStringLiteral("ca import needs --cert FILE and --key FILE."));
    auto certPem = readInput(parser.value(cert));
    if (!certPem)
        return reportError(certPem.error());
    auto keyPem = readInput(parser.value(key));
    if (!keyPem)
        return reportError(keyPem.error());
    auto wv = openWorkspaceAndVault(parser, VaultMode::CreateIfMissing);
    if (!wv)
        return reportError(wv.error());
    auto pass = outsideKeyPassphrase(parser, keyPassEnv);
    if (!pass)
        return reportError(pass.error());
    auto ca
        = CertificateAuthority::importExisting(wv->workspace, wv->vault, *certPem, *keyPem, *pass);
    if (!ca)
        return reportError(ca.error());
    if (!parser.isSet(json))
        out() << "Imported the CA into " << CertificateAuthority::directory(wv->workspace)
              << "; its key is now encrypted with the vault passphrase.\n";
    printCa(*ca, parser.isSet(json));
    return ExitOk;
}

} // namespace provbench::cli
