#pragma once

#include "app/core/error.h"
#include "app/storage/workspace.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace provbench {

// Every credential the workbench hands out, by fingerprint, so that giving a
// second device the same key, PSK, password or certificate is noticed.
//
// A fingerprint is HMAC-SHA256 under a workspace key kept in the vault, not a
// plain hash: a Wi-Fi password or a short PSK could be recovered from its
// SHA-256 by guessing, but not from a keyed MAC without the vault. Public
// material (certificates, public keys) is fingerprinted the same way for
// uniformity. The ledger file (<workspace>/ledger.jsonl, 0600) holds no secret.
class CredentialLedger
{
public:
    enum class Kind { PrivateKey, Certificate, Psk, Password, WifiPassphrase };

    struct Entry
    {
        Kind kind = Kind::PrivateKey;
        QString fingerprint; // hex HMAC-SHA256
        QString device;      // device id (serial, port)
        QString profile;     // profile name
        QDateTime time;
    };

    // Devices other than `device` that already hold the same credential.
    struct Reuse
    {
        Kind kind = Kind::PrivateKey;
        QStringList otherDevices;
    };

    // hmacKey: at least 32 random bytes from the vault.
    static Result<CredentialLedger> open(const Workspace &workspace, QByteArray hmacKey);

    QString fingerprint(QByteArrayView material) const;
    // Records that `device` received `material`; returns the reuse it creates
    // (empty otherDevices when the credential is unique). Handing the same
    // credential to the same device again (a re-write) is not reuse.
    Result<Reuse> record(
        Kind kind, QByteArrayView material, const QString &device, const QString &profile);
    // Read-only check before handing something out.
    Reuse check(Kind kind, QByteArrayView material, const QString &device) const;

    QList<Entry> entries() const { return m_entries; }
    // Per profile: credentials recorded for more than one device.
    struct ProfileFacts
    {
        int devices = 0;           // distinct devices provisioned with the profile
        int reusedCredentials = 0; // fingerprints held by more than one device
        QStringList examples;      // "PSK on 3 devices", ...
    };
    ProfileFacts factsFor(const QString &profile) const;
    // The same facts without the vault: comparing stored fingerprints needs no
    // key. A workspace without a ledger yet has no facts.
    static Result<ProfileFacts> usageOf(const Workspace &workspace, const QString &profile);

    static QString kindName(Kind kind);

private:
    CredentialLedger(QString path, QByteArray key) : m_path(std::move(path)), m_key(std::move(key))
    {
    }
    Result<void> load();
    QString m_path;
    QByteArray m_key;
    QList<Entry> m_entries;
};

} // namespace provbench
