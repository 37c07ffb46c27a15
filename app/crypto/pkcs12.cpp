#include "app/crypto/pkcs12.h"

namespace provbench::crypto {

Result<QByteArray> makePkcs12(const Key &key, const Certificate &certificate,
    const QList<Certificate> &chain, const QByteArray &password, const QString &friendlyName)
{
    if (password.isEmpty())
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("A PKCS#12 file holds a private key: give a password for it."));
    if (!key.hasPrivateKey() || certificate.isNull())
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("A PKCS#12 bundle needs a private key and its certificate."));
    if (!certificate.matchesKey(key))
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("The key does not belong to the certificate."));
    X509StackPtr ca(sk_X509_new_null());
    if (!ca)
        return opensslFail(Error::Code::Io, QStringLiteral("Out of memory."));
    for (const Certificate &c : chain) {
        if (X509_up_ref(c.get()) != 1 || sk_X509_push(ca.get(), c.get()) <= 0)
            return opensslFail(Error::Code::Io, QStringLiteral("Out of memory."));
    }
    const QByteArray name = friendlyName.toUtf8();
    // mac_iter -1: no MAC here; it is set below with SHA-256 instead of the SHA-1 default.
    Pkcs12Ptr p12(PKCS12_create(password.constData(), name.isEmpty() ? nullptr : name.constData(),
        key.get(), certificate.get(), ca.get(), NID_aes_256_cbc, NID_aes_256_cbc, kPkcs12Iterations,
        -1, 0));
    if (!p12)
        return opensslFail(Error::Code::Io, QStringLiteral("Cannot build the PKCS#12 bundle."));
    if (PKCS12_set_mac(p12.get(), password.constData(), int(password.size()), nullptr, 0,
            kPkcs12Iterations, EVP_sha256())
        != 1)
        return opensslFail(Error::Code::Io, QStringLiteral("Cannot add the PKCS#12 MAC."));
    unsigned char *der = nullptr;
    const int len = i2d_PKCS12(p12.get(), &der);
    if (len <= 0)
        return opensslFail(Error::Code::Io, QStringLiteral("Cannot encode the PKCS#12 bundle."));
    QByteArray out(reinterpret_cast<const char *>(der), len);
    OPENSSL_free(der);
    return out;
}

Result<Pkcs12Contents> parsePkcs12(
    const QByteArray &der, const QByteArray &password, const QString &what)
{
    const auto *p = reinterpret_cast<const unsigned char *>(der.constData());
    Pkcs12Ptr p12(d2i_PKCS12(nullptr, &p, long(der.size())));
    if (!p12)
        return opensslFail(Error::Code::InvalidArgument,
            QStringLiteral("%1 is not a PKCS#12 (.p12/.pfx) file.").arg(what));
    if (PKCS12_mac_present(p12.get())
        && PKCS12_verify_mac(p12.get(), password.constData(), int(password.size())) != 1) {
        clearOpenSslErrors();
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("The password does not open %1: check it and try again.").arg(what));
    }
    EVP_PKEY *pkey = nullptr;
    X509 *cert = nullptr;
    STACK_OF(X509) *ca = nullptr;
    if (PKCS12_parse(p12.get(), password.constData(), &pkey, &cert, &ca) != 1)
        return opensslFail(Error::Code::InvalidArgument,
            QStringLiteral("%1 cannot be decrypted with this password, or uses an algorithm "
                           "OpenSSL 3 does not enable by default (RC2/3DES: convert it with "
                           "'openssl pkcs12 -legacy').")
                .arg(what));
    PKeyPtr keyHolder(pkey);
    X509Ptr certHolder(cert);
    X509StackPtr caHolder(ca);
    Pkcs12Contents out;
    if (keyHolder)
        out.key = Key(std::move(keyHolder));
    if (certHolder)
        out.certificate = Certificate(std::move(certHolder));
    while (caHolder && sk_X509_num(caHolder.get()) > 0)
        out.chain.prepend(Certificate(X509Ptr(sk_X509_pop(caHolder.get()))));
    return out;
}

} // namespace provbench::crypto
