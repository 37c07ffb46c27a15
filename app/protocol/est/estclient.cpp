#include "app/protocol/est/estclient.h"

#include "app/protocol/est/estcodec.h"

#include <QJsonDocument>
#include <QPointer>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QTimer>

namespace provbench::est {

namespace {

constexpr char kCheckInPath[] = "/provbench/v1/checkin";
constexpr qsizetype kMaxHeaderBytes = 16 * 1024;

QString hostPort(const QUrl &url)
{
    return QStringLiteral("%1:%2").arg(url.host()).arg(url.port(443));
}

// The advice for an HTTP refusal, by status and by what was asked.
QString refusalAdvice(int status, const QString &what, bool byToken)
{
    if (status == 401 || status == 403) {
        if (byToken)
            return QStringLiteral("The one-time token is wrong, expired or already used: issue a "
                                  "new one ('provbench-cli token issue --device ID') and write it "
                                  "to the device again.");
        return QStringLiteral("The server does not accept the client certificate for %1: enroll "
                              "the device again with a new token.")
            .arg(what);
    }
    if (status == 400 || status == 415)
        return QStringLiteral("The server could not use the request: check that the CSR's common "
                              "name is the device id and that the key type is one the profile "
                              "allows.");
    if (status == 404)
        return QStringLiteral("The path does not exist on that server: the URL must end in "
                              "/.well-known/est (or name only the host and port).");
    if (status == 413)
        return QStringLiteral("The request is larger than the server accepts.");
    if (status >= 500)
        return QStringLiteral("The server failed: see its log ('provbench-cli est serve' prints "
                              "it), then try again.");
    return QStringLiteral("See the server's log for details.");
}

QByteArray requestBytes(const QUrl &url, const QByteArray &method, const QString &path,
    const QList<std::pair<QByteArray, QByteArray>> &headers, const QByteArray &body)
{
    QByteArray out = method + ' ' + path.toUtf8() + " HTTP/1.1\r\n";
    QByteArray host = url.host(QUrl::FullyEncoded).toUtf8();
    if (url.port() > 0)
        host += ':' + QByteArray::number(url.port());
    out += "Host: " + host + "\r\n";
    out += "Connection: close\r\n";
    out += "User-Agent: ProvBench-EST\r\n";
    for (const auto &[name, value] : headers)
        out += name + ": " + value + "\r\n";
    if (!body.isEmpty() || method == "POST")
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += "\r\n";
    out += body;
    return out;
}

// True when `bytes` holds a whole response: headers and Content-Length bytes.
bool responseComplete(const QByteArray &bytes)
{
    const qsizetype end = bytes.indexOf("\r\n\r\n");
    if (end < 0)
        return false;
    auto parsed = parseHttpResponse(bytes);
    if (!parsed)
        return false;
    const QByteArray length = parsed->header("content-length");
    if (length.isEmpty())
        return false; // read until the server closes
    bool ok = false;
    const qint64 n = length.trimmed().toLongLong(&ok);
    return ok && bytes.size() - (end + 4) >= n;
}

} // namespace

std::optional<crypto::Certificate> EnrollAnswer::certificateFor(const crypto::Key &key) const
{
    for (const crypto::Certificate &c : certificates) {
        if (c.matchesKey(key))
            return c;
    }
    return std::nullopt;
}

QByteArray EstClient::Response::header(QByteArrayView name) const
{
    for (const auto &[n, v] : headers) {
        if (n.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return {};
}

Result<EstClient::Response> parseHttpResponse(const QByteArray &bytes)
{
    const qsizetype end = bytes.indexOf("\r\n\r\n");
    if (end < 0)
        return fail(Error::Code::Protocol,
            QStringLiteral("The server's answer ended before its headers were complete."));
    const QList<QByteArray> lines = bytes.left(end).split('\n');
    const QByteArray statusLine = lines.value(0).trimmed();
    // "HTTP/1.1 200 OK"
    const QList<QByteArray> parts = statusLine.split(' ');
    bool ok = false;
    EstClient::Response r;
    r.status = parts.value(1).toInt(&ok);
    if (!statusLine.startsWith("HTTP/1.") || !ok || r.status < 100 || r.status > 599)
        return fail(Error::Code::Protocol,
            QStringLiteral("The server did not answer with HTTP/1.1 (status line \"%1\"): check "
                           "that the URL names an EST server.")
                .arg(QString::fromLatin1(statusLine.left(60))));
    r.reason = statusLine.mid(statusLine.indexOf(' ', 9) + 1);
    if (parts.size() < 3)
        r.reason.clear();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        r.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    if (r.header("transfer-encoding").toLower().contains("chunked"))
        return fail(Error::Code::Protocol,
            QStringLiteral("The server sent a chunked answer, which this EST client does not "
                           "read: configure the server to send Content-Length."));
    r.body = bytes.mid(end + 4);
    const QByteArray length = r.header("content-length");
    if (!length.isEmpty()) {
        const qint64 n = length.toLongLong(&ok);
        if (!ok || n < 0)
            return fail(Error::Code::Protocol,
                QStringLiteral("The server sent an invalid Content-Length."));
        if (r.body.size() < n)
            return fail(Error::Code::Protocol,
                QStringLiteral("The server closed the connection after %1 of %2 body bytes: "
                               "try again.")
                    .arg(r.body.size())
                    .arg(n));
        r.body.truncate(n);
    }
    return r;
}

QString serverReason(const EstClient::Response &response)
{
    QByteArray text = response.body;
    const QByteArray type = response.header("content-type").toLower();
    if (type.startsWith("application/json")) {
        const QJsonObject o = QJsonDocument::fromJson(response.body).object();
        for (const char *key : {"reason", "error", "message"}) {
            if (o.value(QLatin1String(key)).isString()) {
                text = o.value(QLatin1String(key)).toString().toUtf8();
                break;
            }
        }
    } else if (!type.isEmpty() && !type.startsWith("text/")) {
        text.clear();
    }
    QString reason = QString::fromUtf8(text).simplified();
    reason.removeIf([](QChar c) { return !c.isPrint(); });
    if (reason.isEmpty())
        reason = QString::fromLatin1(response.reason).simplified();
    if (reason.size() > 200)
        reason = reason.left(197) + QStringLiteral("...");
    return reason;
}

// --- one request on one TLS connection ------------------------------------------

class EstClient::Exchange : public QObject
{
public:
    Exchange(const Options &options, const QSslConfiguration &tls, Request request,
        std::function<void(Result<Response>)> done, QObject *parent)
        : QObject(parent),
          m_url(options.url),
          m_max(options.maxResponseBytes),
          m_request(std::move(request)),
          m_done(std::move(done))
    {
        m_socket.setSslConfiguration(tls);
        // The name checked against the certificate is the URL's host.
        m_socket.setPeerVerifyName(m_url.host());
        connect(&m_socket, &QSslSocket::encrypted, this, [this] {
            m_socket.write(requestBytes(
                m_url, m_request.method, m_request.path, m_request.headers, m_request.body));
        });
        connect(&m_socket, &QSslSocket::readyRead, this, [this] {
            m_buffer += m_socket.readAll();
            if (m_buffer.size() > m_max + kMaxHeaderBytes)
                return finish(fail(Error::Code::Protocol,
                    QStringLiteral("The server's answer to %1 is larger than %2 KiB: check "
                                   "that the URL names an EST server.")
                        .arg(m_request.what)
                        .arg(m_max / 1024)));
            if (responseComplete(m_buffer))
                finish(parseHttpResponse(m_buffer));
        });
        connect(&m_socket, &QSslSocket::disconnected, this, [this] { finishFromBuffer(); });
        connect(&m_socket, &QSslSocket::sslErrors, this,
            [this](const QList<QSslError> &errors) { m_sslErrors = errors; });
        connect(&m_socket, &QSslSocket::errorOccurred, this,
            [this](QAbstractSocket::SocketError error) { socketError(error); });
        m_timer.setSingleShot(true);
        connect(&m_timer, &QTimer::timeout, this, [this, timeout = options.timeout] {
            finish(fail(Error::Code::Timeout,
                QStringLiteral("The EST server at %1 did not answer %2 within %3 s: check that "
                               "it runs ('provbench-cli est serve') and is reachable.")
                    .arg(hostPort(m_url), m_request.what)
                    .arg(double(timeout.count()) / 1000.0)));
        });
        m_timer.start(options.timeout);
        m_socket.connectToHostEncrypted(m_url.host(), quint16(m_url.port(443)));
    }

private:
    void finishFromBuffer()
    {
        if (m_buffer.isEmpty())
            return finish(fail(Error::Code::Io,
                QStringLiteral("The EST server at %1 closed the connection without answering "
                               "%2: see the server's log.")
                    .arg(hostPort(m_url), m_request.what)));
        finish(parseHttpResponse(m_buffer));
    }

    void socketError(QAbstractSocket::SocketError error)
    {
        if (error == QAbstractSocket::RemoteHostClosedError && !m_buffer.isEmpty())
            return finishFromBuffer();
        const QString where = hostPort(m_url);
        switch (error) {
        case QAbstractSocket::ConnectionRefusedError:
            return finish(fail(Error::Code::Io,
                QStringLiteral("Cannot reach the EST server at %1 (connection refused): start it "
                               "with 'provbench-cli est serve' or fix the URL.")
                    .arg(where)));
        case QAbstractSocket::HostNotFoundError:
            return finish(fail(Error::Code::Io,
                QStringLiteral("The EST server's host %1 is not known: fix the URL.")
                    .arg(m_url.host())));
        case QAbstractSocket::SslHandshakeFailedError: {
            QStringList why;
            for (const QSslError &e : std::as_const(m_sslErrors))
                why << e.errorString();
            if (why.isEmpty())
                why << m_socket.errorString();
            return finish(fail(Error::Code::Io,
                QStringLiteral("The TLS handshake with the EST server at %1 failed (%2). The "
                               "device trusts only its trust anchor: give it the workspace CA "
                               "certificate, and use a URL whose host is named in the server's "
                               "certificate.")
                    .arg(where, why.join(QStringLiteral("; ")))));
        }
        default:
            return finish(fail(Error::Code::Io,
                QStringLiteral("The connection to the EST server at %1 failed during %2 (%3): "
                               "check that the server runs and try again.")
                    .arg(where, m_request.what, m_socket.errorString())));
        }
    }

    void finish(Result<Response> result)
    {
        if (!m_done)
            return;
        m_timer.stop();
        auto done = std::exchange(m_done, nullptr);
        m_socket.abort();
        deleteLater();
        done(std::move(result));
    }

    QSslSocket m_socket;
    QTimer m_timer;
    QUrl m_url;
    qint64 m_max;
    Request m_request;
    std::function<void(Result<Response>)> m_done;
    QByteArray m_buffer;
    QList<QSslError> m_sslErrors;
};

// --- EstClient -----------------------------------------------------------------------

EstClient::EstClient(Options options, QObject *parent)
    : QObject(parent), m_options(std::move(options))
{
}

EstClient::~EstClient() = default;

Result<void> EstClient::validate() const
{
    const QUrl &u = m_options.url;
    if (!u.isValid() || u.scheme() != u"https" || u.host().isEmpty())
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("The EST URL \"%1\" is not an https:// URL with a host: write one "
                           "such as https://127.0.0.1:8443/.well-known/est.")
                .arg(u.toString()));
    if (!QSslSocket::supportsSsl())
        return fail(Error::Code::Unsupported,
            QStringLiteral("Qt has no TLS backend here: install Qt's OpenSSL TLS plugin "
                           "(libqt6network6)."));
    const QList<QSslCertificate> anchors = QSslCertificate::fromData(m_options.trustAnchorPem);
    if (anchors.isEmpty())
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("The EST trust anchor holds no PEM certificate: give the workspace CA "
                           "certificate (ca/ca.pem)."));
    return {};
}

QUrl EstClient::estBase() const
{
    QUrl base = m_options.url;
    QString path = base.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    if (!path.endsWith(QLatin1String("/.well-known/est")))
        path += QLatin1String("/.well-known/est");
    base.setPath(path);
    return base;
}

Result<void> EstClient::setClientIdentity(
    const crypto::Certificate &certificate, const crypto::Key &key)
{
    if (!key.hasPrivateKey() || !certificate.matchesKey(key))
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("The client certificate does not belong to the device's key."));
    if (key.typeName() != u"EC" && !key.isRsa())
        return fail(Error::Code::Unsupported,
            QStringLiteral("TLS client authentication here supports EC and RSA keys, not %1: "
                           "use an ec-p256 device key.")
                .arg(key.description()));
    m_clientCert = certificate;
    m_clientKey = key;
    return {};
}

