#pragma once

#include "app/core/error.h"
#include "app/crypto/key.h"
#include "app/crypto/opensslutil.h"
#include "app/crypto/san.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

// An X.509 certificate: parsing (PEM, DER, a PEM bundle), the fields a person
// checks, fingerprints and encodings. Copies share one reference-counted,
// immutable OpenSSL object.
namespace provbench::crypto {

class Certificate
{
public:
    Certificate() = default;
    explicit Certificate(X509Ptr cert) : m_x509(std::move(cert)) { }
    Certificate(const Certificate &other);
    Certificate &operator=(const Certificate &other);
    Certificate(Certificate &&) noexcept = default;
    Certificate &operator=(Certificate &&) noexcept = default;

    // The first certificate of a PEM text, or a DER certificate.
    static Result<Certificate> parse(const QByteArray &data);
    // Every "CERTIFICATE" block of a PEM text, in order. None: an error.
    static Result<QList<Certificate>> parsePemBundle(const QByteArray &pem);

    bool isNull() const { return !m_x509; }
    X509 *get() const { return m_x509.get(); }

    QString subject() const;
    QString issuer() const;
    QString commonName() const;
    // Upper-case hex of the serial number.
    QString serialHex() const;
    QDateTime notBefore() const;
    QDateTime notAfter() const;
    // Negative once expired.
    qint64 daysLeft(const QDateTime &now = QDateTime::currentDateTimeUtc()) const;
    bool isCa() const;
    bool isSelfIssued() const;
    QList<SubjectAltName> subjectAltNames() const;
    // "ecdsa-with-SHA256", "sha1WithRSAEncryption", "ED25519", ...
    QString signatureAlgorithm() const;
    // The digest the signature uses ("SHA256", "SHA1", "MD5"), empty for Ed25519.
    QString signatureDigest() const;
    Result<Key> publicKey() const;

    // SHA-256 of the DER certificate, "ab:cd:..".
    QString fingerprint() const;
    // SHA-256 of the SubjectPublicKeyInfo (same as Key::fingerprint()).
    QString publicKeyFingerprint() const;

    // True when `issuer`'s subject/key identifiers match this certificate's
    // issuer and its key verifies this certificate's signature.
    bool isIssuedBy(const Certificate &issuer) const;
    bool matchesKey(const Key &key) const;

    Result<QByteArray> toPem() const;
    Result<QByteArray> toDer() const;

private:
    X509Ptr m_x509;
};

// The PEM of several certificates, concatenated.
Result<QByteArray> toPemBundle(const QList<Certificate> &certs);

} // namespace provbench::crypto
