#include "app/crypto/certificate.h"

#include <openssl/objects.h>
#include <openssl/pem.h>

namespace provbench::crypto {

Certificate::Certificate(const Certificate &other)
{
    if (other.m_x509 && X509_up_ref(other.m_x509.get()) == 1)
        m_x509.reset(other.m_x509.get());
}

Certificate &Certificate::operator=(const Certificate &other)
{
    if (this != &other)
        *this = Certificate(other);
    return *this;
}

Result<Certificate> Certificate::parse(const QByteArray &data)
{
    X509Ptr x509;
    if (data.contains("-----BEGIN")) {
        BioPtr bio = memoryBio(data);
        x509.reset(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    } else {
        const auto *p = reinterpret_cast<const unsigned char *>(data.constData());
        x509.reset(d2i_X509(nullptr, &p, long(data.size())));
    }
    if (!x509)
        return opensslFail(Error::Code::InvalidArgument,
            QStringLiteral("The data is not an X.509 certificate (PEM \"CERTIFICATE\" or DER)."));
    return Certificate(std::move(x509));
}

Result<QList<Certificate>> Certificate::parsePemBundle(const QByteArray &pem)
{
    QList<Certificate> certs;
    BioPtr bio = memoryBio(pem);
    while (bio) {
        X509Ptr x509(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
        if (!x509)
            break;
        certs.append(Certificate(std::move(x509)));
    }
    clearOpenSslErrors(); // the end of the text is reported as an error
    if (certs.isEmpty())
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("The text holds no \"CERTIFICATE\" PEM block."));
    return certs;
}

QString Certificate::subject() const
{
    return m_x509 ? nameToString(X509_get_subject_name(m_x509.get())) : QString();
}

QString Certificate::issuer() const
{
    return m_x509 ? nameToString(X509_get_issuer_name(m_x509.get())) : QString();
}

QString Certificate::commonName() const
{
    if (!m_x509)
        return {};
    const X509_NAME *name = X509_get_subject_name(m_x509.get());
    const int idx = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
    if (idx < 0)
        return {};
    const ASN1_STRING *s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
    unsigned char *utf8 = nullptr;
    const int len = ASN1_STRING_to_UTF8(&utf8, s);
    if (len < 0)
        return {};
    const QString out = QString::fromUtf8(reinterpret_cast<const char *>(utf8), len);
    OPENSSL_free(utf8);
    return out;
}

QString Certificate::serialHex() const
{
    return m_x509 ? asn1IntegerHex(X509_get0_serialNumber(m_x509.get())) : QString();
}

QDateTime Certificate::notBefore() const
{
    return m_x509 ? asn1TimeToDateTime(X509_get0_notBefore(m_x509.get())) : QDateTime();
}

QDateTime Certificate::notAfter() const
{
    return m_x509 ? asn1TimeToDateTime(X509_get0_notAfter(m_x509.get())) : QDateTime();
}

qint64 Certificate::daysLeft(const QDateTime &now) const
{
    const qint64 secs = now.secsTo(notAfter());
    return secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
}

bool Certificate::isCa() const
{
    // X509_check_ca: 1 for a v3 CA, other values for legacy forms we do not trust.
    return m_x509 && X509_check_ca(m_x509.get()) == 1;
}

bool Certificate::isSelfIssued() const
{
    return m_x509
        && X509_NAME_cmp(X509_get_subject_name(m_x509.get()), X509_get_issuer_name(m_x509.get()))
        == 0;
}

QList<SubjectAltName> Certificate::subjectAltNames() const
{
    if (!m_x509)
        return {};
    GeneralNamesPtr gens(static_cast<GENERAL_NAMES *>(
        X509_get_ext_d2i(m_x509.get(), NID_subject_alt_name, nullptr, nullptr)));
    clearOpenSslErrors();
    return fromGeneralNames(gens.get());
}

QString Certificate::signatureAlgorithm() const
{
    if (!m_x509)
        return {};
    const int nid = X509_get_signature_nid(m_x509.get());
    const char *name = OBJ_nid2ln(nid);
    return name ? QString::fromLatin1(name) : QStringLiteral("unknown");
}

QString Certificate::signatureDigest() const
{
    if (!m_x509)
        return {};
    int mdNid = NID_undef;
    int pkNid = NID_undef;
    if (OBJ_find_sigid_algs(X509_get_signature_nid(m_x509.get()), &mdNid, &pkNid) != 1
        || mdNid == NID_undef)
        return {};
    const char *name = OBJ_nid2sn(mdNid);
    return name ? QString::fromLatin1(name).toUpper() : QString();
}

Result<Key> Certificate::publicKey() const
{
    EVP_PKEY *pkey = m_x509 ? X509_get_pubkey(m_x509.get()) : nullptr;
    if (!pkey)
        return opensslFail(Error::Code::InvalidArgument,
            QStringLiteral("The certificate's public key cannot be read (unknown key type?)."));
    return Key(PKeyPtr(pkey));
}

QString Certificate::fingerprint() const
{
    auto der = toDer();
    return der ? sha256Fingerprint(*der) : QString();
}

QString Certificate::publicKeyFingerprint() const
{
    auto key = publicKey();
    return key ? key->fingerprint() : QString();
}

bool Certificate::isIssuedBy(const Certificate &issuer) const
{
    if (!m_x509 || !issuer.m_x509)
        return false;
    if (X509_check_issued(issuer.m_x509.get(), m_x509.get()) != X509_V_OK)
        return false;
    EVP_PKEY *pkey = X509_get0_pubkey(issuer.m_x509.get());
    const bool ok = pkey && X509_verify(m_x509.get(), pkey) == 1;
    clearOpenSslErrors();
    return ok;
}

bool Certificate::matchesKey(const Key &key) const
{
    if (!m_x509 || key.isNull())
        return false;
    const bool ok = X509_check_private_key(m_x509.get(), key.get()) == 1
        || EVP_PKEY_eq(X509_get0_pubkey(m_x509.get()), key.get()) == 1;
    clearOpenSslErrors();
    return ok;
}

Result<QByteArray> Certificate::toPem() const
{
    BioPtr bio = memoryBio();
    if (!m_x509 || !bio || PEM_write_bio_X509(bio.get(), m_x509.get()) != 1)
        return opensslFail(
            Error::Code::Io, QStringLiteral("Cannot encode the certificate as PEM."));
    return bioBytes(bio.get());
}

Result<QByteArray> Certificate::toDer() const
{
    unsigned char *der = nullptr;
    const int len = m_x509 ? i2d_X509(m_x509.get(), &der) : -1;
    if (len <= 0)
        return opensslFail(
            Error::Code::Io, QStringLiteral("Cannot encode the certificate as DER."));
    QByteArray out(reinterpret_cast<const char *>(der), len);
    OPENSSL_free(der);
    return out;
}

Result<QByteArray> toPemBundle(const QList<Certificate> &certs)
{
    QByteArray out;
    for (const Certificate &c : certs) {
        auto pem = c.toPem();
        if (!pem)
            return pem;
        out += *pem;
    }
    return out;
}

} // namespace provbench::crypto
