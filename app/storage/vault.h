#pragma once

#include "app/core/error.h"
#include "app/crypto/key.h"
#include "app/storage/workspace.h"

#include <QByteArray>
#include <QString>

// The workspace's secrets, unlocked by one passphrase.
//
// <workspace>/vault.json holds the scrypt parameters, a random salt and a
// verifier: a known value sealed with AES-256-GCM under the scrypt-derived
// key. unlock() checks the verifier first, so a wrong passphrase is reported
// before anything else is decrypted. Small secrets (PSKs, Wi-Fi passphrases)
// are sealed with AES-256-GCM under that key; private keys are written as
// encrypted PKCS#8 (scrypt + AES-256-CBC) under the passphrase itself, so
// `openssl pkcs8` can read them with the same passphrase.
//
// A Vault object holds the passphrase and the derived key in memory (wiped on
// destruction, best effort); it never writes or logs either.
namespace provbench {

class Vault
{
public:
    static constexpr int kMinPassphraseLength = 12;
    // scrypt for the vault key: N=2^15, r=8, p=1 (32 MiB, ~0.1 s).
    static constexpr quint64 kScryptN = 1u << 15;
    static constexpr quint64 kScryptR = 8;
    static constexpr quint64 kScryptP = 1;

    static QString filePath(const Workspace &workspace);
    static bool exists(const Workspace &workspace);

    // Creates vault.json; refuses when one exists or the passphrase is shorter
    // than kMinPassphraseLength characters.
    static Result<Vault> create(const Workspace &workspace, const QByteArray &passphrase);
    // Wrong passphrase: Code::InvalidArgument, "The passphrase does not unlock
    // the vault ...". No vault: Code::NotFound.
    static Result<Vault> unlock(const Workspace &workspace, const QByteArray &passphrase);

    Vault(Vault &&other) noexcept = default;
    Vault &operator=(Vault &&other) noexcept = default;
    Vault(const Vault &) = delete;
    Vault &operator=(const Vault &) = delete;
    ~Vault();

    const QString &workspacePath() const { return m_workspacePath; }

    // Seals a small secret: "pbv1:" + base64(nonce | ciphertext | tag).
    // `context` is bound to the value (e.g. "profile/office/psk"): a sealed
    // value copied to another context does not open.
    Result<QByteArray> sealSecret(const QByteArray &plaintext, const QString &context) const;
    Result<QByteArray> openSecret(const QByteArray &sealed, const QString &context) const;

    // Encrypted PKCS#8 PEM under the vault passphrase, and back.
    Result<QByteArray> encryptPrivateKey(const crypto::Key &key) const;
    Result<crypto::Key> decryptPrivateKey(const QByteArray &pem, const QString &what) const;
    // The same through a 0600 file (Workspace::writeFile).
    Result<void> writePrivateKey(const QString &path, const crypto::Key &key) const;
    Result<crypto::Key> readPrivateKey(const QString &path) const;

private:
    Vault(QString workspacePath, QByteArray passphrase, QByteArray key);
    QString m_workspacePath;
    QByteArray m_passphrase;
    QByteArray m_key;
};

} // namespace provbench
