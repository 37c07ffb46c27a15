#include "app/crypto/opensslutil.h"

#include <openssl/crypto.h>

#include <QStringList>

#include <openssl/err.h>
#include <openssl/objects.h>

namespace provbench::crypto {

QString takeOpenSslErrors()
{
    QStringList reasons;
    while (const unsigned long e = ERR_get_error()) {
        const char *reason = ERR_reason_error_string(e);
        const QString text
            = reason ? QString::fromLatin1(reason) : QStringLiteral("error %1").arg(e, 0, 16);
        if (!reasons.contains(text))
            reasons.append(text);
    }
    return reasons.join(QStringLiteral("; "));
}

Error opensslError(Error::Code code, const QString &what)
{
    const QString reasons = takeOpenSslErrors();
    return Error::make(
        code, reasons.isEmpty() ? what : QStringLiteral("%1 (OpenSSL: %2)").arg(what, reasons));
}

void releaseThreadState()
{
    OPENSSL_thread_stop();
}

void clearOpenSslErrors()
{
    ERR_clear_error();
}

BioPtr memoryBio(const QByteArray &data)
{
    return BioPtr(BIO_new_mem_buf(data.constData(), int(data.size())));
}

BioPtr memoryBio()
{
    return BioPtr(BIO_new(BIO_s_mem()));
}

QByteArray bioBytes(BIO *bio)
{
    char *data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    if (len <= 0 || !data)
        return {};
    return QByteArray(data, qsizetype(len));
}

QByteArray sha256(const QByteArray &data)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(data.constData(), size_t(data.size()), md, &len, EVP_sha256(), nullptr) != 1)
        return {};
    return QByteArray(reinterpret_cast<const char *>(md), qsizetype(len));
}

QString sha256Fingerprint(const QByteArray &data)
{
    return QString::fromLatin1(sha256(data).toHex(':'));
}

namespace {

// Splits on the separator, honouring backslash escapes.
QStringList splitEscaped(const QString &text, QChar sep)
{
    QStringList parts;
    QString cur;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c == u'\\' && i + 1 < text.size()) {
            cur += text.at(++i);
        } else if (c == sep) {
            parts.append(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    parts.append(cur);
    return parts;
}

} // namespace

Result<NamePtr> parseDistinguishedName(const QString &text)
{
    QString body = text.trimmed();
    QChar sep = u',';
    if (body.startsWith(u'/')) {
        sep = u'/';
        body.remove(0, 1);
    }
    if (body.isEmpty())
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("The subject is empty: give one such as \"CN=device-1,O=Example\"."));
    NamePtr name(X509_NAME_new());
    if (!name)
        return opensslFail(Error::Code::Io, QStringLiteral("Out of memory creating a name."));
    for (const QString &partRaw : splitEscaped(body, sep)) {
        const QString part = partRaw.trimmed();
        const qsizetype eq = part.indexOf(u'=');
        if (eq <= 0)
            return fail(Error::Code::InvalidArgument,
                QStringLiteral("\"%1\" in the subject is not TYPE=value: write it like "
                               "\"CN=device-1,O=Example\".")
                    .arg(part));
        const QByteArray field = part.left(eq).trimmed().toLatin1();
        const QByteArray value = part.mid(eq + 1).trimmed().toUtf8();
        if (OBJ_txt2nid(field.constData()) == NID_undef)
            return fail(Error::Code::InvalidArgument,
                QStringLiteral("Unknown subject attribute \"%1\": use CN, O, OU, L, ST, C, "
                               "serialNumber or emailAddress.")
                    .arg(QString::fromLatin1(field)));
        if (value.isEmpty())
            return fail(Error::Code::InvalidArgument,
                QStringLiteral("The subject attribute %1 has no value.")
                    .arg(QString::fromLatin1(field)));
        if (X509_NAME_add_entry_by_txt(name.get(), field.constData(), MBSTRING_UTF8,
                reinterpret_cast<const unsigned char *>(value.constData()), int(value.size()), -1,
                0)
            != 1)
            return opensslFail(Error::Code::InvalidArgument,
                QStringLiteral("The subject attribute %1 cannot hold \"%2\" (C takes two "
                               "letters, CN at most 64 characters).")
                    .arg(QString::fromLatin1(field), QString::fromUtf8(value)));
    }
    return name;
}

QString nameToString(const X509_NAME *name)
{
    if (!name)
        return {};
    BioPtr bio = memoryBio();
    if (!bio
        || X509_NAME_print_ex(bio.get(), name, 0,
               (XN_FLAG_RFC2253 & ~XN_FLAG_SEP_MASK & ~ASN1_STRFLGS_ESC_MSB & ~XN_FLAG_DN_REV)
                   | XN_FLAG_SEP_CPLUS_SPC)
            < 0) {
        clearOpenSslErrors();
        return {};
    }
    return QString::fromUtf8(bioBytes(bio.get()));
}

QDateTime asn1TimeToDateTime(const ASN1_TIME *time)
{
    struct tm t = {};
    if (!time || ASN1_TIME_to_tm(time, &t) != 1) {
        clearOpenSslErrors();
        return {};
    }
    return QDateTime(QDate(t.tm_year + 1900, t.tm_mon + 1, t.tm_mday),
        QTime(t.tm_hour, t.tm_min, t.tm_sec), Qt::UTC);
}

QString asn1IntegerHex(const ASN1_INTEGER *value)
{
    if (!value)
        return {};
    BignumPtr bn(ASN1_INTEGER_to_BN(value, nullptr));
    if (!bn) {
        clearOpenSslErrors();
        return {};
    }
    char *hex = BN_bn2hex(bn.get());
    if (!hex)
        return {};
    const QString s = QString::fromLatin1(hex);
    OPENSSL_free(hex);
    return s;
}

} // namespace provbench::crypto