void EstClient::send(Request request, std::function<void(Result<Response>)> done)
{
    if (auto ok = validate(); !ok)
        return done(std::unexpected(ok.error()));
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates(QSslCertificate::fromData(m_options.trustAnchorPem));
    tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
    tls.setProtocol(QSsl::TlsV1_2OrLater);
    if (request.clientAuth) {
        if (!m_clientCert || !m_clientKey)
            return done(fail(Error::Code::InvalidArgument,
                QStringLiteral("%1 needs the device's certificate and key: enroll first.")
                    .arg(request.what)));
        auto der = m_clientCert->toDer();
        auto pem = m_clientKey->privateKeyPemForDevice();
        if (!der || !pem)
            return done(std::unexpected(der ? pem.error() : der.error()));
        const QSslKey key(*pem, m_clientKey->isRsa() ? QSsl::Rsa : QSsl::Ec, QSsl::Pem);
        if (key.isNull())
            return done(fail(Error::Code::Unsupported,
                QStringLiteral("Qt's TLS backend cannot use the device's %1 key for client "
                               "authentication.")
                    .arg(m_clientKey->description())));
        tls.setLocalCertificate(QSslCertificate(*der, QSsl::Der));
        tls.setPrivateKey(key);
    }
    new Exchange(m_options, tls, std::move(request), std::move(done), this);
}

