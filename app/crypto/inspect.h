#pragma once

#include "app/core/error.h"
#include "app/crypto/certificate.h"
#include "app/crypto/key.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

// Inspection of whatever a user brings: a PEM text with any number of
// certificates, keys and requests, a DER certificate or request, or a PKCS#12
// file. This parses outside input: it is bounded (1 MiB), never throws, and
// reports what it could not read instead of failing on the first problem.
namespace provbench::crypto {

inline constexpr qsizetype kMaxInspectBytes = 1 << 20;

struct CertificateInfo
{
    Certificate certificate;
    QString subject;
    QString issuer;
    QString serial;
    QDateTime notBefore;
    QDateTime notAfter;
    qint64 daysLeft = 0;
    QString keyType; // "EC P-256", "RSA 2048"
    int keyBits = 0;
    QString signatureAlgorithm;
    bool isCa = false;
    QStringList sans;
    QString fingerprint;
    QString publicKeyFingerprint;
    // Index of the certificate that issued this one in the report, -1 if none
    // is present; for a self-signed one its own index.
    int issuerIndex = -1;
    bool signatureVerifies = false; // with the issuer found (or itself)
    int keyIndex = -1;              // index into keys of the matching private/public key
};

struct KeyInfo
{
    QString kind; // "private key", "encrypted private key", "public key", "CSR public key"
    QString keyType;
    int keyBits = 0;
    QString publicKeyFingerprint; // empty when the key could not be read (encrypted, no password)
    bool encrypted = false;
};

struct RequestInfo
{
    QString subject;
    QStringList sans;
    QString keyType;
    bool signatureVerifies = false;
};

struct InspectionReport
{
    QString format; // "PEM", "DER certificate", "DER request", "PKCS#12"
    QList<CertificateInfo> certificates;
    QList<KeyInfo> keys;
    QList<RequestInfo> requests;
    // True when certificates[i] is issued by certificates[i+1] for every i.
    bool chainOrdered = false;
    QStringList warnings;
    QStringList notes; // blocks that were skipped, with why

    QJsonObject toJson() const;
};

// `password`: for PKCS#12 and encrypted private keys; without it those are
// reported as encrypted (PKCS#12: an error that asks for the password).
Result<InspectionReport> inspect(const QByteArray &data,
    const std::optional<QByteArray> &password = std::nullopt,
    const QDateTime &now = QDateTime::currentDateTimeUtc());

} // namespace provbench::crypto
