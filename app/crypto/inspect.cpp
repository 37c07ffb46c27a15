#include "app/crypto/inspect.h"

#include "app/crypto/csr.h"
#include "app/crypto/pkcs12.h"

#include <QJsonArray>

#include <cstring>

#include <openssl/err.h>
#include <openssl/pem.h>

namespace provbench::crypto {

namespace {

constexpr int kMaxBlocks = 512;
constexpr int kMaxLeafDays = 825;
constexpr qint64 kMaxPkcs12Iterations = 1000000;

struct Collected
{
    QList<Certificate> certs;
    QList<std::pair<KeyInfo, Key>> keys; // Key is null when unreadable
    QList<RequestInfo> requests;
    QStringList warnings;
    QStringList notes;
};

QStringList sanStrings(const QList<SubjectAltName> &sans)
{
    QStringList out;
    for (const auto &s : sans)
        out.append(s.toString());
    return out;
}

void weakKeyWarnings(const Key &key, const QString &what, QStringList &warnings)
{
    if (key.isRsa() && key.bits() < 2048)
        warnings.append(QStringLiteral("%1 uses a weak RSA key of %2 bits: use at least 2048.")
                            .arg(what)
                            .arg(key.bits()));
    if (key.typeName() == u"EC" && key.bits() < 256)
        warnings.append(QStringLiteral("%1 uses a weak EC curve of %2 bits: use P-256 or larger.")
                            .arg(what)
                            .arg(key.bits()));
}

void addKey(Collected &c, const QString &kind, Key key, bool encrypted)
{
    KeyInfo info;
    info.kind = kind;
    info.encrypted = encrypted;
    if (!key.isNull()) {
        info.keyType = key.description();
        info.keyBits = key.bits();
        info.publicKeyFingerprint = key.fingerprint();
        weakKeyWarnings(key, QStringLiteral("Key %1").arg(c.keys.size() + 1), c.warnings);
    }
    c.keys.append({info, std::move(key)});
}

void addRequest(Collected &c, const CertificateRequest &req)
{
    RequestInfo info;
    info.subject = req.subject();
    info.sans = sanStrings(req.subjectAltNames());
    info.signatureVerifies = req.verifySignature();
    if (!info.signatureVerifies)
        c.warnings.append(QStringLiteral("The signing request for \"%1\" has a signature that "
                                         "does not verify: it was altered.")
                              .arg(info.subject));
    if (auto key = req.publicKey()) {
        info.keyType = key->description();
        addKey(c, QStringLiteral("CSR public key"), *key, false);
    }
    c.requests.append(info);
}

void readEncryptedKey(Collected &c, const QByteArray &der, const std::optional<QByteArray> &pw)
{
    const auto *p = reinterpret_cast<const unsigned char *>(der.constData());
    X509SigPtr sig(d2i_X509_SIG(nullptr, &p, long(der.size())));
    if (!sig) {
        clearOpenSslErrors();
        c.notes.append(QStringLiteral("An ENCRYPTED PRIVATE KEY block is damaged."));
        return;
    }
    if (!pw) {
        addKey(c, QStringLiteral("encrypted private key"), Key(), true);
        return;
    }
    P8InfoPtr info(PKCS8_decrypt(sig.get(), pw->constData(), int(pw->size())));
    PKeyPtr pkey(info ? EVP_PKCS82PKEY(info.get()) : nullptr);
    clearOpenSslErrors();
    if (!pkey)
        c.notes.append(QStringLiteral("The password does not unlock the encrypted private key."));
    addKey(c, QStringLiteral("encrypted private key"), Key(std::move(pkey)), true);
}

void readPemBlock(
    Collected &c, const QString &name, const QByteArray &der, const std::optional<QByteArray> &pw)
{
    const auto *p = reinterpret_cast<const unsigned char *>(der.constData());
    const long len = long(der.size());
    if (name == u"CERTIFICATE" || name == u"X509 CERTIFICATE" || name == u"TRUSTED CERTIFICATE") {
        X509Ptr x(name == u"TRUSTED CERTIFICATE" ? d2i_X509_AUX(nullptr, &p, len)
                                                 : d2i_X509(nullptr, &p, len));
        if (x)
            c.certs.append(Certificate(std::move(x)));
        else
            c.notes.append(QStringLiteral("A %1 block is damaged and was skipped.").arg(name));
    } else if (name == u"CERTIFICATE REQUEST" || name == u"NEW CERTIFICATE REQUEST") {
        ReqPtr r(d2i_X509_REQ(nullptr, &p, len));
        if (r)
            addRequest(c, CertificateRequest(std::move(r)));
        else
            c.notes.append(QStringLiteral("A %1 block is damaged and was skipped.").arg(name));
    } else if (name == u"PUBLIC KEY") {
        PKeyPtr k(d2i_PUBKEY(nullptr, &p, len));
        if (k)
            addKey(c, QStringLiteral("public key"), Key(std::move(k)), false);
        else
            c.notes.append(QStringLiteral("A PUBLIC KEY block is damaged and was skipped."));
    } else if (name == u"PRIVATE KEY" || name == u"EC PRIVATE KEY" || name == u"RSA PRIVATE KEY") {
        PKeyPtr k(d2i_AutoPrivateKey(nullptr, &p, len));
        if (k) {
            addKey(c, QStringLiteral("private key"), Key(std::move(k)), false);
            c.warnings.append(QStringLiteral("The file holds an unencrypted private key: store "
                                             "it encrypted (PKCS#8 with a passphrase)."));
        } else {
            c.notes.append(QStringLiteral("A %1 block could not be read (a legacy encrypted "
                                          "key, or damaged).")
                               .arg(name));
        }
    } else if (name == u"ENCRYPTED PRIVATE KEY") {
        readEncryptedKey(c, der, pw);
    } else {
        c.notes.append(QStringLiteral("A \"%1\" block is not something ProvBench inspects; "
                                      "skipped.")
                           .arg(name.left(64)));
    }
    clearOpenSslErrors();
}

void readPem(Collected &c, const QByteArray &data, const std::optional<QByteArray> &pw)
{
    BioPtr bio = memoryBio(data);
    for (int i = 0; bio && i < kMaxBlocks; ++i) {
        char *name = nullptr;
        char *header = nullptr;
        unsigned char *der = nullptr;
        long len = 0;
        if (PEM_read_bio(bio.get(), &name, &header, &der, &len) != 1) {
            const unsigned long e = ERR_peek_last_error();
            if (ERR_GET_LIB(e) != ERR_LIB_PEM || ERR_GET_REASON(e) != PEM_R_NO_START_LINE)
                c.notes.append(QStringLiteral("A PEM block could not be decoded (bad base64 or a "
                                              "missing END line); the rest was skipped."));
            clearOpenSslErrors();
            return;
        }
        const QString blockName = QString::fromLatin1(name);
        const bool legacyEncrypted = header && std::strstr(header, "ENCRYPTED");
        const QByteArray bytes(reinterpret_cast<const char *>(der), qsizetype(len));
        OPENSSL_free(name);
        OPENSSL_free(header);
        OPENSSL_free(der);
        if (legacyEncrypted)
            c.notes.append(QStringLiteral("A %1 block uses legacy PEM encryption, which "
                                          "ProvBench does not read: convert it to PKCS#8.")
                               .arg(blockName.left(64)));
        else
            readPemBlock(c, blockName, bytes, pw);
    }
    c.notes.append(QStringLiteral("Only the first %1 PEM blocks were read.").arg(kMaxBlocks));
}

Result<void> readPkcs12(Collected &c, const QByteArray &data, const std::optional<QByteArray> &pw)
{
    if (!pw)
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("The file is PKCS#12: give its password (--password-env VAR) to "
                           "inspect it."));
    const auto *p = reinterpret_cast<const unsigned char *>(data.constData());
    Pkcs12Ptr p12(d2i_PKCS12(nullptr, &p, long(data.size())));
    const ASN1_INTEGER *iter = nullptr;
    if (p12 && PKCS12_mac_present(p12.get())) {
        PKCS12_get0_mac(nullptr, nullptr, nullptr, &iter, p12.get());
        if (iter && ASN1_INTEGER_get(iter) > kMaxPkcs12Iterations)
            return fail(Error::Code::InvalidArgument,
                QStringLiteral("The PKCS#12 file asks for %1 MAC iterations, far more than any "
                               "real tool uses; refused.")
                    .arg(ASN1_INTEGER_get(iter)));
    }
    clearOpenSslErrors();
    auto contents = parsePkcs12(data, *pw);
    if (!contents)
        return std::unexpected(contents.error());
    if (contents->certificate)
        c.certs.append(*contents->certificate);
    c.certs.append(contents->chain);
    if (contents->key)
        addKey(c, QStringLiteral("private key (in PKCS#12)"), *contents->key, true);
    return {};
}

CertificateInfo describe(
    const Certificate &cert, int index, const QDateTime &now, QStringList &warnings)
{
    CertificateInfo info;
    info.certificate = cert;
    info.subject = cert.subject();
    info.issuer = cert.issuer();
    info.serial = cert.serialHex();
    info.notBefore = cert.notBefore();
    info.notAfter = cert.notAfter();
    info.daysLeft = cert.daysLeft(now);
    info.signatureAlgorithm = cert.signatureAlgorithm();
    info.isCa = cert.isCa();
    info.sans = sanStrings(cert.subjectAltNames());
    info.fingerprint = cert.fingerprint();
    const QString what = QStringLiteral("Certificate %1 (%2)").arg(index + 1).arg(info.subject);
    if (auto key = cert.publicKey()) {
        info.keyType = key->description();
        info.keyBits = key->bits();
        info.publicKeyFingerprint = key->fingerprint();
        weakKeyWarnings(*key, what, warnings);
    } else {
        info.keyType = QStringLiteral("unreadable");
    }
    const QString digest = cert.signatureDigest();
    if (digest == u"SHA1" || digest == u"MD5" || digest == u"MD4" || digest == u"MD2")
        warnings.append(QStringLiteral("%1 is signed with %2 (%3), which is broken: reissue it "
                                       "with SHA-256.")
                            .arg(what, digest, info.signatureAlgorithm));
    if (info.notAfter.isValid() && info.notAfter < now)
        warnings.append(
            QStringLiteral("%1 expired on %2.").arg(what, info.notAfter.toString(Qt::ISODate)));
    if (info.notBefore.isValid() && info.notBefore > now)
        warnings.append(QStringLiteral("%1 is not valid yet (from %2): check the clock of the "
                                       "machine that made it.")
                            .arg(what, info.notBefore.toString(Qt::ISODate)));
    if (!info.isCa && info.notBefore.isValid() && info.notAfter.isValid()
        && info.notBefore.daysTo(info.notAfter) > kMaxLeafDays)
        warnings.append(QStringLiteral("%1 is valid for %2 days; clients such as browsers refuse "
                                       "leaf certificates valid for more than %3.")
                            .arg(what)
                            .arg(info.notBefore.daysTo(info.notAfter))
                            .arg(kMaxLeafDays));
    return info;
}

void analyse(InspectionReport &report, Collected &c, const QDateTime &now)
{
    for (qsizetype i = 0; i < c.certs.size(); ++i)
        report.certificates.append(describe(c.certs[i], int(i), now, c.warnings));
    for (qsizetype i = 0; i < c.certs.size(); ++i) {
        CertificateInfo &info = report.certificates[i];
        // Prefer a verified issuer; remember a name match whose signature fails.
        for (qsizetype j = 0; j < c.certs.size(); ++j) {
            if (c.certs[i].isIssuedBy(c.certs[j])) {
                info.issuerIndex = int(j);
                info.signatureVerifies = true;
                break;
            }
            // A name match whose key identifiers or signature disagree is a
            // broken link, not a missing issuer.
            if (info.issuerIndex < 0 && i != j
                && X509_NAME_cmp(X509_get_issuer_name(c.certs[i].get()),
                       X509_get_subject_name(c.certs[j].get()))
                    == 0)
                info.issuerIndex = int(j);
        }
        clearOpenSslErrors();
        if (info.issuerIndex >= 0 && !info.signatureVerifies)
            c.warnings.append(QStringLiteral("Certificate %1 (%2) names certificate %3 as its "
                                             "issuer, but its signature does not verify with "
                                             "that key: the chain is broken.")
                                  .arg(i + 1)
                                  .arg(info.subject)
                                  .arg(info.issuerIndex + 1));
        else if (info.issuerIndex < 0)
            c.notes.append(QStringLiteral("The issuer of certificate %1 (%2) is not in the file.")
                               .arg(i + 1)
                               .arg(info.issuer));
        for (qsizetype k = 0; k < c.keys.size(); ++k) {
            if (c.certs[i].matchesKey(c.keys[k].second)) {
                info.keyIndex = int(k);
                break;
            }
        }
    }
    report.chainOrdered = !c.certs.isEmpty();
    for (qsizetype i = 0; i + 1 < c.certs.size(); ++i) {
        const auto &info = report.certificates[i];
        if (info.issuerIndex != i + 1 || !info.signatureVerifies)
            report.chainOrdered = false;
    }
    for (const auto &k : c.keys) {
        if (k.first.kind.contains(u"private") && !k.second.isNull()) {
            bool matched = false;
            for (const Certificate &cert : c.certs)
                matched = matched || cert.matchesKey(k.second);
            if (!matched && !c.certs.isEmpty())
                c.warnings.append(QStringLiteral("A private key in the file matches none of its "
                                                 "certificates."));
        }
        report.keys.append(k.first);
    }
    report.requests = c.requests;
    report.warnings = c.warnings;
    report.notes = c.notes;
}

} // namespace

