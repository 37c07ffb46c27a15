#pragma once

#include "app/core/error.h"
#include "app/crypto/certificate.h"
#include "app/crypto/csr.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

// EST (RFC 7030) message bodies, the subset ProvBench serves and its
// simulated devices use. Bodies are base64 (Content-Transfer-Encoding:
// base64, RFC 7030 section 4): line breaks and surrounding whitespace are
// allowed, anything else outside the base64 alphabet is an error.
namespace provbench::est {

inline constexpr char kWellKnown[] = "/.well-known/est/";
inline constexpr char kCsrType[] = "application/pkcs10";
inline constexpr char kCertsOnlyType[] = "application/pkcs7-mime; smime-type=certs-only";
inline constexpr char kCaCertsType[] = "application/pkcs7-mime";

// Strict base64 decoding with whitespace allowed between characters.
Result<QByteArray> decodeBase64Body(QByteArrayView body);
// Base64 in lines of 64 characters, each ending in CRLF.
QByteArray encodeBase64Body(QByteArrayView der);

// A simpleenroll / simplereenroll body: base64 of a DER PKCS#10 request.
Result<crypto::CertificateRequest> decodeCsrBody(QByteArrayView body);
QByteArray encodeCsrBody(const crypto::CertificateRequest &csr);

// A cacerts / simpleenroll answer: base64 of a certs-only SignedData.
Result<QByteArray> encodeCertsOnlyBody(const QList<crypto::Certificate> &certificates);
Result<QList<crypto::Certificate>> decodeCertsOnlyBody(QByteArrayView body);

// "Basic base64(user:password)" -> user and password; nullopt when the header
// is not well-formed Basic credentials.
struct BasicCredentials
{
    QString user;
    QByteArray password;
};
std::optional<BasicCredentials> parseBasicAuth(QByteArrayView headerValue);
QByteArray basicAuthHeader(const QString &user, const QByteArray &password);

} // namespace provbench::est
