#pragma once

#include "app/core/error.h"
#include "app/crypto/key.h"
#include "app/crypto/opensslutil.h"
#include "app/crypto/san.h"

#include <QByteArray>
#include <QList>
#include <QString>

// PKCS#10 certificate signing requests: made on the bench from a key pair, or
// brought by a device (PEM or DER) to be signed by the workspace CA.
namespace provbench::crypto {

class CertificateRequest
{
public:
    CertificateRequest() = default;
    explicit CertificateRequest(ReqPtr req) : m_req(std::move(req)) { }

    // Signs a new request with `key` (SHA-256; Ed25519 signs without a digest).
    // `subject` as for parseDistinguishedName ("CN=dev-1,O=Example").
    static Result<CertificateRequest> create(
        const Key &key, const QString &subject, const QList<SubjectAltName> &sans = {});
    // PEM ("CERTIFICATE REQUEST" or "NEW CERTIFICATE REQUEST") or DER, detected.
    static Result<CertificateRequest> parse(const QByteArray &data);

    bool isNull() const { return !m_req; }
    X509_REQ *get() const { return m_req.get(); }

    // True when the request's signature verifies with its own public key.
    bool verifySignature() const;
    QString subject() const;
    const X509_NAME *subjectName() const;
    QList<SubjectAltName> subjectAltNames() const;
    Result<Key> publicKey() const;

    Result<QByteArray> toPem() const;
    Result<QByteArray> toDer() const;

private:
    ReqPtr m_req;
};

} // namespace provbench::crypto
