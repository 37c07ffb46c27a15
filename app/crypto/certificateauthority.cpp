#include "app/crypto/certificateauthority.h"

#include "app/crypto/certbuilder.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

namespace provbench::crypto {

namespace {

QString certPath(const QString &dir)
{
    return dir + QStringLiteral("/ca.pem");
}
QString keyPath(const QString &dir)
{
    return dir + QStringLiteral("/ca.key.pem");
}
QString chainPath(const QString &dir)
{
    return dir + QStringLiteral("/chain.pem");
}
QString issuedPath(const QString &dir)
{
    return dir + QStringLiteral("/issued.jsonl");
}

Error alreadyExists(const Workspace &workspace)
{
    return Error::make(Error::Code::InvalidArgument,
        QStringLiteral("The workspace %1 has a CA already (%2): use it, or choose another "
                       "workspace; a CA is never overwritten.")
            .arg(workspace.path(), CertificateAuthority::directory(workspace)));
}

Result<void> checkUsableCa(const Certificate &cert, const QString &what)
{
    if (!cert.isCa())
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("%1 is not a CA certificate (basicConstraints CA:TRUE is missing): "
                           "choose a CA certificate.")
                .arg(what));
    if (cert.notAfter() < QDateTime::currentDateTimeUtc())
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("%1 expired on %2: renew it first.")
                .arg(what, cert.notAfter().toString(Qt::ISODate)));
    return {};
}

} // namespace

CertificateAuthority::CertificateAuthority(
    QString dir, Certificate cert, Key key, QList<Certificate> parents)
    : m_dir(std::move(dir)),
      m_cert(std::move(cert)),
      m_key(std::move(key)),
      m_parents(std::move(parents))
{
}

QString CertificateAuthority::directory(const Workspace &workspace)
{
    return workspace.filePath(QStringLiteral("ca"));
}

bool CertificateAuthority::exists(const Workspace &workspace)
{
    return QFileInfo::exists(certPath(directory(workspace)));
}

Result<CertificateAuthority> CertificateAuthority::store(const Workspace &workspace,
    const Vault &vault, Certificate cert, Key key, QList<Certificate> parents)
{
    const QString dir = directory(workspace);
    auto pem = cert.toPem();
    if (!pem)
        return std::unexpected(pem.error());
    // Key first: a certificate without its key would look like a usable CA.
    if (auto ok = vault.writePrivateKey(keyPath(dir), key); !ok)
        return std::unexpected(ok.error());
    if (!parents.isEmpty()) {
        auto chain = toPemBundle(parents);
        if (!chain)
            return std::unexpected(chain.error());
        if (auto ok = Workspace::writeFile(chainPath(dir), *chain); !ok)
            return std::unexpected(ok.error());
    }
    if (auto ok = Workspace::writeFile(certPath(dir), *pem); !ok)
        return std::unexpected(ok.error());
    return CertificateAuthority(dir, std::move(cert), std::move(key), std::move(parents));
}

Result<CertificateAuthority> CertificateAuthority::createRoot(
    const Workspace &workspace, const Vault &vault, const CaOptions &options)
{
    if (exists(workspace))
        return std::unexpected(alreadyExists(workspace));
    auto key = Key::generate(options.keyAlgorithm);
    if (!key)
        return std::unexpected(key.error());
    CertificateSpec spec;
    spec.role = CertificateSpec::Role::RootCa;
    spec.subject = options.subject;
    spec.publicKey = *key;
    spec.days = options.days;
    auto cert = buildCertificate(spec, nullptr, *key);
    if (!cert)
        return std::unexpected(cert.error());
    return store(workspace, vault, std::move(*cert), std::move(*key), {});
}

Result<CertificateAuthority> CertificateAuthority::createIntermediate(const Workspace &workspace,
    const Vault &vault, const CaOptions &options, const Certificate &parentCert,
    const Key &parentKey, const QList<Certificate> &parentChain)
{
    if (exists(workspace))
        return std::unexpected(alreadyExists(workspace));
    if (auto ok = checkUsableCa(parentCert, QStringLiteral("The parent certificate")); !ok)
        return std::unexpected(ok.error());
    if (!parentCert.matchesKey(parentKey))
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("The parent key does not belong to the parent certificate: give the "
                           "key that matches it."));
    auto key = Key::generate(options.keyAlgorithm);
    if (!key)
        return std::unexpected(key.error());
    CertificateSpec spec;
    spec.role = CertificateSpec::Role::IntermediateCa;
    spec.subject = options.subject;
    spec.publicKey = *key;
    // An intermediate never outlives its parent.
    spec.days = int(std::min<qint64>(options.days, std::max<qint64>(1, parentCert.daysLeft())));
    auto cert = buildCertificate(spec, &parentCert, parentKey);
    if (!cert)
        return std::unexpected(cert.error());
    QList<Certificate> parents{parentCert};
    parents.append(parentChain);
    return store(workspace, vault, std::move(*cert), std::move(*key), std::move(parents));
}

