#pragma once

#include "app/crypto/certificate.h"
#include "app/crypto/key.h"
#include "app/crypto/san.h"

// Builds and signs one X.509 v3 certificate. Used by the workspace CA for its
// own certificate and for the certificates it issues.
namespace provbench::crypto {

struct CertificateSpec
{
    enum class Role { RootCa, IntermediateCa, Leaf };
    Role role = Role::Leaf;
    QString subject; // as for parseDistinguishedName; ignored when subjectName is set
    const X509_NAME *subjectName = nullptr;
    Key publicKey;
    int days = 365;
    QList<SubjectAltName> sans;
    bool clientAuth = true; // leaf only
    bool serverAuth = false;
};

// 16 random bytes, positive (top bit clear, next bit set so the length is fixed).
Result<Asn1IntPtr> randomSerial();

// Signs with `issuerKey`; `issuer` is null for a self-signed root.
// notBefore is 5 minutes in the past to tolerate clock skew between bench and device.
Result<Certificate> buildCertificate(
    const CertificateSpec &spec, const Certificate *issuer, const Key &issuerKey);

} // namespace provbench::crypto
