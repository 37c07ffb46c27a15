#include "app/crypto/csr.h"

#include <openssl/pem.h>

namespace provbench::crypto {

Result<CertificateRequest> CertificateRequest::create(
    const Key &key, const QString &subject, const QList<SubjectAltName> &sans)
{
    if (!key.hasPrivateKey())
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("A signing request needs the private key to sign it."));
    auto name = parseDistinguishedName(subject);
    if (!name)
        return std::unexpected(name.error());
    ReqPtr req(X509_REQ_new());
    if (!req || X509_REQ_set_version(req.get(), X509_REQ_VERSION_1) != 1
        || X509_REQ_set_subject_name(req.get(), name->get()) != 1
        || X509_REQ_set_pubkey(req.get(), key.get()) != 1)
        return opensslFail(Error::Code::Io, QStringLiteral("Cannot build the signing request."));
    if (!sans.isEmpty()) {
        auto gens = toGeneralNames(sans);
        if (!gens)
            return std::unexpected(gens.error());
        ExtStackPtr exts(sk_X509_EXTENSION_new_null());
        ExtPtr ext(X509V3_EXT_i2d(NID_subject_alt_name, 0, gens->get()));
        if (!exts || !ext || sk_X509_EXTENSION_push(exts.get(), ext.get()) <= 0)
            return opensslFail(
                Error::Code::Io, QStringLiteral("Cannot encode the subject alternative names."));
        (void)ext.release();
        if (X509_REQ_add_extensions(req.get(), exts.get()) != 1)
            return opensslFail(Error::Code::Io,
                QStringLiteral("Cannot add the subject alternative names to the request."));
    }
    const EVP_MD *md = key.signsWithoutDigest() ? nullptr : EVP_sha256();
    if (X509_REQ_sign(req.get(), key.get(), md) <= 0)
        return opensslFail(Error::Code::Io, QStringLiteral("Signing the request failed."));
    return CertificateRequest(std::move(req));
}

Result<CertificateRequest> CertificateRequest::parse(const QByteArray &data)
{
    ReqPtr req;
    if (data.contains("-----BEGIN")) {
        BioPtr bio = memoryBio(data);
        req.reset(bio ? PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    } else {
        const auto *p = reinterpret_cast<const unsigned char *>(data.constData());
        req.reset(d2i_X509_REQ(nullptr, &p, long(data.size())));
    }
    if (!req)
        return opensslFail(Error::Code::InvalidArgument,
            QStringLiteral("The data is not a certificate signing request (PEM \"CERTIFICATE "
                           "REQUEST\" or DER PKCS#10)."));
    return CertificateRequest(std::move(req));
}

bool CertificateRequest::verifySignature() const
{
    if (!m_req)
        return false;
    EVP_PKEY *pkey = X509_REQ_get0_pubkey(m_req.get());
    const bool ok = pkey && X509_REQ_verify(m_req.get(), pkey) == 1;
    clearOpenSslErrors();
    return ok;
}

QString CertificateRequest::subject() const
{
    return nameToString(subjectName());
}

const X509_NAME *CertificateRequest::subjectName() const
{
    return m_req ? X509_REQ_get_subject_name(m_req.get()) : nullptr;
}

QList<SubjectAltName> CertificateRequest::subjectAltNames() const
{
    QList<SubjectAltName> out;
    if (!m_req)
        return out;
    ExtStackPtr exts(X509_REQ_get_extensions(m_req.get()));
    if (!exts) {
        clearOpenSslErrors();
        return out;
    }
    GeneralNamesPtr gens(static_cast<GENERAL_NAMES *>(
        X509V3_get_d2i(exts.get(), NID_subject_alt_name, nullptr, nullptr)));
    clearOpenSslErrors();
    return fromGeneralNames(gens.get());
}

Result<Key> CertificateRequest::publicKey() const
{
    EVP_PKEY *pkey = m_req ? X509_REQ_get_pubkey(m_req.get()) : nullptr;
    if (!pkey)
        return opensslFail(Error::Code::InvalidArgument,
            QStringLiteral("The signing request's public key cannot be read."));
    return Key(PKeyPtr(pkey));
}

Result<QByteArray> CertificateRequest::toPem() const
{
    BioPtr bio = memoryBio();
    if (!m_req || !bio || PEM_write_bio_X509_REQ(bio.get(), m_req.get()) != 1)
        return opensslFail(Error::Code::Io, QStringLiteral("Cannot encode the request as PEM."));
    return bioBytes(bio.get());
}

Result<QByteArray> CertificateRequest::toDer() const
{
    unsigned char *der = nullptr;
    const int len = m_req ? i2d_X509_REQ(m_req.get(), &der) : -1;
    if (len <= 0)
        return opensslFail(Error::Code::Io, QStringLiteral("Cannot encode the request as DER."));
    QByteArray out(reinterpret_cast<const char *>(der), len);
    OPENSSL_free(der);
    return out;
}

} // namespace provbench::crypto
