#pragma once

#include "app/core/error.h"
#include "app/crypto/san.h"
#include "app/onboarding/enrollment/estserver.h"
#include "app/storage/workspace.h"

#include <QHostAddress>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace provbench {
class Vault;
namespace profiles {
struct Profile;
}
namespace store {
class Store;
}
} // namespace provbench

// The EST service of one workspace, composed and run in this process: the
// workspace CA opened with the vault, the server's TLS certificate
// (ensureServerCertificate), a TokenService and an EstService over the
// caller's Store, and the EstServer on the caller's event loop. What
// `provbench-cli est serve` does, as an object the GUI can start and stop.
//
// Everything runs on the thread that owns the Store: the server is
// asynchronous, and signing one certificate takes about 10 ms, short enough
// for a GUI event loop.
namespace provbench::enrollment {

struct ListenAddress
{
    QHostAddress address;
    quint16 port = 0;
};

// "127.0.0.1:8443", "0.0.0.0:8443", "[::1]:8443", "localhost:0"; nullopt when it is none of these.
std::optional<ListenAddress> parseListenAddress(const QString &text);
// The extra SANs the server certificate needs for `address`: none for
// loopback, the address itself, or every non-loopback address of the
// machine for 0.0.0.0 / ::.
QList<crypto::SubjectAltName> serverNamesFor(const QHostAddress &address);
// The host part of a URL: "127.0.0.1", "[::1]", "0.0.0.0".
QString urlHost(const QHostAddress &address);

struct EstHostOptions
{
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 8443;
    bool manualApproval = false;
    // The device's profile by name (EstServiceOptions::profileLookup).
    std::function<std::optional<profiles::Profile>(const QString &name)> profileLookup;
};

class EstHost : public QObject
{
    Q_OBJECT
public:
    // `store` must outlive this object (or at least its running service).
    EstHost(const Workspace &workspace, store::Store &store, QObject *parent = nullptr);
    ~EstHost() override;

    // Opens the CA, ensures the TLS certificate and listens. Code::NotFound
    // when the workspace has no CA; Code::Io when the address cannot be
    // used (port in use, no such address). Starting a running host restarts it.
    Result<void> start(const Vault &vault, const EstHostOptions &options);
    void stop();
    bool isRunning() const { return m_server != nullptr; }

    // Valid while running.
    QHostAddress address() const;
    quint16 port() const;
    // "https://127.0.0.1:8443/.well-known/est".
    QString url() const;
    QString caFingerprint() const { return m_caFingerprint; }
    bool manualApproval() const { return m_manualApproval; }
    int openConnections() const;

    // Counted since start().
    int connectionsRefused() const { return m_refused; }
    int requestsServed() const { return m_requests; }
    int enrollmentsServed() const { return m_enrollments; }

Q_SIGNALS:
    void runningChanged(bool running);
    // After each answer (see EstServer::requestHandled).
    void requestHandled(int status, const QByteArray &path);

private:
    struct Running;
    Workspace m_workspace;
    store::Store &m_store;
    std::unique_ptr<Running> m_running;
    EstServer *m_server = nullptr;
    QString m_caFingerprint;
    bool m_manualApproval = false;
    int m_refused = 0;
    int m_requests = 0;
    int m_enrollments = 0;
};

} // namespace provbench::enrollment
