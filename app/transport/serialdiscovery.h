#pragma once

#include "app/transport/portinfo.h"

#include <QHash>
#include <QObject>
#include <QTimer>

namespace provbench {

class UdevMonitor;

// Keeps the list of serial ports current and reports changes.
//
// System ports come from QSerialPortInfo and are re-read whenever udev reports
// a tty event (through a QSocketNotifier on a udev monitor) and, as a fallback
// for machines without udev events (containers), on a poll timer. Ptys and
// socat links are not listed by QSerialPortInfo, so callers add them as watched
// paths or watched folders (every entry matching a name filter); these are
// checked on a short timer. Changes reach listeners within one second.
class SerialDiscovery : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        int pollIntervalMs = 700;       // system ports when udev is unavailable
        int watchedIntervalMs = 250;    // user-added paths and folders
        bool includeSystemPorts = true; // tests turn this off to see only their ptys
    };

    explicit SerialDiscovery(QObject *parent = nullptr);
    SerialDiscovery(Options options, QObject *parent = nullptr);
    ~SerialDiscovery() override;

    // Begins watching; emits portAdded for every port present now.
    void start();
    void stop();
    bool usesUdev() const { return m_udev != nullptr; }

    QList<PortInfo> ports() const { return m_ports.values(); }
    std::optional<PortInfo> port(const QString &path) const;

    void addWatchedPath(const QString &path);
    void removeWatchedPath(const QString &path);
    // Every entry in `dir` whose name matches `nameFilter` (e.g. "ttySIM*").
    void addWatchedDirectory(const QString &dir, const QString &nameFilter = QStringLiteral("*"));

    // Re-reads everything now (also used by the timers and the udev monitor).
    void rescan();

Q_SIGNALS:
    void portAdded(const provbench::PortInfo &port);
    void portRemoved(const provbench::PortInfo &port);

private:
    QHash<QString, PortInfo> scanSystemPorts() const;
    QHash<QString, PortInfo> scanWatched() const;
    void applyDiff(const QHash<QString, PortInfo> &now, bool userAdded);

    Options m_options;
    QHash<QString, PortInfo> m_ports; // by path
    QStringList m_watchedPaths;
    QList<std::pair<QString, QString>> m_watchedDirs;
    QTimer m_pollTimer;
    QTimer m_watchTimer;
    UdevMonitor *m_udev = nullptr;
    bool m_running = false;
};

} // namespace provbench
