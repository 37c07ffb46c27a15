#include "app/onboarding/deviceregistry.h"

#include "app/transport/ble/blediscovery.h"
#include "app/transport/serialdiscovery.h"

#include <QTimer>

namespace provbench {

namespace {

QString bleId(const QString &address)
{
    return QStringLiteral("ble:") + address;
}

} // namespace

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

void DeviceRegistry::setBleOptions(const BleSession::Options &options)
{
    m_bleOptions = options;
    for (DeviceSession *s : std::as_const(m_sessions))
        s->setBleOptions(options);
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

void DeviceRegistry::append(DeviceSession *session)
{
    const int row = int(m_sessions.size());
    Q_EMIT deviceAboutToBeAdded(row);
    m_sessions.append(session);
    connect(session, &DeviceSession::recordChanged, this, [this, session] {
        const int r = int(m_sessions.indexOf(session));
        if (r < 0)
            return;
        Q_EMIT deviceChanged(r);
        if (m_bleGone.contains(session->record().id)) {
            // Not from inside the session's own signal: the row may go.
            QTimer::singleShot(0, session, [this, session] { judgeBleAbsence(session); });
        }
    });
    Q_EMIT deviceAdded(row);
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
    append(session);
    if (m_autoIdentify && worthProbing(port))
        session->identify();
}

void DeviceRegistry::onPortRemoved(const PortInfo &port)
{
    if (DeviceSession *session = find(port.path))
        retire(session);
}

void DeviceRegistry::retire(DeviceSession *session)
{
    const int row = int(m_sessions.indexOf(session));
    if (row < 0)
        return;
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

void DeviceRegistry::followBle(ble::Discovery *discovery, ble::Backend *backend)
{
    if (m_bleDiscovery)
        disconnect(m_bleDiscovery, nullptr, this, nullptr);
    m_bleDiscovery = discovery;
    m_bleBackend = backend;
    if (!discovery)
        return;
    connect(discovery, &ble::Discovery::deviceAdded, this, &DeviceRegistry::onBleSeen);
    connect(discovery, &ble::Discovery::deviceUpdated, this, &DeviceRegistry::onBleSeen);
    connect(discovery, &ble::Discovery::deviceRemoved, this, &DeviceRegistry::onBleGone);
    connect(discovery, &ble::Discovery::statusChanged, this, &DeviceRegistry::bleStatusChanged);
    const QList<ble::BleDevice> known = discovery->table().devices();
    for (const ble::BleDevice &device : known)
        onBleSeen(device);
}

ble::Discovery *DeviceRegistry::bleDiscovery() const
{
    return m_bleDiscovery;
}

ble::AdapterStatus DeviceRegistry::bleStatus() const
{
    return m_bleDiscovery ? m_bleDiscovery->status() : ble::AdapterStatus{};
}

void DeviceRegistry::restartBle()
{
    if (m_bleDiscovery)
        m_bleDiscovery->start();
}

void DeviceRegistry::onBleSeen(const ble::BleDevice &device)
{
    const QString id = bleId(device.advert.address);
    m_bleGone.remove(id);
    if (DeviceSession *existing = find(id)) {
        existing->updateBle(device);
        return;
    }
    auto *session = new DeviceSession(bleRecord(device), m_linkFactory, this);
    session->setBleOptions(m_bleOptions);
    session->setBleBackend(m_bleBackend);
    append(session);
}

void DeviceRegistry::onBleGone(const QString &address)
{
    DeviceSession *session = find(bleId(address));
    if (!session)
        return;
    if (session->isBusy() || session->isConnected()) {
        m_bleGone.insert(session->record().id);
        return;
    }
    retire(session);
}

void DeviceRegistry::judgeBleAbsence(DeviceSession *session)
{
    const QString id = session->record().id;
    if (!m_bleGone.contains(id) || session->isBusy() || session->isConnected())
        return;
    m_bleGone.remove(id);
    const bool heard = m_bleDiscovery && m_bleDiscovery->find(session->record().ble.advert.address);
    if (!heard)
        retire(session);
}

} // namespace provbench
