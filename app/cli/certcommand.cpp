#include "app/cli/cliutil.h"
#include "app/cli/clivault.h"
#include "app/cli/commands.h"
#include "app/crypto/certificateauthority.h"
#include "app/crypto/inspect.h"
#include "app/crypto/pkcs12.h"
#include "app/profiles/profilelibrary.h"
#include "app/profiles/profiletemplate.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

namespace provbench::cli {

using namespace provbench::crypto;
using namespace provbench::profiles;

namespace {

// A profile named on the command line: a file, a library id or a profile name.
Result<Profile> resolveProfile(const Workspace &workspace, const QString &ref)
{
    const QFileInfo fi(ref);
    if (fi.isFile()) {
        auto bytes = Workspace::readFile(fi.absoluteFilePath());
        if (!bytes)
            return std::unexpected(bytes.error());
        auto p = parseProfile(*bytes);
        if (!p)
            return fail(Error::Code::InvalidArgument,
                QStringLiteral("%1 is not a valid profile:\n%2").arg(ref, describe(p.error())));
        return *p;
    }
    ProfileLibrary library(workspace);
    if (library.entry(ref))
        return library.load(ref);
    for (const ProfileLibrary::Entry &e : library.entries()) {
        if (e.name == ref)
            return library.load(e.id);
    }
    return fail(Error::Code::NotFound,
        QStringLiteral("No profile \"%1\": give a file path, or an id or name from "
                       "'provbench-cli profile list'.")
            .arg(ref));
}

// A folder name from a serial number: anything but [A-Za-z0-9._-] becomes '_'.
QString safeName(const QString &serial)
{
    QString out;
    for (QChar c : serial)
        out += (c.isLetterOrNumber() && c.unicode() < 128) || c == u'-' || c == u'.' || c == u'_'
            ? c
            : QChar(u'_');
    return out.startsWith(u'.') ? u'_' + out : out;
}

int inspectAction(const QCommandLineParser &parser, const QString &file,
    const QCommandLineOption &passwordEnv, bool asJson)
{
    auto data = Workspace::readFile(file, kMaxInspectBytes);
    if (!data)
        return reportError(data.error());
    std::optional<QByteArray> password;
    if (parser.isSet(passwordEnv)) {
        auto pw = secretFromEnv(parser.value(passwordEnv), QStringLiteral("the file's password"));
        if (!pw)
            return reportError(pw.error());
        password = *pw;
    }
    auto report = inspect(*data, password);
    if (!report)
        return reportError(report.error());
    if (asJson) {
        printJson(report->toJson());
        return ExitOk;
    }
    out() << file << ": " << report->format << ", " << report->certificates.size()
          << " certificate(s), " << report->keys.size() << " key(s), " << report->requests.size()
          << " request(s)\n";
    for (qsizetype i = 0; i < report->certificates.size(); ++i) {
        const CertificateInfo &c = report->certificates[i];
        out() << "\nCertificate " << i + 1 << (c.isCa ? " (CA)" : "") << '\n'
              << "  Subject:    " << c.subject << '\n'
              << "  Issuer:     " << c.issuer << '\n'
              << "  Serial:     " << c.serial << '\n'
              << "  Valid:      " << c.notBefore.toString(Qt::ISODate) << " to "
              << c.notAfter.toString(Qt::ISODate)
              << (c.daysLeft < 0 ? QStringLiteral(" (EXPIRED)")
                                 : QStringLiteral(" (%1 days left)").arg(c.daysLeft))
              << '\n'
              << "  Key:        " << c.keyType << '\n'
              << "  Signature:  " << c.signatureAlgorithm << '\n';
        if (!c.sans.isEmpty())
            out() << "  SANs:       " << c.sans.join(QStringLiteral(", ")) << '\n';
        out() << "  SHA-256:    " << c.fingerprint << '\n';
        if (c.issuerIndex == int(i))
            out() << "  Chain:      self-signed"
                  << (c.signatureVerifies ? "" : ", signature does NOT verify") << '\n';
        else if (c.issuerIndex >= 0)
            out() << "  Chain:      issued by certificate " << c.issuerIndex + 1
                  << (c.signatureVerifies ? ", signature verifies" : ", signature does NOT verify")
                  << '\n';
        else
            out() << "  Chain:      issuer not in the file\n";
        if (c.keyIndex >= 0)
            out() << "  Key match:  key " << c.keyIndex + 1 << '\n';
    }
    for (qsizetype i = 0; i < report->keys.size(); ++i) {
        const KeyInfo &k = report->keys[i];
        out() << "\nKey " << i + 1 << ": " << k.kind
              << (k.keyType.isEmpty() ? QString() : QStringLiteral(", ") + k.keyType) << '\n';
        if (!k.publicKeyFingerprint.isEmpty())
            out() << "  Public key SHA-256: " << k.publicKeyFingerprint << '\n';
    }
    for (const RequestInfo &r : report->requests)
        out() << "\nSigning request: " << r.subject << ", " << r.keyType
              << (r.signatureVerifies ? ", signature verifies" : ", signature does NOT verify")
              << '\n';
    if (report->certificates.size() > 1)
        out() << "\nChain order: "
              << (report->chainOrdered ? "leaf first, each certificate issued by the next"
                                       : "not a leaf-first chain")
              << '\n';
    for (const QString &w : report->warnings)
        out() << "WARNING: " << w << '\n';
    for (const QString &n : report->notes)
        out() << "note: " << n << '\n';
    out().flush();
    return ExitOk;
}

} // namespace

int certCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Device certificates.\n"
        "  issue     issue a certificate for one device from a profile's bench-certificate\n"
        "            settings: --profile P --serial S, and --csr F to sign the device's request,\n"
        "            or a new key written encrypted to --key-out F (default\n"
        "            <workspace>/devices/<serial>/key.pem) and/or into --p12 F\n"
        "  inspect   describe a PEM, DER or PKCS#12 file: chain, expiry, key match, weaknesses\n"
        "The vault passphrase (issue) is read from $PROVBENCH_PASSPHRASE, else stdin."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("issue or inspect."));
    QCommandLineOption workspace = workspaceOption();
    QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    QCommandLineOption profile(QStringLiteral("profile"),
        QStringLiteral("issue: the profile (file, id or name)."), QStringLiteral("P"));
    QCommandLineOption serial(QStringLiteral("serial"),
        QStringLiteral("issue: the device's serial number."), QStringLiteral("S"));
    QCommandLineOption seq(QStringLiteral("seq"),
        QStringLiteral("issue: the device's sequence number for {seq} (default 1)."),
        QStringLiteral("N"), QStringLiteral("1"));
    QCommandLineOption mac(QStringLiteral("mac"),
        QStringLiteral("issue: the device's MAC for {mac}."), QStringLiteral("MAC"));
    QCommandLineOption csr(QStringLiteral("csr"),
        QStringLiteral("issue: sign this request (PEM or DER) instead of making a key."),
        QStringLiteral("FILE"));
    QCommandLineOption keyOut(QStringLiteral("key-out"),
        QStringLiteral("issue: where the new key goes, encrypted with the vault passphrase."),
        QStringLiteral("FILE"));
    QCommandLineOption certOut(QStringLiteral("out"),
        QStringLiteral("issue: the certificate file (default "
                       "<workspace>/devices/<serial>/cert.pem)."),
        QStringLiteral("FILE"));
    QCommandLineOption p12(QStringLiteral("p12"),
        QStringLiteral("issue: also write key, certificate and CA chain as PKCS#12."),
        QStringLiteral("FILE"));
    QCommandLineOption p12PassEnv(QStringLiteral("p12-password-env"),
        QStringLiteral("issue: the variable holding the PKCS#12 password (default "
                       "PROVBENCH_P12_PASSWORD)."),
        QStringLiteral("VAR"), QStringLiteral("PROVBENCH_P12_PASSWORD"));
    QCommandLineOption san(QStringLiteral("san"),
        QStringLiteral("issue: an extra subject alternative name (DNS:, IP:, URI:; templates "
                       "allowed; repeatable)."),
        QStringLiteral("SAN"));
    QCommandLineOption server(QStringLiteral("server-auth"),
        QStringLiteral("issue: allow TLS server use too (EKU serverAuth)."));
    QCommandLineOption passwordEnv(QStringLiteral("password-env"),
        QStringLiteral("inspect: the variable holding the PKCS#12 / key password."),
        QStringLiteral("VAR"));
    parser.addOptions({workspace, json, profile, serial, seq, mac, csr, keyOut, certOut, p12,
        p12PassEnv, san, server, passwordEnv});
    auto usage = [](const QString &msg) {
        return reportError(Error::make(Error::Code::InvalidArgument,
            msg + QStringLiteral(" Run 'provbench-cli cert --help'.")));
    };
    if (auto stop = parseCommandLine(parser, args, QStringLiteral("cert"), 2))
        return *stop;
    const QStringList pos = parser.positionalArguments();
    if (pos.isEmpty() || (pos.first() != u"issue" && pos.first() != u"inspect"))
        return usage(QStringLiteral("Name one action: issue or inspect."));
    const bool asJson = parser.isSet(json);
    if (pos.first() == u"inspect") {
        if (pos.size() != 2)
            return usage(QStringLiteral("cert inspect takes one FILE."));
        return inspectAction(parser, pos.at(1), passwordEnv, asJson);
    }
    if (pos.size() != 1)
        return usage(QStringLiteral("Unexpected argument '%1'.").arg(pos.at(1)));
    if (!parser.isSet(profile) || parser.value(serial).isEmpty())
        return usage(QStringLiteral("cert issue needs --profile P and --serial S."));
    if (parser.isSet(csr) && parser.isSet(keyOut))
        return usage(QStringLiteral("--csr signs the device's own key: --key-out does not apply."));
    if (parser.isSet(csr) && parser.isSet(p12))
        return usage(QStringLiteral("A PKCS#12 file needs the private key, which --csr does not "
                                    "give."));
    bool seqOk = false;
    const int seqValue = parser.value(seq).toInt(&seqOk);
    if (!seqOk || seqValue < 0)
        return usage(QStringLiteral("--seq takes a non-negative number."));
    std::optional<QByteArray> p12Password;
    if (parser.isSet(p12)) {
        auto pw = secretFromEnv(parser.value(p12PassEnv), QStringLiteral("the PKCS#12 password"));
        if (!pw)
            return reportError(pw.error());
        p12Password = *pw;
    }

    auto wv = openWorkspaceAndVault(parser);
    if (!wv)
        return reportError(wv.error());
    auto prof = resolveProfile(wv->workspace, parser.value(profile));
    if (!prof)
        return reportError(prof.error());
    const StaticSettings *st = prof->staticSettings();
    if (!st || st->credentials.kind != StaticCredentialKind::BenchCertificate)
        return reportError(Error::make(Error::Code::InvalidArgument,
            QStringLiteral("The profile \"%1\" does not use per-device bench certificates "
                           "(credentials type bench-certificate): choose one that does.")
                .arg(prof->name)));
    const StaticCredentials &cred = st->credentials;
    DeviceVars vars{parser.value(serial), parser.value(mac), prof->site, QString(), seqValue};
    auto subject = expandTemplate(cred.subject, vars);
    if (!subject)
        return reportError(subject.error());
    QStringList sanTexts = parser.values(san);
    if (!prof->naming.hostname.isEmpty())
        sanTexts.prepend(QStringLiteral("DNS:") + prof->naming.hostname);
    IssueOptions options;
    options.subject = *subject;
    options.days = cred.validityDays;
    options.serverAuth = parser.isSet(server);
    for (const QString &text : sanTexts) {
        auto expanded = expandTemplate(text, vars);
        auto parsed = expanded ? SubjectAltName::parse(*expanded)
                               : Result<SubjectAltName>(std::unexpected(expanded.error()));
        if (!parsed)
            return reportError(parsed.error());
        options.sans.append(*parsed);
    }

    auto ca = CertificateAuthority::open(wv->workspace, wv->vault);
    if (!ca)
        return reportError(ca.error());
    const QString deviceDir
        = wv->workspace.filePath(QStringLiteral("devices/") + safeName(parser.value(serial)));
    const QString certPath
        = parser.isSet(certOut) ? parser.value(certOut) : deviceDir + QStringLiteral("/cert.pem");
    // Workspace::writeFile makes only the last folder 0700; devices/ is made here
    // so that it is private too.
    const QString devicesDir = wv->workspace.filePath(QStringLiteral("devices"));
    if (!QDir().mkpath(devicesDir)
        || !QFile::setPermissions(
            devicesDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner))
        return reportError(Error::make(Error::Code::Io,
            QStringLiteral("Cannot create %1 (mode 0700): check the workspace's permissions.")
                .arg(devicesDir)));
    QString keyPath;
    Result<Certificate> issued = fail(Error::Code::InvalidArgument, QString());
    std::optional<Key> key;
    if (parser.isSet(csr)) {
        auto data = Workspace::readFile(parser.value(csr), 1 << 20);
        if (!data)
            return reportError(data.error());
        auto request = CertificateRequest::parse(*data);
        if (!request)
            return reportError(request.error());
        issued = ca->issue(*request, options);
    } else {
        auto generated = Key::generate(cred.keyAlgorithm);
        if (!generated)
            return reportError(generated.error());
        key = *generated;
        issued = ca->issue(*key, options);
    }
    if (!issued)
        return reportError(issued.error());
    if (key && (parser.isSet(keyOut) || !parser.isSet(p12))) {
        keyPath
            = parser.isSet(keyOut) ? parser.value(keyOut) : deviceDir + QStringLiteral("/key.pem");
        if (auto ok = wv->vault.writePrivateKey(keyPath, *key); !ok)
            return reportError(ok.error());
    }
    auto pem = issued->toPem();
    if (!pem)
        return reportError(pem.error());
    if (auto ok = Workspace::writeFile(certPath, *pem); !ok)
        return reportError(ok.error());
    if (p12Password) {
        auto bundle = makePkcs12(*key, *issued, ca->chain(), *p12Password, parser.value(serial));
        if (!bundle)
            return reportError(bundle.error());
        if (auto ok = Workspace::writeFile(parser.value(p12), *bundle); !ok)
            return reportError(ok.error());
    }
    if (asJson) {
        printJson(QJsonObject{{QStringLiteral("serial"), issued->serialHex()},
            {QStringLiteral("subject"), issued->subject()},
            {QStringLiteral("notAfter"), issued->notAfter().toString(Qt::ISODate)},
            {QStringLiteral("sha256"), issued->fingerprint()},
            {QStringLiteral("publicKeySha256"), issued->publicKeyFingerprint()},
            {QStringLiteral("certificate"), QFileInfo(certPath).absoluteFilePath()},
            {QStringLiteral("key"),
                keyPath.isEmpty() ? QString() : QFileInfo(keyPath).absoluteFilePath()},
            {QStringLiteral("p12"),
                parser.isSet(p12) ? QFileInfo(parser.value(p12)).absoluteFilePath() : QString()}});
        return ExitOk;
    }
    out() << "Issued " << issued->subject() << " (serial " << issued->serialHex() << ", valid to "
          << issued->notAfter().toString(Qt::ISODate) << ")\n"
          << "  certificate: " << certPath << '\n';
    if (!keyPath.isEmpty())
        out() << "  key:         " << keyPath << " (encrypted with the vault passphrase)\n";
    if (parser.isSet(p12))
        out() << "  PKCS#12:     " << parser.value(p12) << '\n';
    out() << "  SHA-256:     " << issued->fingerprint() << '\n';
    out().flush();
    return ExitOk;
}

} // namespace provbench::cli
