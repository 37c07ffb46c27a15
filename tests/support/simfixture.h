#pragma once

#include "app/simulator/simulatedimprovdevice.h"

#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace provbench::test {

// A simulated device tuned for tests: quick answers and a short join time, but
// with log noise on, so every test also exercises resynchronisation.
inline sim::SimDeviceConfig fastConfig(int index = 0)
{
    sim::SimDeviceConfig c = sim::demoConfig(index);
    c.latencyMs = 5;
    c.connectMs = 80;
    return c;
}

// Owns a temporary folder and one simulated device linked as <dir>/ttySIM0.
struct SimFixture
{
    QTemporaryDir dir;
    std::unique_ptr<sim::SimulatedImprovDevice> device;

    bool start(const sim::SimDeviceConfig &config)
    {
        device = std::make_unique<sim::SimulatedImprovDevice>(config);
        auto ok = device->start(dir.filePath(QStringLiteral("ttySIM0")));
        if (!ok)
            qWarning() << ok.error().message;
        return bool(ok);
    }
    QString path() const { return dir.filePath(QStringLiteral("ttySIM0")); }
};

} // namespace provbench::test
