#include "app/crypto/key.h"

#include <QtConcurrent/QtConcurrentRun>

#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>

namespace provbench::crypto {

Key::Key(const Key &other)
{
    if (other.m_pkey && EVP_PKEY_up_ref(other.m_pkey.get()) == 1)
        m_pkey.reset(other.m_pkey.get());
}

Key &Key::operator=(const Key &other)
{
    if (this != &other)
        *this = Key(other);
    return *this;
}

Result<Key> Key::generate(KeyAlgorithm algorithm)
{
    EVP_PKEY *pkey = nullptr;
    switch (algorithm) {
    case KeyAlgorithm::EcP256:
        pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
        break;
    case KeyAlgorithm::EcP384:
        pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
        break;
    case KeyAlgorithm::Ed25519:
        pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
        break;
    case KeyAlgorithm::Rsa2048:
        pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048));
        break;
    case KeyAlgorithm::Rsa3072:
        pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(3072));
        break;
    case KeyAlgorithm::Rsa4096:
        pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(4096));
        break;
    }
    if (!pkey)
        return opensslFail(Error::Code::Unsupported,
            QStringLiteral("Cannot generate a %1 key: check that the OpenSSL installation "
                           "provides it.")
                .arg(profiles::keyAlgorithmLabel(algorithm)));
    return Key(PKeyPtr(pkey));
}

QFuture<Result<Key>> Key::generateAsync(KeyAlgorithm algorithm)
{
    return QtConcurrent::run([algorithm] {
        Result<Key> key = generate(algorithm);
        releaseThreadState(); // the pool's thread lives on
        return key;
    });
}

Result<Key> Key::fromPublicDer(const QByteArray &der)
{
    const auto *p = reinterpret_cast<const unsigned char *>(der.constData());
    PKeyPtr pkey(d2i_PUBKEY(nullptr, &p, long(der.size())));
    if (!pkey)
        return opensslFail(Error::Code::InvalidArgument,
            QStringLiteral("The data is not a DER SubjectPublicKeyInfo (public key)."));
    return Key(std::move(pkey));
}

