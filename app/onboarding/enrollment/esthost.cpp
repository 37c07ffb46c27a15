#include "app/onboarding/enrollment/esthost.h"

#include "app/crypto/certificateauthority.h"
#include "app/onboarding/enrollment/estservice.h"
#include "app/onboarding/enrollment/servercertificate.h"
#include "app/onboarding/enrollment/tokenservice.h"
#include "app/storage/store/store.h"
#include "app/storage/vault.h"

#include <QNetworkInterface>

namespace provbench::enrollment {

std::optional<ListenAddress> parseListenAddress(const QString &text)
{
    const QString trimmed = text.trimmed();
    const qsizetype colon = trimmed.lastIndexOf(u':');
    if (colon < 0)
        return std::nullopt;
    bool ok = false;
    const uint port = trimmed.mid(colon + 1).toUInt(&ok);
    QString host = trimmed.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    QHostAddress address;
    if (host == u"localhost")
        address = QHostAddress(QHostAddress::LocalHost);
    else
        address.setAddress(host);
    if (!ok || port > 65535 || address.isNull())
        return std::nullopt;
    return ListenAddress{address, quint16(port)};
}

QList<crypto::SubjectAltName> serverNamesFor(const QHostAddress &address)
{
    using crypto::SubjectAltName;
    QList<QHostAddress> addresses;
    if (address == QHostAddress::AnyIPv4 || address == QHostAddress::Any
        || address == QHostAddress::AnyIPv6) {
        for (const QHostAddress &a : QNetworkInterface::allAddresses()) {
            if (!a.isLoopback() && !a.isLinkLocal())
                addresses.append(a);
        }
    } else if (!address.isLoopback()) {
        addresses.append(address);
    }
    QList<SubjectAltName> names;
    for (const QHostAddress &a : std::as_const(addresses))
        names.append({SubjectAltName::Type::Ip, a.toString()});
    return names;
}

QString urlHost(const QHostAddress &address)
{
    if (address == QHostAddress::AnyIPv4 || address == QHostAddress::Any)
        return QStringLiteral("0.0.0.0");
    return address.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + address.toString() + u']'
                                                               : address.toString();
}

// What a running service holds; the server refers to the service and the
// service to the CA and tokens, so they live and die together.
struct EstHost::Running
{
    crypto::CertificateAuthority ca;
    std::unique_ptr<TokenService> tokens;
    std::unique_ptr<EstService> service;
};

EstHost::EstHost(const Workspace &workspace, store::Store &store, QObject *parent)
    : QObject(parent), m_workspace(workspace), m_store(store)
{
}

EstHost::~EstHost()
{
    stop();
}

Result<void> EstHost::start(const Vault &vault, const EstHostOptions &options)
{
    stop();
    if (!crypto::CertificateAuthority::exists(m_workspace))
        return fail(Error::Code::NotFound,
            QStringLiteral("This workspace has no CA yet, so the EST service has nothing to sign "
                           "with. Create or import one on the Credentials page (or run "
                           "'provbench-cli ca init')."));
    auto ca = crypto::CertificateAuthority::open(m_workspace, vault);
    if (!ca)
        return std::unexpected(ca.error());
    auto tls = ensureServerCertificate(m_workspace, vault, *ca, serverNamesFor(options.address));
    if (!tls)
        return std::unexpected(tls.error());

    auto running = std::make_unique<Running>(Running{std::move(*ca), nullptr, nullptr});
    running->tokens = std::make_unique<TokenService>(m_store);
    EstServiceOptions serviceOptions;
    serviceOptions.manualApproval = options.manualApproval;
    serviceOptions.profileLookup = options.profileLookup;
    running->service
        = std::make_unique<EstService>(running->ca, m_store, *running->tokens, serviceOptions);

    EstServerOptions serverOptions;
    serverOptions.address = options.address;
    serverOptions.port = options.port;
    auto *server = new EstServer(
        *running->service, tls->certificate, tls->key, running->ca.chain(), serverOptions, this);
    if (auto listening = server->listen(); !listening) {
        delete server;
        return std::unexpected(listening.error());
    }
    connect(server, &EstServer::requestHandled, this, [this](int status, const QByteArray &path) {
        ++m_requests;
        if (status == 200 && path.contains("enroll"))
            ++m_enrollments;
        Q_EMIT requestHandled(status, path);
    });
    connect(server, &EstServer::connectionRefused, this, [this] { ++m_refused; });

    m_running = std::move(running);
    m_server = server;
    m_caFingerprint = m_running->ca.certificate().fingerprint();
    m_manualApproval = options.manualApproval;
    m_refused = m_requests = m_enrollments = 0;
    Q_EMIT runningChanged(true);
    return {};
}

void EstHost::stop()
{
    if (!m_server)
        return;
    // close() aborts every connection, so nothing reaches the service after it.
    m_server->close();
    delete m_server;
    m_server = nullptr;
    m_running.reset();
    Q_EMIT runningChanged(false);
}

QHostAddress EstHost::address() const
{
    return m_server ? m_server->address() : QHostAddress();
}

quint16 EstHost::port() const
{
    return m_server ? m_server->port() : 0;
}

QString EstHost::url() const
{
    if (!m_server)
        return QString();
    return QStringLiteral("https://%1:%2/.well-known/est").arg(urlHost(address())).arg(port());
}

int EstHost::openConnections() const
{
    return m_server ? m_server->connectionCount() : 0;
}

} // namespace provbench::enrollment
