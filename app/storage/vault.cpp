#include "app/storage/vault.h"

#include "app/crypto/aead.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <openssl/crypto.h>

namespace provbench {

namespace {

constexpr char kFormat[] = "provbench.vault/1";
constexpr char kVerifierText[] = "provbench vault verifier v1";
constexpr char kVerifierAad[] = "provbench.vault.verifier/1";
constexpr char kSecretPrefix[] = "pbv1:";
constexpr int kSaltBytes = 16;

void wipe(QByteArray &bytes)
{
    // Only a buffer nobody else shares can be wiped without touching a copy.
    if (!bytes.isEmpty() && bytes.isDetached())
        OPENSSL_cleanse(bytes.data(), size_t(bytes.size()));
    bytes.clear();
}

QString b64(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes.toBase64());
}

QByteArray unb64(const QJsonValue &v)
{
    return QByteArray::fromBase64(v.toString().toLatin1());
}

Error corrupt(const QString &path, const QString &what)
{
    return Error::make(Error::Code::Protocol,
        QStringLiteral("%1 is damaged (%2): restore it from a backup; without it the "
                       "workspace's keys cannot be decrypted.")
            .arg(path, what));
}

} // namespace

Vault::Vault(QString workspacePath, QByteArray passphrase, QByteArray key)
    : m_workspacePath(std::move(workspacePath)),
      m_passphrase(std::move(passphrase)),
      m_key(std::move(key))
{
}

Vault::~Vault()
{
    wipe(m_passphrase);
    wipe(m_key);
}

QString Vault::filePath(const Workspace &workspace)
{
    return workspace.filePath(QStringLiteral("vault.json"));
}

bool Vault::exists(const Workspace &workspace)
{
    return QFileInfo::exists(filePath(workspace));
}

Result<Vault> Vault::create(const Workspace &workspace, const QByteArray &passphrase)
{
    const QString path = filePath(workspace);
    if (exists(workspace))
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("%1 exists already: unlock it with its passphrase instead of "
                           "creating a new one.")
                .arg(path));
    if (QString::fromUtf8(passphrase).size() < kMinPassphraseLength)
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("The vault passphrase is too short: use at least %1 characters (a few "
                           "unrelated words work well).")
                .arg(kMinPassphraseLength));
    const QByteArray salt = crypto::randomBytes(kSaltBytes);
    if (salt.isEmpty())
        return fail(Error::Code::Io,
            QStringLiteral("The random generator failed: check the system's entropy source."));
    auto key = crypto::scryptDerive(
        passphrase, salt, kScryptN, kScryptR, kScryptP, crypto::kAeadKeyBytes);
    if (!key)
        return std::unexpected(key.error());
    auto verifier = crypto::aeadSeal(*key, QByteArray(kVerifierText), QByteArray(kVerifierAad));
    if (!verifier)
        return std::unexpected(verifier.error());
    const QJsonObject doc{
        {QStringLiteral("format"), QString::fromLatin1(kFormat)},
        {QStringLiteral("created"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)},
        {QStringLiteral("kdf"),
            QJsonObject{{QStringLiteral("name"), QStringLiteral("scrypt")},
                {QStringLiteral("N"), qint64(kScryptN)}, {QStringLiteral("r"), qint64(kScryptR)},
                {QStringLiteral("p"), qint64(kScryptP)}, {QStringLiteral("salt"), b64(salt)}}},
        {QStringLiteral("verifier"),
            QJsonObject{{QStringLiteral("cipher"), QStringLiteral("aes-256-gcm")},
                {QStringLiteral("sealed"), b64(*verifier)}}},
    };
    if (auto ok = Workspace::writeFile(path, QJsonDocument(doc).toJson()); !ok)
        return std::unexpected(ok.error());
    return Vault(workspace.path(), passphrase, std::move(*key));
}