Result<Key> Key::fromPublicPem(const QByteArray &pem)
{
    BioPtr bio = memoryBio(pem);
    PKeyPtr pkey(bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    if (!pkey)
        return opensslFail(Error::Code::InvalidArgument,
            QStringLiteral("The data holds no \"PUBLIC KEY\" PEM block."));
    return Key(std::move(pkey));
}

Result<Key> Key::fromEncryptedPem(
    const QByteArray &pem, const QByteArray &passphrase, const QString &what)
{
    if (!pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") && pem.contains(" PRIVATE KEY-----"))
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("%1 is not encrypted: ProvBench only imports encrypted PKCS#8 keys. "
                           "Encrypt it first, e.g. 'openssl pkcs8 -topk8 -v2 aes-256-cbc "
                           "-scrypt -in key.pem -out key.enc.pem'.")
                .arg(what));
    BioPtr bio = memoryBio(pem);
    X509SigPtr sig(bio ? PEM_read_bio_PKCS8(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    if (!sig)
        return opensslFail(Error::Code::InvalidArgument,
            QStringLiteral("%1 holds no \"ENCRYPTED PRIVATE KEY\" PEM block: give an "
                           "encrypted PKCS#8 key.")
                .arg(what));
    if (passphrase.isEmpty())
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("No passphrase given for %1: it is encrypted and needs one.").arg(what));
    P8InfoPtr info(PKCS8_decrypt(sig.get(), passphrase.constData(), int(passphrase.size())));
    if (!info) {
        clearOpenSslErrors();
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("The passphrase does not unlock %1: check the passphrase (or the "
                           "environment variable it comes from) and try again.")
                .arg(what));
    }
    PKeyPtr pkey(EVP_PKCS82PKEY(info.get()));
    if (!pkey)
        return opensslFail(Error::Code::InvalidArgument,
            QStringLiteral("%1 decrypts but does not hold a key OpenSSL can read.").arg(what));
    return Key(std::move(pkey));
}

bool Key::hasPrivateKey() const
{
    if (!m_pkey)
        return false;
    // There is no direct "has private part" query in the 3.0 API; asking for
    // the private component of the key type is the documented way.
    BIGNUM *bn = nullptr;
    if (EVP_PKEY_get_bn_param(m_pkey.get(), OSSL_PKEY_PARAM_PRIV_KEY, &bn) == 1
        || EVP_PKEY_get_bn_param(m_pkey.get(), OSSL_PKEY_PARAM_RSA_D, &bn) == 1) {
        BN_clear_free(bn);
        return true;
    }
    size_t len = 0;
    const bool edPriv
        = EVP_PKEY_get_octet_string_param(m_pkey.get(), OSSL_PKEY_PARAM_PRIV_KEY, nullptr, 0, &len)
            == 1
        && len > 0;
    clearOpenSslErrors();
    return edPriv;
}

QString Key::typeName() const
{
    if (!m_pkey)
        return {};
    if (EVP_PKEY_is_a(m_pkey.get(), "RSA"))
        return QStringLiteral("RSA");
    if (EVP_PKEY_is_a(m_pkey.get(), "EC"))
        return QStringLiteral("EC");
    if (EVP_PKEY_is_a(m_pkey.get(), "ED25519"))
        return QStringLiteral("Ed25519");
    if (EVP_PKEY_is_a(m_pkey.get(), "ED448"))
        return QStringLiteral("Ed448");
    const char *name = EVP_PKEY_get0_type_name(m_pkey.get());
    return name ? QString::fromLatin1(name) : QStringLiteral("unknown");
}

int Key::bits() const
{
    return m_pkey ? EVP_PKEY_get_bits(m_pkey.get()) : 0;
}

QString Key::description() const
{
    const QString type = typeName();
    if (type == u"EC") {
        char curve[64] = {};
        size_t len = 0;
        if (EVP_PKEY_get_utf8_string_param(
                m_pkey.get(), OSSL_PKEY_PARAM_GROUP_NAME, curve, sizeof curve, &len)
            == 1) {
            const QString c = QString::fromLatin1(curve, qsizetype(len));
            if (c == u"prime256v1")
                return QStringLiteral("EC P-256");
            if (c == u"secp384r1")
                return QStringLiteral("EC P-384");
            if (c == u"secp521r1")
                return QStringLiteral("EC P-521");
            return QStringLiteral("EC %1 (%2 bits)").arg(c).arg(bits());
        }
        clearOpenSslErrors();
        return QStringLiteral("EC %1 bits").arg(bits());
    }
    if (type == u"RSA")
        return QStringLiteral("RSA %1").arg(bits());
    return type;
}

std::optional<KeyAlgorithm> Key::algorithm() const
{
    const QString d = description();
    if (d == u"EC P-256")
        return KeyAlgorithm::EcP256;
    if (d == u"EC P-384")
        return KeyAlgorithm::EcP384;
    if (d == u"Ed25519")
        return KeyAlgorithm::Ed25519;
    if (d == u"RSA 2048")
        return KeyAlgorithm::Rsa2048;
    if (d == u"RSA 3072")
        return KeyAlgorithm::Rsa3072;
    if (d == u"RSA 4096")
        return KeyAlgorithm::Rsa4096;
    return std::nullopt;
}

bool Key::isRsa() const
{
    return m_pkey && EVP_PKEY_is_a(m_pkey.get(), "RSA");
}

bool Key::signsWithoutDigest() const
{
    return m_pkey
        && (EVP_PKEY_is_a(m_pkey.get(), "ED25519") || EVP_PKEY_is_a(m_pkey.get(), "ED448"));
}

Result<QByteArray> Key::publicKeyDer() const
{
    if (!m_pkey)
        return fail(Error::Code::InvalidArgument, QStringLiteral("No key."));
    unsigned char *der = nullptr;
    const int len = i2d_PUBKEY(m_pkey.get(), &der);
    if (len <= 0)
        return opensslFail(
            Error::Code::InvalidArgument, QStringLiteral("Cannot encode the public key."));
    QByteArray out(reinterpret_cast<const char *>(der), len);
    OPENSSL_free(der);
    return out;
}

Result<QByteArray> Key::publicKeyPem() const
{
    BioPtr bio = memoryBio();
    if (!m_pkey || !bio || PEM_write_bio_PUBKEY(bio.get(), m_pkey.get()) != 1)
        return opensslFail(
            Error::Code::InvalidArgument, QStringLiteral("Cannot encode the public key as PEM."));
    return bioBytes(bio.get());
}

QString Key::fingerprint() const
{
    auto der = publicKeyDer();
    return der ? sha256Fingerprint(*der) : QString();
}

Result<QByteArray> Key::toEncryptedPkcs8Pem(const QByteArray &passphrase) const
{
    if (!hasPrivateKey())
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("This key has no private part to export."));
    if (passphrase.isEmpty())
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("A private key is only written encrypted: give a passphrase."));
    P8InfoPtr info(EVP_PKEY2PKCS8(m_pkey.get()));
    if (!info)
        return opensslFail(
            Error::Code::InvalidArgument, QStringLiteral("Cannot convert the key to PKCS#8."));
    unsigned char salt[16];
    if (RAND_bytes(salt, sizeof salt) != 1)
        return opensslFail(Error::Code::Io,
            QStringLiteral("The random generator failed: check the system's entropy source."));
    // aiv == nullptr: OpenSSL draws a random IV.
    AlgorPtr pbe(PKCS5_pbe2_set_scrypt(EVP_aes_256_cbc(), salt, int(sizeof salt), nullptr,
        kPkcs8ScryptN, kPkcs8ScryptR, kPkcs8ScryptP));
    if (!pbe)
        return opensslFail(Error::Code::Unsupported,
            QStringLiteral("Cannot set up scrypt + AES-256-CBC encryption."));
    // PKCS8_set0_pbe takes ownership of the algorithm only on success.
    X509SigPtr sig(
        PKCS8_set0_pbe(passphrase.constData(), int(passphrase.size()), info.get(), pbe.get()));
    if (!sig)
        return opensslFail(Error::Code::Io, QStringLiteral("Encrypting the private key failed."));
    (void)pbe.release();
    BioPtr bio = memoryBio();
    if (!bio || PEM_write_bio_PKCS8(bio.get(), sig.get()) != 1)
        return opensslFail(
            Error::Code::Io, QStringLiteral("Cannot encode the encrypted private key as PEM."));
    return bioBytes(bio.get());
}

