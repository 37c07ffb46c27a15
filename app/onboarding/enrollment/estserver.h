#pragma once

#include "app/core/error.h"
#include "app/crypto/certificate.h"
#include "app/crypto/key.h"
#include "app/onboarding/enrollment/estservice.h"
#include "app/protocol/est/httpparser.h"

#include <QHostAddress>
#include <QObject>

#include <memory>
#include <unordered_map>
#include <vector>

class QSslServer;
class QSslSocket;
class QTimer;

// HTTPS front of an EstService on QSslServer (TLS 1.2 or later).
//
// Each connection gets its own HttpParser and one timer: a request's head
// must arrive within headerTimeoutMs of its first byte, its body within
// bodyTimeoutMs of the head, and an idle keep-alive connection is closed
// after idleTimeoutMs; a client that stops half-way gets 408 and is
// disconnected. At most maxConnections are served at once; further ones get
// 503 and are closed. The server asks for a client certificate (not
// required); the service decides what a certificate is worth.
namespace provbench::enrollment {

struct EstServerOptions
{
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 0; // 0: any free port
    int maxConnections = 64;
    int handshakeTimeoutMs = 10000;
    int headerTimeoutMs = 10000;
    int bodyTimeoutMs = 30000;
    int idleTimeoutMs = 15000;
    est::HttpLimits limits;
};

class EstServer : public QObject
{
    Q_OBJECT
public:
    EstServer(EstService &service, const crypto::Certificate &serverCertificate,
        const crypto::Key &serverKey, const QList<crypto::Certificate> &clientCas,
        EstServerOptions options = {}, QObject *parent = nullptr);
    ~EstServer() override;

    Result<void> listen();
    void close();
    QHostAddress address() const;
    quint16 port() const;
    int connectionCount() const { return int(m_connections.size()); }

Q_SIGNALS:
    // After each response: its status and the request path (empty for a
    // request the parser refused).
    void requestHandled(int status, const QByteArray &path);
    void connectionRefused(); // over the connection limit

private:
    struct Connection;
    enum class Phase { Idle, Head, Body };
    void accept();
    void onReadyRead(QSslSocket *socket);
    void onTimeout(QSslSocket *socket);
    void drop(QSslSocket *socket);
    void setPhase(Connection &c, Phase phase);

    EstService &m_service;
    EstServerOptions m_options;
    QSslServer *m_server = nullptr;
    std::unordered_map<QSslSocket *, std::unique_ptr<Connection>> m_connections;
    // Closed connections, deleted on the next turn of the event loop (or with the server).
    std::vector<std::unique_ptr<Connection>> m_closed;
};

} // namespace provbench::enrollment
