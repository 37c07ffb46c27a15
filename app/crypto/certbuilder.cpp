#include "app/crypto/certbuilder.h"

#include "app/crypto/aead.h"

namespace provbench::crypto {

namespace {

constexpr long kBackdateSeconds = 5 * 60;

Result<void> addExtension(X509 *cert, X509V3_CTX *ctx, int nid, const char *value)
{
    ExtPtr ext(X509V3_EXT_nconf_nid(nullptr, ctx, nid, value));
    if (!ext || X509_add_ext(cert, ext.get(), -1) != 1)
        return opensslFail(Error::Code::Io,
            QStringLiteral("Cannot add the %1 extension to the certificate.")
                .arg(QString::fromLatin1(OBJ_nid2sn(nid))));
    return {};
}

} // namespace

Result<Asn1IntPtr> randomSerial()
{
    QByteArray bytes = randomBytes(16);
    if (bytes.isEmpty())
        return fail(Error::Code::Io,
            QStringLiteral("The random generator failed: check the system's entropy source."));
    bytes[0] = char((quint8(bytes[0]) & 0x7f) | 0x40);
    BignumPtr bn(BN_bin2bn(
        reinterpret_cast<const unsigned char *>(bytes.constData()), int(bytes.size()), nullptr));
    Asn1IntPtr serial(bn ? BN_to_ASN1_INTEGER(bn.get(), nullptr) : nullptr);
    if (!serial)
        return opensslFail(Error::Code::Io, QStringLiteral("Cannot encode the serial number."));
    return serial;
}

Result<Certificate> buildCertificate(
    const CertificateSpec &spec, const Certificate *issuer, const Key &issuerKey)
{
    if (spec.publicKey.isNull())
        return fail(Error::Code::InvalidArgument, QStringLiteral("No public key to certify."));
    if (!issuerKey.hasPrivateKey())
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("The issuer's private key is needed to sign."));
    if (spec.days < 1 || spec.days > 36500)
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("A validity of %1 days is out of range: use 1 to 36500.")
                .arg(spec.days));
    NamePtr ownedName;
    const X509_NAME *subject = spec.subjectName;
    if (!subject) {
        auto parsed = parseDistinguishedName(spec.subject);
        if (!parsed)
            return std::unexpected(parsed.error());
        ownedName = std::move(*parsed);
        subject = ownedName.get();
    }
    auto serial = randomSerial();
    if (!serial)
        return std::unexpected(serial.error());

    X509Ptr cert(X509_new());
    const X509_NAME *issuerName = issuer ? X509_get_subject_name(issuer->get()) : subject;
    if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1
        || X509_set_serialNumber(cert.get(), serial->get()) != 1
        || X509_set_subject_name(cert.get(), subject) != 1
        || X509_set_issuer_name(cert.get(), issuerName) != 1
        || X509_set_pubkey(cert.get(), spec.publicKey.get()) != 1
        || !X509_gmtime_adj(X509_getm_notBefore(cert.get()), -kBackdateSeconds)
        || !X509_time_adj_ex(X509_getm_notAfter(cert.get()), spec.days, 0, nullptr))
        return opensslFail(Error::Code::Io, QStringLiteral("Cannot build the certificate."));

    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer ? issuer->get() : cert.get(), cert.get(), nullptr, nullptr, 0);
    using Role = CertificateSpec::Role;
    const bool ca = spec.role != Role::Leaf;
    QByteArray keyUsage = ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature";
    if (!ca && spec.publicKey.isRsa())
        keyUsage += ",keyEncipherment";
    QByteArray eku;
    if (!ca && spec.clientAuth)
        eku += "clientAuth";
    if (!ca && spec.serverAuth)
        eku += eku.isEmpty() ? "serverAuth" : ",serverAuth";
    const char *basic = spec.role == Role::RootCa ? "critical,CA:TRUE"
        : spec.role == Role::IntermediateCa       ? "critical,CA:TRUE,pathlen:0"
                                                  : "critical,CA:FALSE";
    // SKI before AKI: a self-signed certificate's AKI copies its own SKI.
    for (auto [nid, value] :
        {std::pair{NID_basic_constraints, basic}, {NID_key_usage, keyUsage.constData()},
            {NID_subject_key_identifier, "hash"}, {NID_authority_key_identifier, "keyid:always"}}) {
        if (auto ok = addExtension(cert.get(), &ctx, nid, value); !ok)
            return std::unexpected(ok.error());
    }
    if (!eku.isEmpty()) {
        if (auto ok = addExtension(cert.get(), &ctx, NID_ext_key_usage, eku.constData()); !ok)
            return std::unexpected(ok.error());
    }
    if (!spec.sans.isEmpty()) {
        auto gens = toGeneralNames(spec.sans);
        if (!gens)
            return std::unexpected(gens.error());
        if (X509_add1_ext_i2d(cert.get(), NID_subject_alt_name, gens->get(), 0, X509V3_ADD_DEFAULT)
            != 1)
            return opensslFail(
                Error::Code::Io, QStringLiteral("Cannot add the subject alternative names."));
    }
    const EVP_MD *md = issuerKey.signsWithoutDigest() ? nullptr : EVP_sha256();
    if (X509_sign(cert.get(), issuerKey.get(), md) <= 0)
        return opensslFail(Error::Code::Io, QStringLiteral("Signing the certificate failed."));
    return Certificate(std::move(cert));
}

} // namespace provbench::crypto