Result<QByteArray> Key::privateKeyPemForDevice() const
{
    if (!hasPrivateKey())
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("This key has no private part to write to a device."));
    P8InfoPtr info(EVP_PKEY2PKCS8(m_pkey.get()));
    BioPtr bio = memoryBio();
    if (!info || !bio || PEM_write_bio_PKCS8_PRIV_KEY_INFO(bio.get(), info.get()) != 1)
        return opensslFail(
            Error::Code::Io, QStringLiteral("Cannot encode the private key for the device."));
    return bioBytes(bio.get());
}

bool Key::samePublicKey(const Key &other) const
{
    if (!m_pkey || !other.m_pkey)
        return false;
    const bool same = EVP_PKEY_eq(m_pkey.get(), other.m_pkey.get()) == 1;
    clearOpenSslErrors();
    return same;
}

Result<KeyAlgorithm> keyAlgorithmFromText(const QString &name)
{
    if (auto a = profiles::keyAlgorithmFromName(name.trimmed().toLower()))
        return *a;
    return fail(Error::Code::InvalidArgument,
        QStringLiteral("Unknown key algorithm \"%1\": use ec-p256, ec-p384, ed25519, rsa-2048, "
                       "rsa-3072 or rsa-4096.")
            .arg(name));
}

} // namespace provbench::crypto
