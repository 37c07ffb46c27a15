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
    // The same for devices of any kind (Improv, SMP, nRF91 modem); the host
    // takes ownership, also on failure.
    Result<void> start(const QString &dir, const QList<SimulatedSerialDevice *> &devices);
    void stop();

    QString directory() const { return m_dir; }
    // The Improv devices, in link order (the demo and most tests use only these).
    QList<SimulatedImprovDevice *> devices() const;
    SimulatedImprovDevice *device(int index) const { return devices().value(index); }
    // Every device, in link order: allDevices()[i] is <dir>/ttySIM<i>.
    QList<SimulatedSerialDevice *> allDevices() const { return m_all; }

private:
    QString m_dir;
    QList<SimulatedSerialDevice *> m_all;
};

} // namespace provbench::sim
