#pragma once

#include "app/simulator/simulatedimprovdevice.h"

#include <QObject>

namespace provbench::sim {

// Runs a set of simulated devices with links `<dir>/ttySIM0`, `ttySIM1`, ...
// Used by provbench-devsim, the GUI demo mode, `provbench-cli demo` and tests.
class SimulatorHost : public QObject
{
    Q_OBJECT
public:
    explicit SimulatorHost(QObject *parent = nullptr);
    ~SimulatorHost() override;

    // Creates `dir` if needed and starts one device per config. On failure
    // nothing is left running.
    Result<void> start(const QString &dir, const QList<SimDeviceConfig> &configs);
    void stop();

    QString directory() const { return m_dir; }
    QList<SimulatedImprovDevice *> devices() const { return m_devices; }
    SimulatedImprovDevice *device(int index) const { return m_devices.value(index); }

private:
    QString m_dir;
    QList<SimulatedImprovDevice *> m_devices;
};

} // namespace provbench::sim