Result<InspectionReport> inspect(
    const QByteArray &data, const std::optional<QByteArray> &password, const QDateTime &now)
{
    if (data.size() > kMaxInspectBytes)
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("The input has %1 bytes; inspection reads at most 1 MiB. Is it really "
                           "a certificate, key or PKCS#12 file?")
                .arg(data.size()));
    if (data.isEmpty())
        return fail(Error::Code::InvalidArgument, QStringLiteral("The input is empty."));
    InspectionReport report;
    Collected c;
    if (data.contains("-----BEGIN ")) {
        report.format = QStringLiteral("PEM");
        readPem(c, data, password);
    } else {
        const auto *p = reinterpret_cast<const unsigned char *>(data.constData());
        X509Ptr x(d2i_X509(nullptr, &p, long(data.size())));
        clearOpenSslErrors();
        p = reinterpret_cast<const unsigned char *>(data.constData());
        ReqPtr r(x ? nullptr : d2i_X509_REQ(nullptr, &p, long(data.size())));
        clearOpenSslErrors();
        p = reinterpret_cast<const unsigned char *>(data.constData());
        Pkcs12Ptr p12(x || r ? nullptr : d2i_PKCS12(nullptr, &p, long(data.size())));
        clearOpenSslErrors();
        if (x) {
            report.format = QStringLiteral("DER certificate");
            c.certs.append(Certificate(std::move(x)));
        } else if (r) {
            report.format = QStringLiteral("DER request");
            addRequest(c, CertificateRequest(std::move(r)));
        } else if (p12) {
            report.format = QStringLiteral("PKCS#12");
            if (auto ok = readPkcs12(c, data, password); !ok)
                return std::unexpected(ok.error());
        } else {
            return fail(Error::Code::InvalidArgument,
                QStringLiteral("The input is neither PEM, a DER certificate or request, nor "
                               "PKCS#12."));
        }
    }
    if (c.certs.isEmpty() && c.keys.isEmpty() && c.requests.isEmpty())
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("No certificate, key or signing request could be read. %1")
                .arg(c.notes.join(u' ')));
    analyse(report, c, now);
    return report;
}

