#include "app/onboarding/enrollment/servercertificate.h"

#include <QFileInfo>

namespace provbench::enrollment {

namespace {

constexpr int kDays = 397; // what browsers accept for a server certificate
constexpr int kRenewBeforeDays = 30;

bool covers(const crypto::Certificate &cert, const QList<crypto::SubjectAltName> &names)
{
    const QList<crypto::SubjectAltName> has = cert.subjectAltNames();
    return std::all_of(names.begin(), names.end(),
        [&](const crypto::SubjectAltName &n) { return has.contains(n); });
}

} // namespace

Result<ServerCertificate> ensureServerCertificate(const Workspace &workspace, const Vault &vault,
    const crypto::CertificateAuthority &ca, const QList<crypto::SubjectAltName> &extra)
{
    using crypto::SubjectAltName;
    QList<SubjectAltName> names = {{SubjectAltName::Type::Dns, QStringLiteral("localhost")},
        {SubjectAltName::Type::Ip, QStringLiteral("127.0.0.1")},
        {SubjectAltName::Type::Ip, QStringLiteral("::1")}};
    for (const SubjectAltName &n : extra) {
        if (!names.contains(n))
            names.append(n);
    }
    const QString certPath = workspace.filePath(QStringLiteral("est/server.pem"));
    const QString keyPath = workspace.filePath(QStringLiteral("est/server.key.pem"));
    if (QFileInfo::exists(certPath) && QFileInfo::exists(keyPath)) {
        auto pem = Workspace::readFile(certPath);
        auto cert = pem ? crypto::Certificate::parse(*pem) : Result<crypto::Certificate>();
        if (pem && cert && cert->isIssuedBy(ca.certificate()) && cert->daysLeft() > kRenewBeforeDays
            && covers(*cert, names)) {
            auto key = vault.readPrivateKey(keyPath);
            if (!key)
                return std::unexpected(key.error());
            if (cert->matchesKey(*key))
                return ServerCertificate{*cert, *key, true};
        }
    }
    auto key = crypto::Key::generate(crypto::KeyAlgorithm::EcP256);
    if (!key)
        return std::unexpected(key.error());
    crypto::IssueOptions options;
    options.subject = QStringLiteral("CN=ProvBench EST server");
    options.sans = names;
    options.days = kDays;
    options.clientAuth = false;
    options.serverAuth = true;
    auto cert = ca.issue(*key, options);
    if (!cert)
        return std::unexpected(cert.error());
    auto pem = cert->toPem();
    if (!pem)
        return std::unexpected(pem.error());
    if (auto ok = vault.writePrivateKey(keyPath, *key); !ok)
        return std::unexpected(ok.error());
    if (auto ok = Workspace::writeFile(certPath, *pem); !ok)
        return std::unexpected(ok.error());
    return ServerCertificate{*cert, *key, false};
}

} // namespace provbench::enrollment
