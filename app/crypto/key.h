#pragma once

#include "app/core/error.h"
#include "app/crypto/opensslutil.h"
#include "app/profiles/profile.h"

#include <QByteArray>
#include <QFuture>
#include <QString>

// Asymmetric keys: generation, public-key export and fingerprints, and the
// only private-key format ProvBench writes: encrypted PKCS#8 (PBES2 with
// scrypt and AES-256-CBC). There is deliberately no function that returns an
// unencrypted private key.
namespace provbench::crypto {

using profiles::KeyAlgorithm;

// scrypt cost used for every encrypted PKCS#8 we write: N=2^14, r=8, p=1
// (16 MiB; OpenSSL refuses to decrypt above 32 MiB with its default limit,
// which keeps the files readable by `openssl pkcs8`).
inline constexpr quint64 kPkcs8ScryptN = 1u << 14;
inline constexpr quint64 kPkcs8ScryptR = 8;
inline constexpr quint64 kPkcs8ScryptP = 1;

// A public key, or a key pair. Copies share the same OpenSSL object
// (reference counted), which is immutable once created.
class Key
{
public:
    Key() = default;
    // Takes ownership.
    explicit Key(PKeyPtr pkey) : m_pkey(std::move(pkey)) { }
    Key(const Key &other);
    Key &operator=(const Key &other);
    Key(Key &&) noexcept = default;
    Key &operator=(Key &&) noexcept = default;

    // Generates a new key pair. RSA-4096 takes seconds: use generateAsync on a GUI thread.
    static Result<Key> generate(KeyAlgorithm algorithm);
    // Runs generate() on the global thread pool.
    static QFuture<Result<Key>> generateAsync(KeyAlgorithm algorithm);

    // SubjectPublicKeyInfo in DER or PEM ("PUBLIC KEY").
    static Result<Key> fromPublicDer(const QByteArray &der);
    static Result<Key> fromPublicPem(const QByteArray &pem);
    // Imports an "ENCRYPTED PRIVATE KEY" PEM. A wrong passphrase fails with
    // "the passphrase does not unlock ..."; an unencrypted key is refused.
    // `what` names the key in messages ("the CA key", "key.pem").
    static Result<Key> fromEncryptedPem(const QByteArray &pem, const QByteArray &passphrase,
        const QString &what = QStringLiteral("the private key"));

    bool isNull() const { return !m_pkey; }
    bool hasPrivateKey() const;
    EVP_PKEY *get() const { return m_pkey.get(); }

    // "EC", "RSA", "Ed25519", ...; bits: 256 for P-256, 2048 for RSA-2048.
    QString typeName() const;
    int bits() const;
    // "EC P-256", "RSA 2048", "Ed25519".
    QString description() const;
    // The profile algorithm this key is, if it is one of them.
    std::optional<KeyAlgorithm> algorithm() const;
    bool isRsa() const;
    // Ed25519/Ed448 sign without a separate digest.
    bool signsWithoutDigest() const;

    Result<QByteArray> publicKeyDer() const;
    Result<QByteArray> publicKeyPem() const;
    // SHA-256 over the DER SubjectPublicKeyInfo, "ab:cd:..".
    QString fingerprint() const;

    // Encrypted PKCS#8 PEM: PBES2, scrypt (kPkcs8Scrypt*), AES-256-CBC.
    // The passphrase must not be empty.
    Result<QByteArray> toEncryptedPkcs8Pem(const QByteArray &passphrase) const;

    // The unencrypted PKCS#8 PEM a device needs in its key store. Only for the
    // bytes on their way over the wire to the device: callers never write it
    // to a file, log or trace it (the provisioning job keeps it in memory).
    Result<QByteArray> privateKeyPemForDevice() const;

    // True when both hold the same public key.
    bool samePublicKey(const Key &other) const;

private:
    PKeyPtr m_pkey;
};

// Parses the names used on the command line and in profiles ("ec-p256", ...).
Result<KeyAlgorithm> keyAlgorithmFromText(const QString &name);

} // namespace provbench::crypto
