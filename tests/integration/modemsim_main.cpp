// Runs one simulated nRF91 modem on a pty until killed, for the CLI tests:
//   modemsim <link-path> [demo-index] [faults]
// e.g. modemsim /tmp/x/ttyMODEM0 0 "no-answer=1". Prints "ready" once the
// link exists.
#include "app/simulator/simulatedmodem.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: modemsim <link-path> [demo-index] [faults]\n");
        return 2;
    }
    provbench::sim::ModemConfig config
        = provbench::sim::demoModemConfig(args.size() > 2 ? args[2].toInt() : 0);
    config.latencyMs = 2;
    if (args.size() > 3) {
        auto faults = provbench::sim::parseFaults(args[3]);
        if (!faults) {
            std::fprintf(stderr, "%s\n", qPrintable(faults.error().message));
            return 2;
        }
        config.faults = *faults;
    }
    provbench::sim::SimulatedModem modem(config);
    if (auto ok = modem.start(args[1]); !ok) {
        std::fprintf(stderr, "%s\n", qPrintable(ok.error().message));
        return 1;
    }
    std::printf("ready\n");
    std::fflush(stdout);
    return app.exec();
}
