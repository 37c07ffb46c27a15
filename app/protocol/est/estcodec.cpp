#include "app/protocol/est/estcodec.h"

#include "app/crypto/pkcs7.h"

namespace provbench::est {

namespace {

bool isBase64Char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+'
        || c == '/';
}

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

} // namespace

Result<QByteArray> decodeBase64Body(QByteArrayView body)
{
    QByteArray compact;
    compact.reserve(body.size());
    int padding = 0;
    for (char c : body) {
        if (isSpace(c))
            continue;
        if (c == '=') {
            ++padding;
        } else if (!isBase64Char(c) || padding > 0) {
            return fail(Error::Code::Protocol,
                QStringLiteral("The body is not base64: EST sends DER structures base64-encoded."));
        }
        compact += c;
    }
    if (compact.isEmpty() || compact.size() % 4 != 0 || padding > 2)
        return fail(
            Error::Code::Protocol, QStringLiteral("The base64 body is truncated or badly padded."));
    auto decoded = QByteArray::fromBase64Encoding(compact, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return fail(Error::Code::Protocol, QStringLiteral("The base64 body could not be decoded."));
    return *decoded;
}

QByteArray encodeBase64Body(QByteArrayView der)
{
    const QByteArray b64 = der.toByteArray().toBase64();
    QByteArray out;
    out.reserve(b64.size() + b64.size() / 64 * 2 + 2);
    for (qsizetype i = 0; i < b64.size(); i += 64) {
        out += b64.mid(i, 64);
        out += "\r\n";
    }
    return out;
}

Result<crypto::CertificateRequest> decodeCsrBody(QByteArrayView body)
{
    auto der = decodeBase64Body(body);
    if (!der)
        return std::unexpected(der.error());
    // Only DER is allowed here; parse() would also take PEM.
    if (der->isEmpty() || der->at(0) != 0x30)
        return fail(Error::Code::Protocol,
            QStringLiteral("The body is not a DER PKCS#10 request (RFC 7030 section 4.2.1)."));
    auto csr = crypto::CertificateRequest::parse(*der);
    if (!csr)
        return fail(Error::Code::Protocol,
            QStringLiteral("The body is not a valid PKCS#10 request: %1").arg(csr.error().message));
    // One DER structure and nothing after it: bytes the parser skipped would
    // be bytes nobody looked at.
    auto again = csr->toDer();
    if (!again || again->size() != der->size())
        return fail(Error::Code::Protocol,
            QStringLiteral("The body has data after the PKCS#10 request; send the DER request "
                           "alone."));
    return csr;
}

QByteArray encodeCsrBody(const crypto::CertificateRequest &csr)
{
    auto der = csr.toDer();
    return der ? encodeBase64Body(*der) : QByteArray();
}

Result<QByteArray> encodeCertsOnlyBody(const QList<crypto::Certificate> &certificates)
{
    auto der = crypto::certsOnlyDer(certificates);
    if (!der)
        return std::unexpected(der.error());
    return encodeBase64Body(*der);
}

Result<QList<crypto::Certificate>> decodeCertsOnlyBody(QByteArrayView body)
{
    auto der = decodeBase64Body(body);
    if (!der)
        return std::unexpected(der.error());
    return crypto::parseCertsOnly(*der);
}

std::optional<BasicCredentials> parseBasicAuth(QByteArrayView headerValue)
{
    const QByteArray v = headerValue.toByteArray().trimmed();
    const qsizetype space = v.indexOf(' ');
    if (space <= 0 || v.left(space).toLower() != "basic")
        return std::nullopt;
    auto decoded = QByteArray::fromBase64Encoding(
        v.mid(space + 1).trimmed(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    const QByteArray text = *decoded;
    const qsizetype colon = text.indexOf(':');
    if (colon < 0)
        return std::nullopt;
    return BasicCredentials{QString::fromUtf8(text.left(colon)), text.mid(colon + 1)};
}

QByteArray basicAuthHeader(const QString &user, const QByteArray &password)
{
    const QByteArray pair = QByteArray(user.toUtf8() + ':' + password);
    return "Basic " + pair.toBase64();
}

} // namespace provbench::est
