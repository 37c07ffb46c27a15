#include "app/transport/serialdiscovery.h"

#include "app/core/logging.h"
#include "app/transport/udevmonitor.h"

#include <QDir>
#include <QFileInfo>
#include <QSerialPortInfo>

namespace provbench {

SerialDiscovery::SerialDiscovery(QObject *parent) : SerialDiscovery(Options{}, parent) { }

SerialDiscovery::SerialDiscovery(Options options, QObject *parent)
    : QObject(parent), m_options(options)
{
    connect(&m_pollTimer, &QTimer::timeout, this, [this] { applyDiff(scanSystemPorts(), false); });
    connect(&m_watchTimer, &QTimer::timeout, this, [this] { applyDiff(scanWatched(), true); });
}

SerialDiscovery::~SerialDiscovery() = default;

void SerialDiscovery::start()
{
    if (m_running)
        return;
    m_running = true;
    if (m_options.includeSystemPorts) {
        m_udev = UdevMonitor::create(this);
        if (m_udev) {
            connect(m_udev, &UdevMonitor::ttyChanged, this,
                [this] { applyDiff(scanSystemPorts(), false); });
            qCDebug(lcTransport) << "serial hotplug through udev";
        } else {
            m_pollTimer.start(m_options.pollIntervalMs);
            qCDebug(lcTransport) << "serial hotplug by polling every" << m_options.pollIntervalMs
                                 << "ms";
        }
    }
    m_watchTimer.start(m_options.watchedIntervalMs);
    rescan();
}

void SerialDiscovery::stop()
{
    m_running = false;
    m_pollTimer.stop();
    m_watchTimer.stop();
    delete m_udev;
    m_udev = nullptr;
}

std::optional<PortInfo> SerialDiscovery::port(const QString &path) const
{
    const auto it = m_ports.constFind(path);
    if (it == m_ports.constEnd())
        return std::nullopt;
    return *it;
}

void SerialDiscovery::addWatchedPath(const QString &path)
{
    const QString abs = QFileInfo(path).absoluteFilePath();
    if (!m_watchedPaths.contains(abs))
        m_watchedPaths.append(abs);
    if (m_running)
        applyDiff(scanWatched(), true);
}

void SerialDiscovery::removeWatchedPath(const QString &path)
{
    m_watchedPaths.removeAll(QFileInfo(path).absoluteFilePath());
    if (m_running)
        applyDiff(scanWatched(), true);
}

void SerialDiscovery::addWatchedDirectory(const QString &dir, const QString &nameFilter)
{
    const std::pair<QString, QString> entry{QFileInfo(dir).absoluteFilePath(), nameFilter};
    if (!m_watchedDirs.contains(entry))
        m_watchedDirs.append(entry);
    if (m_running)
        applyDiff(scanWatched(), true);
}

void SerialDiscovery::rescan()
{
    if (m_options.includeSystemPorts)
        applyDiff(scanSystemPorts(), false);
    applyDiff(scanWatched(), true);
}

QHash<QString, PortInfo> SerialDiscovery::scanSystemPorts() const
{
    QHash<QString, PortInfo> now;
    const auto infos = QSerialPortInfo::availablePorts();
    for (const QSerialPortInfo &i : infos) {
        PortInfo p;
        p.path = i.systemLocation();
        p.portName = i.portName();
        p.description = i.description();
        p.manufacturer = i.manufacturer();
        p.serialNumber = i.serialNumber();
        if (i.hasVendorIdentifier())
            p.vendorId = i.vendorIdentifier();
        if (i.hasProductIdentifier())
            p.productId = i.productIdentifier();
        if (p.vendorId && p.productId)
            p.bridge = bridgeName(*p.vendorId, *p.productId);
        now.insert(p.path, p);
    }
    return now;
}

QHash<QString, PortInfo> SerialDiscovery::scanWatched() const
{
    QHash<QString, PortInfo> now;
    auto add = [&now](const QFileInfo &fi) {
        // A dangling symlink is a device that went away (devsim removes links,
        // but a crashed simulator leaves them behind).
        if (!fi.exists())
            return;
        PortInfo p;
        p.path = fi.absoluteFilePath();
        p.portName = fi.fileName();
        p.userAdded = true;
        p.description = fi.isSymLink() ? QStringLiteral("link to %1").arg(fi.symLinkTarget())
                                       : QStringLiteral("user-added port");
        now.insert(p.path, p);
    };
    for (const QString &path : m_watchedPaths)
        add(QFileInfo(path));
    for (const auto &[dir, filter] : m_watchedDirs) {
        const QFileInfoList entries = QDir(dir).entryInfoList(
            {filter}, QDir::System | QDir::Files | QDir::NoDotAndDotDot, QDir::Name);
        for (const QFileInfo &fi : entries)
            add(fi);
    }
    return now;
}

void SerialDiscovery::applyDiff(const QHash<QString, PortInfo> &now, bool userAdded)
{
    QList<PortInfo> removed;
    for (auto it = m_ports.begin(); it != m_ports.end();) {
        if (it->userAdded == userAdded && !now.contains(it.key())) {
            removed.append(*it);
            it = m_ports.erase(it);
        } else {
            ++it;
        }
    }
    QList<PortInfo> added;
    for (auto it = now.constBegin(); it != now.constEnd(); ++it) {
        // A system port is listed once even if a user also watches its path.
        if (!m_ports.contains(it.key())) {
            m_ports.insert(it.key(), *it);
            added.append(*it);
        }
    }
    std::sort(added.begin(), added.end(),
        [](const PortInfo &a, const PortInfo &b) { return a.path < b.path; });
    for (const PortInfo &p : removed) {
        qCInfo(lcTransport) << "port removed:" << p.path;
        Q_EMIT portRemoved(p);
    }
    for (const PortInfo &p : added) {
        qCInfo(lcTransport) << "port added:" << p.path << p.bridge;
        Q_EMIT portAdded(p);
    }
}

} // namespace provbench