Result<CertificateAuthority> CertificateAuthority::importExisting(const Workspace &workspace,
    const Vault &vault, const QByteArray &certPem, const QByteArray &keyPem,
    const QByteArray &keyPassphrase)
{
    if (exists(workspace))
        return std::unexpected(alreadyExists(workspace));
    auto certs = Certificate::parsePemBundle(certPem);
    if (!certs)
        return std::unexpected(certs.error());
    const Certificate cert = certs->takeFirst();
    if (auto ok = checkUsableCa(cert, QStringLiteral("The certificate to import")); !ok)
        return std::unexpected(ok.error());
    auto key = Key::fromEncryptedPem(keyPem, keyPassphrase, QStringLiteral("the CA key to import"));
    if (!key)
        return std::unexpected(key.error());
    if (!cert.matchesKey(*key))
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("The key does not belong to the CA certificate (their public keys "
                           "differ): give the matching key."));
    return store(workspace, vault, cert, std::move(*key), std::move(*certs));
}

Result<CertificateAuthority> CertificateAuthority::open(
    const Workspace &workspace, const Vault &vault)
{
    const QString dir = directory(workspace);
    if (!exists(workspace))
        return fail(Error::Code::NotFound,
            QStringLiteral("The workspace %1 has no CA yet: run 'provbench-cli ca init' or 'ca "
                           "import'.")
                .arg(workspace.path()));
    auto pem = Workspace::readFile(certPath(dir));
    if (!pem)
        return std::unexpected(pem.error());
    auto cert = Certificate::parse(*pem);
    if (!cert)
        return std::unexpected(cert.error());
    auto key = vault.readPrivateKey(keyPath(dir));
    if (!key)
        return std::unexpected(key.error());
    if (!cert->matchesKey(*key))
        return fail(Error::Code::Protocol,
            QStringLiteral("%1 does not match %2: the CA folder was changed by hand; restore "
                           "both files from a backup.")
                .arg(keyPath(dir), certPath(dir)));
    QList<Certificate> parents;
    if (QFileInfo::exists(chainPath(dir))) {
        auto chain = Workspace::readFile(chainPath(dir));
        if (!chain)
            return std::unexpected(chain.error());
        auto list = Certificate::parsePemBundle(*chain);
        if (!list)
            return std::unexpected(list.error());
        parents = std::move(*list);
    }
    return CertificateAuthority(dir, std::move(*cert), std::move(*key), std::move(parents));
}

QList<Certificate> CertificateAuthority::chain() const
{
    QList<Certificate> out{m_cert};
    out.append(m_parents);
    return out;
}

Result<Certificate> CertificateAuthority::issue(
    const Key &publicKey, const IssueOptions &options) const
{
    if (auto ok = checkUsableCa(m_cert, QStringLiteral("The workspace CA")); !ok)
        return std::unexpected(ok.error());
    if (options.subject.trimmed().isEmpty())
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("No subject for the certificate: give one such as \"CN=device-1\"."));
    if (!options.clientAuth && !options.serverAuth)
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("Choose client authentication, server authentication, or both."));
    CertificateSpec spec;
    spec.role = CertificateSpec::Role::Leaf;
    spec.subject = options.subject;
    spec.publicKey = publicKey;
    spec.days = options.days;
    spec.sans = options.sans;
    spec.clientAuth = options.clientAuth;
    spec.serverAuth = options.serverAuth;
    auto cert = buildCertificate(spec, &m_cert, m_key);
    if (!cert)
        return cert;
    if (auto ok = record(*cert); !ok)
        return std::unexpected(ok.error());
    return cert;
}

Result<Certificate> CertificateAuthority::issue(
    const CertificateRequest &request, const IssueOptions &options) const
{
    if (!request.verifySignature())
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("The signing request's signature does not verify: it was altered or "
                           "signed with another key. Ask the device for a new one."));
    auto key = request.publicKey();
    if (!key)
        return std::unexpected(key.error());
    IssueOptions opts = options;
    if (opts.subject.trimmed().isEmpty())
        opts.subject = request.subject();
    if (opts.sans.isEmpty())
        opts.sans = request.subjectAltNames();
    return issue(*key, opts);
}

Result<void> CertificateAuthority::record(const Certificate &cert) const
{
    const QJsonObject entry{{QStringLiteral("serial"), cert.serialHex()},
        {QStringLiteral("subject"), cert.subject()}, {QStringLiteral("sha256"), cert.fingerprint()},
        {QStringLiteral("publicKeySha256"), cert.publicKeyFingerprint()},
        {QStringLiteral("notAfter"), cert.notAfter().toString(Qt::ISODate)},
        {QStringLiteral("issuedAt"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)}};
    // Appended, not rewritten: the cost of recording stays the same however
    // many certificates the CA has issued. issued() skips a damaged line.
    return Workspace::appendLine(
        issuedPath(m_dir), QJsonDocument(entry).toJson(QJsonDocument::Compact));
}

Result<QList<IssuedRecord>> CertificateAuthority::issued() const
{
    QList<IssuedRecord> out;
    const QString path = issuedPath(m_dir);
    if (!QFileInfo::exists(path))
        return out;
    auto log = Workspace::readFile(path, 256 << 20);
    if (!log)
        return std::unexpected(log.error());
    for (const QByteArray &line : log->split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o.isEmpty())
            continue; // a damaged line is skipped, the rest still counts
        out.append({o.value(QStringLiteral("serial")).toString(),
            o.value(QStringLiteral("subject")).toString(),
            o.value(QStringLiteral("sha256")).toString(),
            o.value(QStringLiteral("publicKeySha256")).toString(),
            QDateTime::fromString(o.value(QStringLiteral("notAfter")).toString(), Qt::ISODate),
            QDateTime::fromString(o.value(QStringLiteral("issuedAt")).toString(), Qt::ISODate)});
    }
    return out;
}

} // namespace provbench::crypto
