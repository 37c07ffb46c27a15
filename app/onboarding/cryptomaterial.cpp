#include "app/onboarding/cryptomaterial.h"

#include "app/storage/vault.h"
#include "app/storage/workspace.h"

#include <QFile>
#include <QFutureWatcher>
#include <QRandomGenerator>

namespace provbench::onboarding {

using namespace profiles;

CryptoMaterial::CryptoMaterial(Profile profile, const crypto::CertificateAuthority &ca)
    : m_profile(std::move(profile)), m_ca(ca)
{
}

void CryptoMaterial::prepare(std::function<void(Result<void>)> done)
{
    if (m_key)
        return done({});
    const StaticSettings *s = m_profile.staticSettings();
    const KeyAlgorithm alg = s ? s->credentials.keyAlgorithm : KeyAlgorithm::EcP256;
    auto *watcher = new QFutureWatcher<Result<crypto::Key>>();
    QObject::connect(
        watcher, &QFutureWatcher<Result<crypto::Key>>::finished, watcher, [this, watcher, done] {
            Result<crypto::Key> key = watcher->result();
            watcher->deleteLater();
            if (!key)
                return done(std::unexpected(key.error()));
            m_key = std::move(*key);
            done({});
        });
    watcher->setFuture(crypto::Key::generateAsync(alg));
}

Result<crypto::Key *> CryptoMaterial::ensureKey()
{
    if (!m_key) {
        const StaticSettings *s = m_profile.staticSettings();
        const KeyAlgorithm alg = s ? s->credentials.keyAlgorithm : KeyAlgorithm::EcP256;
        auto key = crypto::Key::generate(alg);
        if (!key)
            return std::unexpected(key.error());
        m_key = std::move(*key);
    }
    return &*m_key;
}

Result<QByteArray> CryptoMaterial::material(const PlanItem &item, const DeviceVars &device)
{
    switch (item.source) {
    case PlanItem::Source::GeneratedKey: {
        auto key = ensureKey();
        if (!key)
            return std::unexpected(key.error());
        return (*key)->privateKeyPemForDevice();
    }
    case PlanItem::Source::IssuedCertificate: {
        auto key = ensureKey();
        if (!key)
            return std::unexpected(key.error());
        const StaticSettings *s = m_profile.staticSettings();
        crypto::IssueOptions options;
        options.days = s ? s->credentials.validityDays : 365;
        auto subject
            = expandTemplate(s ? s->credentials.subject : QStringLiteral("CN={serial}"), device);
        if (!subject)
            return fail(subject.error().code,
                QStringLiteral("Certificate subject: %1").arg(subject.error().message));
        options.subject = *subject;
        if (!m_profile.naming.hostname.isEmpty()) {
            if (auto host = expandTemplate(m_profile.naming.hostname, device))
                options.sans.append(
                    crypto::SubjectAltName{crypto::SubjectAltName::Type::Dns, *host});
        }
        auto cert = m_ca.issue(**key, options);
        if (!cert)
            return std::unexpected(cert.error());
        return cert->toPem();
    }
    case PlanItem::Source::CaCertificate:
        return crypto::toPemBundle(m_ca.chain());
    default:
        break;
    }
    return fail(Error::Code::Unsupported,
        QStringLiteral("%1 does not come from the workspace CA.").arg(item.label));
}

Result<QByteArray> ledgerKey(const Workspace &workspace, const Vault &vault)
{
    const QString path = workspace.filePath(QStringLiteral("ledger.key"));
    const QString context = QStringLiteral("provbench.ledger-key");
    if (QFile::exists(path)) {
        auto sealed = Workspace::readFile(path);
        if (!sealed)
            return std::unexpected(sealed.error());
        return vault.openSecret(*sealed, context);
    }
    QByteArray key(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(key.data()), key.size() / 4);
    auto sealed = vault.sealSecret(key, context);
    if (!sealed)
        return std::unexpected(sealed.error());
    if (auto ok = Workspace::writeFile(path, *sealed); !ok)
        return std::unexpected(ok.error());
    return key;
}

} // namespace provbench::onboarding
