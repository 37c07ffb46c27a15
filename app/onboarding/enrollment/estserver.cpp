#include "app/onboarding/enrollment/estserver.h"

#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTimer>

#include <openssl/crypto.h>

namespace provbench::enrollment {

struct EstServer::Connection
{
    explicit Connection(const est::HttpLimits &limits) : parser(limits) { }
    est::HttpParser parser;
    QTimer timer;
    EstPeer peer;
    Phase phase = Phase::Idle;
    bool closing = false;
};

EstServer::EstServer(EstService &service, const crypto::Certificate &serverCertificate,
    const crypto::Key &serverKey, const QList<crypto::Certificate> &clientCas,
    EstServerOptions options, QObject *parent)
    : QObject(parent), m_service(service), m_options(options), m_server(new QSslServer(this))
{
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setProtocol(QSsl::TlsV1_2OrLater);
    if (auto der = serverCertificate.toDer())
        tls.setLocalCertificate(QSslCertificate(*der, QSsl::Der));
    // The key goes to Qt's TLS backend in memory only; our copy is wiped.
    if (auto pem = serverKey.privateKeyPemForDevice()) {
        QByteArray bytes = *pem;
        tls.setPrivateKey(QSslKey(bytes, serverKey.isRsa() ? QSsl::Rsa : QSsl::Ec, QSsl::Pem));
        OPENSSL_cleanse(bytes.data(), size_t(bytes.size()));
    }
    QList<QSslCertificate> cas;
    for (const crypto::Certificate &ca : clientCas) {
        if (auto der = ca.toDer())
            cas.append(QSslCertificate(*der, QSsl::Der));
    }
    tls.setCaCertificates(cas);
    // Ask for a client certificate without requiring one: Basic-token
    // enrollment has none. EstService checks any certificate it gets.
    tls.setPeerVerifyMode(QSslSocket::QueryPeer);
    m_server->setSslConfiguration(tls);
    m_server->setHandshakeTimeout(m_options.handshakeTimeoutMs);
    connect(m_server, &QTcpServer::pendingConnectionAvailable, this, &EstServer::accept);
    connect(
        m_server, &QSslServer::sslErrors, this, [](QSslSocket *socket, const QList<QSslError> &) {
            // Only client certificate complaints reach here (QueryPeer);
            // the service verifies certificates against the workspace CA.
            socket->ignoreSslErrors();
        });
}

EstServer::~EstServer()
{
    close();
}

Result<void> EstServer::listen()
{
    if (!m_server->listen(m_options.address, m_options.port))
        return fail(Error::Code::Io,
            QStringLiteral("The EST service cannot listen on %1:%2: %3. Stop the program that "
                           "uses it, or choose another address or port.")
                .arg(m_options.address.toString())
                .arg(m_options.port)
                .arg(m_server->errorString()));
    return {};
}

void EstServer::close()
{
    m_server->close();
    auto connections = std::move(m_connections);
    m_connections.clear();
    for (auto &[socket, c] : connections) {
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    }
}

QHostAddress EstServer::address() const
{
    return m_server->serverAddress();
}

quint16 EstServer::port() const
{
    return m_server->serverPort();
}

void EstServer::accept()
{
    while (m_server->hasPendingConnections()) {
        auto *socket = qobject_cast<QSslSocket *>(m_server->nextPendingConnection());
        if (!socket)
            continue;
        if (int(m_connections.size()) >= m_options.maxConnections) {
            socket->write(est::httpResponse(503, "text/plain; charset=utf-8",
                "Too many connections; retry in a few seconds.\n", {"Retry-After: 5"}, false));
            socket->disconnectFromHost();
            connect(socket, &QSslSocket::disconnected, socket, &QObject::deleteLater);
            Q_EMIT connectionRefused();
            continue;
        }
        auto c = std::make_unique<Connection>(m_options.limits);
        c->peer.address
            = socket->peerAddress().toString() + u':' + QString::number(socket->peerPort());
        const QSslCertificate peerCert = socket->peerCertificate();
        if (!peerCert.isNull()) {
            if (auto cert = crypto::Certificate::parse(peerCert.toDer()))
                c->peer.certificate = *cert;
        }
        c->timer.setSingleShot(true);
        connect(&c->timer, &QTimer::timeout, this, [this, socket] { onTimeout(socket); });
        connect(socket, &QSslSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QSslSocket::disconnected, this, [this, socket] { drop(socket); });
        Connection &ref = *c;
        m_connections.emplace(socket, std::move(c));
        ref.phase = Phase::Head; // force the idle timer to start
        setPhase(ref, Phase::Idle);
        if (socket->bytesAvailable() > 0)
            onReadyRead(socket);
    }
}

void EstServer::setPhase(Connection &c, Phase phase)
{
    if (c.phase == phase)
        return;
    c.phase = phase;
    switch (phase) {
    case Phase::Idle:
        c.timer.start(m_options.idleTimeoutMs);
        break;
    case Phase::Head:
        c.timer.start(m_options.headerTimeoutMs);
        break;
    case Phase::Body:
        c.timer.start(m_options.bodyTimeoutMs);
        break;
    }
}

void EstServer::onReadyRead(QSslSocket *socket)
{
    auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    Connection &c = *it->second;
    const QByteArray bytes = socket->readAll();
    if (c.closing)
        return;
    est::HttpParser::Result parsed = c.parser.feed(bytes);
    for (const est::HttpRequest &request : std::as_const(parsed.requests)) {
        const EstResponse response = m_service.handle(request, c.peer);
        const bool keepAlive = request.keepAlive && !parsed.error;
        socket->write(response.toHttp(keepAlive));
        Q_EMIT requestHandled(response.status, request.path);
        if (!keepAlive) {
            c.closing = true;
            break;
        }
    }
    if (!c.closing && parsed.error) {
        const EstResponse response = m_service.refuse(*parsed.error, c.peer);
        socket->write(response.toHttp(false));
        Q_EMIT requestHandled(response.status, QByteArray());
        c.closing = true;
    }
    if (c.closing) {
        c.timer.stop();
        socket->disconnectFromHost();
        return;
    }
    setPhase(c, c.parser.inBody() ? Phase::Body : c.parser.inRequest() ? Phase::Head : Phase::Idle);
}

void EstServer::onTimeout(QSslSocket *socket)
{
    auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    Connection &c = *it->second;
    c.closing = true;
    if (c.phase != Phase::Idle) {
        socket->write(est::httpResponse(408, "text/plain; charset=utf-8",
            "The request did not arrive in time; the connection is closed.\n", {}, false));
        Q_EMIT requestHandled(408, QByteArray());
    }
    socket->disconnectFromHost();
    // A client that does not read its 408 would hold the socket open.
    QTimer::singleShot(2000, socket, [socket] { socket->abort(); });
}

void EstServer::drop(QSslSocket *socket)
{
    auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    // This may run inside a signal of the connection's own timer or socket:
    // delete both on the next turn of the event loop.
    it->second->timer.stop();
    m_closed.push_back(std::move(it->second));
    m_connections.erase(it);
    if (m_closed.size() == 1)
        QMetaObject::invokeMethod(
            this, [this] { m_closed.clear(); }, Qt::QueuedConnection);
    socket->deleteLater();
}

} // namespace provbench::enrollment
