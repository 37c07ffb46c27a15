#pragma once

#include "app/core/error.h"
#include "app/crypto/certificate.h"

#include <QByteArray>
#include <QList>

// "Certs-only" CMS/PKCS#7: a degenerate SignedData with certificates and no
// signers, the form in which EST returns CA certificates and issued
// certificates (RFC 7030 section 4.1.3, 4.2.3; RFC 5652).
namespace provbench::crypto {

Result<QByteArray> certsOnlyDer(const QList<Certificate> &certificates);
// Certificates of a certs-only SignedData (DER), in order. Fails when the
// structure is not SignedData or carries no certificate.
Result<QList<Certificate>> parseCertsOnly(const QByteArray &der);

} // namespace provbench::crypto
