// Starts one simulated SMP device on a pty linked at argv[1] and runs until
// killed; for the CLI tests (provbench-devsim learns --kind smp separately).
//   smpsim <link-path> [faults]
#include "app/simulator/simulatedsmpdevice.h"

#include <QCoreApplication>

#include <csignal>
#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: smpsim <link-path> [faults]\n");
        return 2;
    }
    provbench::sim::SmpDeviceConfig config = provbench::sim::demoSmpConfig(0);
    config.latencyMs = 5;
    if (argc > 2) {
        auto faults = provbench::sim::parseFaults(QString::fromLocal8Bit(argv[2]));
        if (!faults) {
            std::fprintf(stderr, "%s\n", qPrintable(faults.error().message));
            return 2;
        }
        config.faults = *faults;
    }
    provbench::sim::SimulatedSmpDevice device(config);
    if (auto ok = device.start(QString::fromLocal8Bit(argv[1])); !ok) {
        std::fprintf(stderr, "%s\n", qPrintable(ok.error().message));
        return 1;
    }
    // SIGTERM ends the event loop so the pty link is removed on the way out.
    std::signal(SIGTERM, [](int) { QCoreApplication::quit(); });
    std::printf("ready %s\n", argv[1]);
    std::fflush(stdout);
    return app.exec();
}
