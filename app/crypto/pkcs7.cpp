#include "app/crypto/pkcs7.h"

#include "app/crypto/opensslutil.h"

#include <openssl/pkcs7.h>
#include <openssl/x509.h>

namespace provbench::crypto {

namespace {
using Pkcs7Ptr = std::unique_ptr<PKCS7, Deleter<PKCS7_free>>;
}

Result<QByteArray> certsOnlyDer(const QList<Certificate> &certificates)
{
    if (certificates.isEmpty())
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("A certs-only message needs at least one certificate."));
    Pkcs7Ptr p7(PKCS7_new());
    if (!p7 || PKCS7_set_type(p7.get(), NID_pkcs7_signed) != 1
        || PKCS7_content_new(p7.get(), NID_pkcs7_data) != 1)
        return opensslFail(Error::Code::Io, QStringLiteral("Could not build a PKCS#7 structure."));
    for (const Certificate &c : certificates) {
        // PKCS7_add_certificate takes its own reference.
        if (c.isNull() || PKCS7_add_certificate(p7.get(), c.get()) != 1)
            return opensslFail(Error::Code::InvalidArgument,
                QStringLiteral("Could not add a certificate to the PKCS#7 structure."));
    }
    unsigned char *out = nullptr;
    const int len = i2d_PKCS7(p7.get(), &out);
    if (len <= 0)
        return opensslFail(
            Error::Code::Io, QStringLiteral("Could not encode the PKCS#7 structure."));
    QByteArray der(reinterpret_cast<const char *>(out), len);
    OPENSSL_free(out);
    return der;
}

Result<QList<Certificate>> parseCertsOnly(const QByteArray &der)
{
    const auto *p = reinterpret_cast<const unsigned char *>(der.constData());
    Pkcs7Ptr p7(d2i_PKCS7(nullptr, &p, der.size()));
    if (!p7)
        return opensslFail(
            Error::Code::Protocol, QStringLiteral("The answer is not a PKCS#7 structure."));
    if (p != reinterpret_cast<const unsigned char *>(der.constData()) + der.size()) {
        clearOpenSslErrors();
        return fail(Error::Code::Protocol,
            QStringLiteral("The PKCS#7 structure is followed by unexpected bytes."));
    }
    if (!PKCS7_type_is_signed(p7.get()) || !p7->d.sign || !p7->d.sign->cert)
        return fail(
            Error::Code::Protocol, QStringLiteral("The PKCS#7 structure carries no certificates."));
    QList<Certificate> certs;
    STACK_OF(X509) *stack = p7->d.sign->cert;
    for (int i = 0; i < sk_X509_num(stack); ++i) {
        X509 *x = sk_X509_value(stack, i);
        if (X509_up_ref(x) != 1)
            return opensslFail(Error::Code::Io, QStringLiteral("Could not read a certificate."));
        certs.append(Certificate(X509Ptr(x)));
    }
    if (certs.isEmpty())
        return fail(
            Error::Code::Protocol, QStringLiteral("The PKCS#7 structure carries no certificates."));
    return certs;
}

} // namespace provbench::crypto