QJsonObject InspectionReport::toJson() const
{
    QJsonArray certs;
    for (const CertificateInfo &ci : certificates)
        certs.append(QJsonObject{{QStringLiteral("subject"), ci.subject},
            {QStringLiteral("issuer"), ci.issuer}, {QStringLiteral("serial"), ci.serial},
            {QStringLiteral("notBefore"), ci.notBefore.toString(Qt::ISODate)},
            {QStringLiteral("notAfter"), ci.notAfter.toString(Qt::ISODate)},
            {QStringLiteral("daysLeft"), ci.daysLeft}, {QStringLiteral("key"), ci.keyType},
            {QStringLiteral("signatureAlgorithm"), ci.signatureAlgorithm},
            {QStringLiteral("isCa"), ci.isCa},
            {QStringLiteral("subjectAltNames"), QJsonArray::fromStringList(ci.sans)},
            {QStringLiteral("sha256"), ci.fingerprint},
            {QStringLiteral("publicKeySha256"), ci.publicKeyFingerprint},
            {QStringLiteral("issuerIndex"), ci.issuerIndex},
            {QStringLiteral("signatureVerifies"), ci.signatureVerifies},
            {QStringLiteral("keyIndex"), ci.keyIndex}});
    QJsonArray keyArr;
    for (const KeyInfo &k : keys)
        keyArr.append(QJsonObject{{QStringLiteral("kind"), k.kind},
            {QStringLiteral("key"), k.keyType}, {QStringLiteral("encrypted"), k.encrypted},
            {QStringLiteral("publicKeySha256"), k.publicKeyFingerprint}});
    QJsonArray reqArr;
    for (const RequestInfo &r : requests)
        reqArr.append(QJsonObject{{QStringLiteral("subject"), r.subject},
            {QStringLiteral("subjectAltNames"), QJsonArray::fromStringList(r.sans)},
            {QStringLiteral("key"), r.keyType},
            {QStringLiteral("signatureVerifies"), r.signatureVerifies}});
    return QJsonObject{{QStringLiteral("format"), format}, {QStringLiteral("certificates"), certs},
        {QStringLiteral("keys"), keyArr}, {QStringLiteral("requests"), reqArr},
        {QStringLiteral("chainOrdered"), chainOrdered},
        {QStringLiteral("warnings"), QJsonArray::fromStringList(warnings)},
        {QStringLiteral("notes"), QJsonArray::fromStringList(notes)}};
}

} // namespace provbench::crypto
