#include "app/crypto/san.h"

#include <QHostAddress>

namespace provbench::crypto {

QString SubjectAltName::toString() const
{
    switch (type) {
    case Type::Dns:
        return QStringLiteral("DNS:") + value;
    case Type::Ip:
        return QStringLiteral("IP:") + value;
    case Type::Uri:
        return QStringLiteral("URI:") + value;
    case Type::Email:
        return QStringLiteral("email:") + value;
    }
    return value;
}

Result<SubjectAltName> SubjectAltName::parse(const QString &text)
{
    const qsizetype colon = text.indexOf(u':');
    const QString kind = colon > 0 ? text.left(colon).trimmed().toLower() : QString();
    const QString value = colon > 0 ? text.mid(colon + 1).trimmed() : QString();
    SubjectAltName san;
    if (kind == u"dns")
        san.type = Type::Dns;
    else if (kind == u"ip")
        san.type = Type::Ip;
    else if (kind == u"uri")
        san.type = Type::Uri;
    else if (kind == u"email")
        san.type = Type::Email;
    else
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("\"%1\" is not a subject alternative name: write DNS:name, IP:address, "
                           "URI:uri or email:address.")
                .arg(text));
    if (value.isEmpty())
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("The subject alternative name \"%1\" has no value.").arg(text));
    if (san.type == Type::Ip && QHostAddress(value).isNull())
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("\"%1\" is not an IPv4 or IPv6 address.").arg(value));
    san.value = value;
    return san;
}

Result<GeneralNamesPtr> toGeneralNames(const QList<SubjectAltName> &names)
{
    GeneralNamesPtr gens(GENERAL_NAMES_new());
    if (!gens)
        return opensslFail(Error::Code::Io, QStringLiteral("Out of memory."));
    for (const SubjectAltName &san : names) {
        GENERAL_NAME *gen = nullptr;
        if (san.type == SubjectAltName::Type::Ip) {
            const QByteArray ip = san.value.toLatin1();
            gen = a2i_GENERAL_NAME(nullptr, nullptr, nullptr, GEN_IPADD, ip.constData(), 0);
        } else {
            const QByteArray v = san.value.toUtf8();
            const int type = san.type == SubjectAltName::Type::Dns ? GEN_DNS
                : san.type == SubjectAltName::Type::Uri            ? GEN_URI
                                                                   : GEN_EMAIL;
            gen = a2i_GENERAL_NAME(nullptr, nullptr, nullptr, type, v.constData(), 0);
        }
        if (!gen)
            return opensslFail(Error::Code::InvalidArgument,
                QStringLiteral("The subject alternative name %1 cannot be encoded.")
                    .arg(san.toString()));
        if (sk_GENERAL_NAME_push(gens.get(), gen) <= 0) {
            GENERAL_NAME_free(gen);
            return opensslFail(Error::Code::Io, QStringLiteral("Out of memory."));
        }
    }
    return gens;
}

namespace {

QString ia5(const ASN1_IA5STRING *s)
{
    return s ? QString::fromUtf8(
               reinterpret_cast<const char *>(ASN1_STRING_get0_data(s)), ASN1_STRING_length(s))
             : QString();
}

} // namespace

QList<SubjectAltName> fromGeneralNames(const GENERAL_NAMES *names)
{
    QList<SubjectAltName> out;
    if (!names)
        return out;
    for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
        const GENERAL_NAME *gen = sk_GENERAL_NAME_value(names, i);
        int type = 0;
        const void *v = GENERAL_NAME_get0_value(gen, &type);
        switch (type) {
        case GEN_DNS:
            out.append({SubjectAltName::Type::Dns, ia5(static_cast<const ASN1_IA5STRING *>(v))});
            break;
        case GEN_URI:
            out.append({SubjectAltName::Type::Uri, ia5(static_cast<const ASN1_IA5STRING *>(v))});
            break;
        case GEN_EMAIL:
            out.append({SubjectAltName::Type::Email, ia5(static_cast<const ASN1_IA5STRING *>(v))});
            break;
        case GEN_IPADD: {
            const auto *os = static_cast<const ASN1_OCTET_STRING *>(v);
            const int len = ASN1_STRING_length(os);
            const unsigned char *d = ASN1_STRING_get0_data(os);
            QHostAddress addr;
            if (len == 4) {
                addr.setAddress(
                    quint32(d[0]) << 24 | quint32(d[1]) << 16 | quint32(d[2]) << 8 | quint32(d[3]));
            } else if (len == 16) {
                addr.setAddress(d);
            }
            if (!addr.isNull())
                out.append({SubjectAltName::Type::Ip, addr.toString()});
            break;
        }
        default:
            break;
        }
    }
    return out;
}

} // namespace provbench::crypto
