#pragma once

#include "app/core/error.h"
#include "app/crypto/certificate.h"
#include "app/crypto/csr.h"
#include "app/crypto/key.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QUrl>

#include <chrono>
#include <functional>
#include <optional>

// The device side of EST (RFC 7030 subset, see docs/protocols/est.md) and
// ProvBench's check-in, over HTTPS on a QSslSocket: one connection per
// request ("Connection: close"), so a request with a client certificate never
// rides on a connection opened without one.
//
// Trust: only the trust anchor given in Options (no system CAs), and the
// server certificate must name the URL's host. Errors name the HTTP status and
// the server's reason, and say what to do. Nothing secret (the token, the
// private key) appears in an error, a log line or a trace.
namespace provbench::est {

// What simpleenroll / simplereenroll answered: the certificate(s), or
// "pending manual approval" with the delay the server asked for.
struct EnrollAnswer
{
    enum class Status { Issued, Pending };
    Status status = Status::Issued;
    QList<crypto::Certificate> certificates; // Issued: the new certificate first when known
    std::chrono::seconds retryAfter{0};      // Pending
    QString message;                         // Pending: the server's words, if any

    // The certificate whose public key is `key` (the device's), if any.
    std::optional<crypto::Certificate> certificateFor(const crypto::Key &key) const;
};

class EstClient : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        // https://host[:port][/.well-known/est]; the EST paths and the
        // check-in path go to the same host and port.
        QUrl url;
        QByteArray trustAnchorPem; // one or more CA certificates (PEM)
        std::chrono::milliseconds timeout{10000};
        qint64 maxResponseBytes = 256 * 1024;
    };

    explicit EstClient(Options options, QObject *parent = nullptr);
    ~EstClient() override;

    // Checks the options (URL, trust anchor) without connecting.
    Result<void> validate() const;

    // The certificate and key presented for simplereenroll and check-in.
    // The key stays in this object's memory only.
    Result<void> setClientIdentity(const crypto::Certificate &certificate, const crypto::Key &key);

    void cacerts(std::function<void(Result<QList<crypto::Certificate>>)> done);
    // HTTP Basic: user = device id, password = the one-time token.
    void simpleEnroll(const QString &deviceId, const QByteArray &token,
        const crypto::CertificateRequest &csr, std::function<void(Result<EnrollAnswer>)> done);
    // Authenticated by the client certificate (setClientIdentity first).
    void simpleReenroll(
        const crypto::CertificateRequest &csr, std::function<void(Result<EnrollAnswer>)> done);
    // POST /provbench/v1/checkin with the client certificate; the server's
    // JSON answer, e.g. {"device": "...", "state": "checked-in"}.
    void checkIn(const QString &deviceId, std::function<void(Result<QJsonObject>)> done);

    // The base URL of the EST paths ("https://host:port/.well-known/est").
    QUrl estBase() const;

    struct Response
    {
        int status = 0;
        QByteArray reason; // status line text
        QList<std::pair<QByteArray, QByteArray>> headers;
        QByteArray body;
        QByteArray header(QByteArrayView name) const;
    };

private:
    struct Request
    {
        QByteArray method;
        QString path;
        QList<std::pair<QByteArray, QByteArray>> headers;
        QByteArray body;
        bool clientAuth = false;
        QString what; // "simpleenroll for dev-1", for messages
    };
    class Exchange;

    void send(Request request, std::function<void(Result<Response>)> done);
    void enroll(Request request, std::function<void(Result<EnrollAnswer>)> done);

    Options m_options;
    std::optional<crypto::Certificate> m_clientCert;
    std::optional<crypto::Key> m_clientKey;
};

// Parses an HTTP/1.1 response held complete in `bytes` (status line, headers,
// body by Content-Length or up to the end). Exposed for tests.
Result<EstClient::Response> parseHttpResponse(const QByteArray &bytes);

// A short printable form of the server's reason (body text or status text),
// safe to put in a message.
QString serverReason(const EstClient::Response &response);

} // namespace provbench::est