Result<Vault> Vault::unlock(const Workspace &workspace, const QByteArray &passphrase)
{
    const QString path = filePath(workspace);
    if (!exists(workspace))
        return fail(Error::Code::NotFound,
            QStringLiteral("The workspace %1 has no vault yet: run 'provbench-cli ca init' "
                           "(or create the CA in the Credentials panel) to create it.")
                .arg(workspace.path()));
    auto bytes = Workspace::readFile(path, 64 * 1024);
    if (!bytes)
        return std::unexpected(bytes.error());
    const QJsonObject doc = QJsonDocument::fromJson(*bytes).object();
    if (doc.value(QStringLiteral("format")).toString() != QLatin1String(kFormat))
        return std::unexpected(corrupt(path, QStringLiteral("unknown format")));
    const QJsonObject kdf = doc.value(QStringLiteral("kdf")).toObject();
    const qint64 n = kdf.value(QStringLiteral("N")).toInteger();
    const qint64 r = kdf.value(QStringLiteral("r")).toInteger();
    const qint64 p = kdf.value(QStringLiteral("p")).toInteger();
    const QByteArray salt = unb64(kdf.value(QStringLiteral("salt")));
    const QByteArray sealed
        = unb64(doc.value(QStringLiteral("verifier")).toObject().value(QStringLiteral("sealed")));
    // Bounds keep a tampered file from asking for gigabytes of memory.
    if (kdf.value(QStringLiteral("name")).toString() != u"scrypt" || n < 1024 || n > (1 << 20)
        || (n & (n - 1)) != 0 || r < 1 || r > 32 || p < 1 || p > 16 || salt.size() < 8
        || sealed.isEmpty())
        return std::unexpected(corrupt(path, QStringLiteral("bad key derivation parameters")));
    auto key = crypto::scryptDerive(
        passphrase, salt, quint64(n), quint64(r), quint64(p), crypto::kAeadKeyBytes);
    if (!key)
        return std::unexpected(key.error());
    auto text = crypto::aeadOpen(*key, sealed, QByteArray(kVerifierAad));
    if (!text || *text != kVerifierText) {
        wipe(*key);
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("The passphrase does not unlock the vault of %1: check "
                           "$PROVBENCH_PASSPHRASE (or what was typed) and try again.")
                .arg(workspace.path()));
    }
    return Vault(workspace.path(), passphrase, std::move(*key));
}

Result<QByteArray> Vault::sealSecret(const QByteArray &plaintext, const QString &context) const
{
    auto sealed = crypto::aeadSeal(m_key, plaintext, context.toUtf8());
    if (!sealed)
        return sealed;
    return QByteArray(kSecretPrefix) + sealed->toBase64();
}

Result<QByteArray> Vault::openSecret(const QByteArray &sealed, const QString &context) const
{
    if (!sealed.startsWith(kSecretPrefix))
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("The value for %1 is not a sealed vault secret (\"pbv1:...\").")
                .arg(context));
    const QByteArray raw = QByteArray::fromBase64(sealed.mid(int(sizeof kSecretPrefix) - 1));
    auto plain = crypto::aeadOpen(m_key, raw, context.toUtf8());
    if (!plain)
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("The sealed value for %1 does not open with this vault: it belongs "
                           "to another workspace or context, or it was altered.")
                .arg(context));
    return plain;
}

Result<QByteArray> Vault::encryptPrivateKey(const crypto::Key &key) const
{
    return key.toEncryptedPkcs8Pem(m_passphrase);
}

Result<crypto::Key> Vault::decryptPrivateKey(const QByteArray &pem, const QString &what) const
{
    return crypto::Key::fromEncryptedPem(pem, m_passphrase, what);
}

Result<void> Vault::writePrivateKey(const QString &path, const crypto::Key &key) const
{
    auto pem = encryptPrivateKey(key);
    if (!pem)
        return std::unexpected(pem.error());
    return Workspace::writeFile(path, *pem);
}

Result<crypto::Key> Vault::readPrivateKey(const QString &path) const
{
    auto pem = Workspace::readFile(path, 256 * 1024);
    if (!pem)
        return std::unexpected(pem.error());
    return decryptPrivateKey(*pem, path);
}

} // namespace provbench