void EstClient::cacerts(std::function<void(Result<QList<crypto::Certificate>>)> done)
{
    Request r;
    r.method = "GET";
    r.path = estBase().path() + QStringLiteral("/cacerts");
    r.what = QStringLiteral("cacerts");
    send(std::move(r), [done = std::move(done)](Result<Response> resp) {
        if (!resp)
            return done(std::unexpected(resp.error()));
        if (resp->status != 200)
            return done(fail(Error::Code::Device,
                QStringLiteral("The EST server refused cacerts (HTTP %1: %2). %3")
                    .arg(resp->status)
                    .arg(serverReason(*resp), refusalAdvice(resp->status, {}, false))));
        done(decodeCertsOnlyBody(resp->body));
    });
}

void EstClient::enroll(Request r, std::function<void(Result<EnrollAnswer>)> done)
{
    const bool byToken = !r.clientAuth;
    const QString what = r.what;
    send(std::move(r), [done = std::move(done), what, byToken](Result<Response> resp) {
        if (!resp)
            return done(std::unexpected(resp.error()));
        EnrollAnswer answer;
        if (resp->status == 202) {
            answer.status = EnrollAnswer::Status::Pending;
            bool ok = false;
            const qint64 seconds = resp->header("retry-after").trimmed().toLongLong(&ok);
            // Retry-After may also be an HTTP date; a minute is a sane wait then.
            answer.retryAfter = std::chrono::seconds(ok && seconds >= 0 ? seconds : 60);
            answer.message = serverReason(*resp);
            return done(answer);
        }
        if (resp->status != 200)
            return done(fail(Error::Code::Device,
                QStringLiteral("The EST server refused %1 (HTTP %2: %3). %4")
                    .arg(what)
                    .arg(resp->status)
                    .arg(serverReason(*resp), refusalAdvice(resp->status, what, byToken)),
                resp->status));
        auto certs = decodeCertsOnlyBody(resp->body);
        if (!certs)
            return done(fail(Error::Code::Protocol,
                QStringLiteral("The EST server's answer to %1 is not a certificate: %2")
                    .arg(what, certs.error().message)));
        answer.certificates = *certs;
        done(answer);
    });
}

