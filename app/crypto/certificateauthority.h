#pragma once

#include "app/core/error.h"
#include "app/crypto/certificate.h"
#include "app/crypto/csr.h"
#include "app/crypto/key.h"
#include "app/storage/vault.h"
#include "app/storage/workspace.h"

#include <QDateTime>
#include <QList>

// The workspace CA: one signing certificate and its key, in <workspace>/ca/:
//   ca.pem        the CA certificate
//   ca.key.pem    its private key, encrypted PKCS#8 under the vault passphrase
//   chain.pem     the CA's own issuers when it is an intermediate (else absent)
//   issued.jsonl  one JSON object per issued certificate
// A CA is created (root or intermediate), imported, or opened; then it
// issues device certificates from a CSR or a public key.
namespace provbench::crypto {

struct CaOptions
{
    QString subject = QStringLiteral("CN=ProvBench Workspace CA");
    KeyAlgorithm keyAlgorithm = KeyAlgorithm::EcP256;
    int days = 3650;
};

struct IssueOptions
{
    QString subject;            // empty with a CSR: the CSR's subject
    QList<SubjectAltName> sans; // empty with a CSR: the CSR's names
    int days = 365;
    bool clientAuth = true;
    bool serverAuth = false;
};

struct IssuedRecord
{
    QString serial;
    QString subject;
    QString fingerprint;          // SHA-256 of the certificate
    QString publicKeyFingerprint; // SHA-256 of its SubjectPublicKeyInfo
    QDateTime notAfter;
    QDateTime issuedAt;
};

class CertificateAuthority
{
public:
    static QString directory(const Workspace &workspace);
    static bool exists(const Workspace &workspace);

    // Each refuses to replace an existing CA.
    static Result<CertificateAuthority> createRoot(
        const Workspace &workspace, const Vault &vault, const CaOptions &options);
    // An intermediate signed by an outside parent (whose key is not stored).
    // `parentChain`: the parent's own issuers, if any, kept in chain.pem.
    static Result<CertificateAuthority> createIntermediate(const Workspace &workspace,
        const Vault &vault, const CaOptions &options, const Certificate &parentCert,
        const Key &parentKey, const QList<Certificate> &parentChain = {});
    // `certPem`: the CA certificate first, then its issuers (optional).
    // `keyPem`: encrypted PKCS#8, unlocked with `keyPassphrase`; it is stored
    // re-encrypted under the vault passphrase.
    static Result<CertificateAuthority> importExisting(const Workspace &workspace,
        const Vault &vault, const QByteArray &certPem, const QByteArray &keyPem,
        const QByteArray &keyPassphrase);
    static Result<CertificateAuthority> open(const Workspace &workspace, const Vault &vault);

    const Certificate &certificate() const { return m_cert; }
    const Key &key() const { return m_key; }
    // The CA certificate followed by its issuers (for a full chain export).
    QList<Certificate> chain() const;

    Result<Certificate> issue(const Key &publicKey, const IssueOptions &options) const;
    // Verifies the request's signature first; a request that does not verify is refused.
    Result<Certificate> issue(const CertificateRequest &request, const IssueOptions &options) const;

    Result<QList<IssuedRecord>> issued() const;

private:
    CertificateAuthority(QString dir, Certificate cert, Key key, QList<Certificate> parents);
    static Result<CertificateAuthority> store(const Workspace &workspace, const Vault &vault,
        Certificate cert, Key key, QList<Certificate> parents);
    Result<void> record(const Certificate &cert) const;

    QString m_dir;
    Certificate m_cert;
    Key m_key;
    QList<Certificate> m_parents;
};

} // namespace provbench::crypto
