#pragma once

#include "app/onboarding/devicesession.h"

#include <QList>
#include <QObject>

namespace provbench {

class SerialDiscovery;

// All devices the workbench has seen in this run, in order of appearance.
// Listens to a SerialDiscovery: a new port becomes a device (and is probed when
// autoIdentify is on); a removed port removes an untouched device or marks a
// touched one absent, so nothing a user worked on silently vanishes.
class DeviceRegistry : public QObject
{
    Q_OBJECT
public:
    explicit DeviceRegistry(SerialDiscovery *discovery, QObject *parent = nullptr);
    ~DeviceRegistry() override;

    void setLinkFactory(DeviceSession::LinkFactory factory) { m_linkFactory = std::move(factory); }
    void setAutoIdentify(bool on) { m_autoIdentify = on; }
    bool autoIdentify() const { return m_autoIdentify; }
    void setClientOptions(const improv::ImprovClient::Options &options);

    int count() const { return int(m_sessions.size()); }
    DeviceSession *at(int row) const { return m_sessions.value(row); }
    DeviceSession *find(const QString &id) const;
    int indexOf(const QString &id) const;

Q_SIGNALS:
    void deviceAboutToBeAdded(int row);
    void deviceAdded(int row);
    void deviceAboutToBeRemoved(int row);
    void deviceRemoved(int row);
    void deviceChanged(int row);

private:
    void onPortAdded(const PortInfo &port);
    void onPortRemoved(const PortInfo &port);

    SerialDiscovery *m_discovery;
    DeviceSession::LinkFactory m_linkFactory;
    improv::ImprovClient::Options m_clientOptions;
    QList<DeviceSession *> m_sessions;
    bool m_autoIdentify = true;
};

} // namespace provbench