void EstClient::simpleEnroll(const QString &deviceId, const QByteArray &token,
    const crypto::CertificateRequest &csr, std::function<void(Result<EnrollAnswer>)> done)
{
    Request r;
    r.method = "POST";
    r.path = estBase().path() + QStringLiteral("/simpleenroll");
    r.headers = {{"Content-Type", kCsrType}, {"Content-Transfer-Encoding", "base64"},
        {"Authorization", basicAuthHeader(deviceId, token)}};
    r.body = encodeCsrBody(csr);
    r.what = QStringLiteral("the enrollment of %1").arg(deviceId);
    enroll(std::move(r), std::move(done));
}

void EstClient::simpleReenroll(
    const crypto::CertificateRequest &csr, std::function<void(Result<EnrollAnswer>)> done)
{
    Request r;
    r.method = "POST";
    r.path = estBase().path() + QStringLiteral("/simplereenroll");
    r.headers = {{"Content-Type", kCsrType}, {"Content-Transfer-Encoding", "base64"}};
    r.body = encodeCsrBody(csr);
    r.clientAuth = true;
    r.what = QStringLiteral("the re-enrollment");
    enroll(std::move(r), std::move(done));
}

void EstClient::checkIn(const QString &deviceId, std::function<void(Result<QJsonObject>)> done)
{
    Request r;
    r.method = "POST";
    r.path = QString::fromLatin1(kCheckInPath);
    r.headers = {{"Content-Type", "application/json"}};
    r.body = QJsonDocument(QJsonObject{{QStringLiteral("device"), deviceId}})
                 .toJson(QJsonDocument::Compact);
    r.clientAuth = true;
    r.what = QStringLiteral("the check-in of %1").arg(deviceId);
    const QString what = r.what;
    send(std::move(r), [done = std::move(done), what](Result<Response> resp) {
        if (!resp)
            return done(std::unexpected(resp.error()));
        if (resp->status != 200)
            return done(fail(Error::Code::Device,
                QStringLiteral("The server refused %1 (HTTP %2: %3). %4")
                    .arg(what)
                    .arg(resp->status)
                    .arg(serverReason(*resp), refusalAdvice(resp->status, what, false)),
                resp->status));
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(resp->body, &error);
        if (!doc.isObject())
            return done(fail(Error::Code::Protocol,
                QStringLiteral("The server's answer to %1 is not a JSON object: check that the "
                               "URL names ProvBench's EST service.")
                    .arg(what)));
        done(doc.object());
    });
}

} // namespace provbench::est
