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
    // Starting again replaces the previous set: links are per host, and two
    // sets in one host would fight over ttySIM0...
    stop();

    const QString absolute = QFileInfo(dir).absoluteFilePath();
    if (dir.isEmpty() || !QDir().mkpath(absolute))
        return fail(Error::Code::Io,
            QStringLiteral("Cannot create the folder \"%1\" for the simulated ports. "
                           "Choose a folder you can write to, e.g. /tmp/provbench-sim.")
                .arg(dir));
    if (!QFileInfo(absolute).isWritable())
        return fail(Error::Code::Io,
            QStringLiteral("The folder \"%1\" is not writable, so the simulated ports "
                           "cannot be linked there. Choose a folder you can write to.")
                .arg(absolute));
    m_dir = absolute;

    for (qsizetype i = 0; i < configs.size(); ++i) {
        auto *device = new SimulatedImprovDevice(configs[i], this);
        m_devices.append(device);
        const QString link = QDir(absolute).filePath(QStringLiteral("ttySIM%1").arg(i));
        if (auto ok = device->start(link); !ok) {
            stop();
            return std::unexpected(ok.error());
        }
    }
    qCInfo(lcSimulator).noquote() << "Started" << m_devices.size() << "simulated devices in"
                                  << m_dir;
    return {};
}

void SimulatorHost::stop()
{
    // Devices remove their own links when destroyed.
    qDeleteAll(std::exchange(m_devices, {}));
}

} // namespace provbench::sim
