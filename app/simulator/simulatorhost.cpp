#include "app/simulator/simulatorhost.h"

#include "app/core/logging.h"

#include <QDir>
#include <QFileInfo>

namespace provbench::sim {

SimulatorHost::SimulatorHost(QObject *parent) : QObject(parent) { }

SimulatorHost::~SimulatorHost()
{
    stop();
}

Result<void> SimulatorHost::start(const QString &dir, const QList<SimDeviceConfig> &configs)
{
    QList<SimulatedSerialDevice *> devices;
    for (const SimDeviceConfig &c : configs)
        devices.append(new SimulatedImprovDevice(c));
    return start(dir, devices);
}

Result<void> SimulatorHost::start(const QString &dir, const QList<SimulatedSerialDevice *> &devices)
{
    // Starting again replaces the previous set: links are per host, and two
    // sets in one host would fight over ttySIM0...
    stop();
    for (SimulatedSerialDevice *d : devices)
        d->setParent(this);
    m_all = devices;

    const QString absolute = QFileInfo(dir).absoluteFilePath();
    if (dir.isEmpty() || !QDir().mkpath(absolute)) {
        stop();
        return fail(Error::Code::Io,
            QStringLiteral("Cannot create the folder \"%1\" for the simulated ports. "
                           "Choose a folder you can write to, e.g. /tmp/provbench-sim.")
                .arg(dir));
    }
    if (!QFileInfo(absolute).isWritable()) {
        stop();
        return fail(Error::Code::Io,
            QStringLiteral("The folder \"%1\" is not writable, so the simulated ports "
                           "cannot be linked there. Choose a folder you can write to.")
                .arg(absolute));
    }
    m_dir = absolute;

    for (qsizetype i = 0; i < m_all.size(); ++i) {
        const QString link = QDir(absolute).filePath(QStringLiteral("ttySIM%1").arg(i));
        if (auto ok = m_all[i]->start(link); !ok) {
            stop();
            return std::unexpected(ok.error());
        }
    }
    qCInfo(lcSimulator).noquote() << "Started" << m_all.size() << "simulated devices in" << m_dir;
    return {};
}

QList<SimulatedImprovDevice *> SimulatorHost::devices() const
{
    QList<SimulatedImprovDevice *> improv;
    for (SimulatedSerialDevice *d : m_all) {
        if (auto *i = qobject_cast<SimulatedImprovDevice *>(d))
            improv.append(i);
    }
    return improv;
}

void SimulatorHost::stop()
{
    // Devices remove their own links when destroyed.
    qDeleteAll(std::exchange(m_all, {}));
}

} // namespace provbench::sim
