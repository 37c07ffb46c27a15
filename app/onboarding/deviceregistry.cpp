#include "app/onboarding/deviceregistry.h"

#include "app/transport/serialdiscovery.h"

namespace provbench {

DeviceRegistry::DeviceRegistry(SerialDiscovery *discovery, QObject *parent)
    : QObject(parent), m_discovery(discovery)
{
    connect(m_discovery, &SerialDiscovery::portAdded, this, &DeviceRegistry::onPortAdded);
    connect(m_discovery, &SerialDiscovery::portRemoved, this, &DeviceRegistry::onPortRemoved);
    // Ports already known when we are created.
    const QList<PortInfo> ports = m_discovery->ports();
    for (const PortInfo &p : ports)
        onPortAdded(p);
}

DeviceRegistry::~DeviceRegistry() = default;

void DeviceRegistry::setClientOptions(const improv::ImprovClient::Options &options)
{
    m_clientOptions = options;
    for (DeviceSession *s : std::as_const(m_sessions))
        s->setClientOptions(options);
}

DeviceSession *DeviceRegistry::find(const QString &id) const
{
    const int row = indexOf(id);
    return row < 0 ? nullptr : m_sessions.at(row);
}

int DeviceRegistry::indexOf(const QString &id) const
{
    for (int i = 0; i < m_sessions.size(); ++i) {
        if (m_sessions.at(i)->record().id == id)
            return i;
    }
    return -1;
}

// Only ports that are plausibly a device being commissioned are probed on
// their own: USB serial bridges and paths the user added. Built-in UARTs
// (ttyS*) are left alone until the user asks.
static bool worthProbing(const PortInfo &port)
{
    return port.userAdded || port.vendorId.has_value();
}

void DeviceRegistry::onPortAdded(const PortInfo &port)
{
    if (DeviceSession *existing = find(port.path)) {
        existing->markPresent(port);
        if (m_autoIdentify && worthProbing(port))
            existing->identify();
        return;
    }
    DeviceRecord rec;
    rec.id = port.path;
    rec.port = port;
    auto *session = new DeviceSession(rec, m_linkFactory, this);
    session->setClientOptions(m_clientOptions);
    const int row = int(m_sessions.size());
    Q_EMIT deviceAboutToBeAdded(row);
    m_sessions.append(session);
    connect(session, &DeviceSession::recordChanged, this, [this, session] {
        const int r = int(m_sessions.indexOf(session));
        if (r >= 0)
            Q_EMIT deviceChanged(r);
    });
    Q_EMIT deviceAdded(row);
    if (m_autoIdentify && worthProbing(port))
        session->identify();
}

void DeviceRegistry::onPortRemoved(const PortInfo &port)
{
    const int row = indexOf(port.path);
    if (row < 0)
        return;
    DeviceSession *session = m_sessions.at(row);
    const DeviceRecord &rec = session->record();
    const bool untouched = rec.state == OnboardingState::Discovered && !session->isBusy()
        && rec.failureReason.isEmpty() && !rec.info;
    if (!untouched) {
        session->markAbsent();
        return;
    }
    Q_EMIT deviceAboutToBeRemoved(row);
    m_sessions.removeAt(row);
    Q_EMIT deviceRemoved(row);
    session->deleteLater();
}

} // namespace provbench
