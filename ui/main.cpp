// The provbench executable: parses the command line, composes the engine
// (Workbench) and shows the main window. All user-facing dialogs about start-up
// problems are raised here, never by the engine.

#include "ui/batchpanel.h"
#include "ui/mainwindow.h"
#include "ui/workbench.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QMessageBox>
#include <QTimer>

#include <cstdio>
#include <optional>

using namespace provbench;

namespace {

// --demo-ble-trouble: the simulated adapter's problem, by a short name.
std::optional<ble::AdapterProblem> adapterProblem(const QString &name)
{
    const std::pair<const char *, ble::AdapterProblem> names[] = {
        {"none", ble::AdapterProblem::None},
        {"off", ble::AdapterProblem::AdapterOff},
        {"no-adapter", ble::AdapterProblem::NoAdapter},
        {"no-bluez", ble::AdapterProblem::BluezNotRunning},
        {"no-permission", ble::AdapterProblem::NoPermission},
        {"failed", ble::AdapterProblem::Failed},
    };
    for (const auto &[text, problem] : names) {
        if (name == QLatin1String(text))
            return problem;
    }
    return std::nullopt;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("ProvBench"));
    QApplication::setApplicationName(QStringLiteral("ProvBench"));
    QApplication::setApplicationVersion(QStringLiteral(PROVBENCH_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("provbench"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/provbench.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "Workbench for commissioning IoT devices by hand."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demoOption(QStringLiteral("demo"),
        QApplication::translate(
            "main", "Run with simulated devices behind ptys and simulated Bluetooth LE devices."));
    const QCommandLineOption demoCountOption(QStringLiteral("demo-count"),
        QApplication::translate("main",
            "Number of simulated Improv devices in demo mode (default 3); a Zephyr board and an "
            "nRF91 modem are added."),
        QStringLiteral("N"), QStringLiteral("3"));
    const QCommandLineOption bleTroubleOption(QStringLiteral("demo-ble-trouble"),
        QApplication::translate("main",
            "Demo mode: start the simulated Bluetooth adapter with a problem: off, no-adapter, "
            "no-bluez, no-permission or failed (the Demo menu switches it back)."),
        QStringLiteral("PROBLEM"));
    const QCommandLineOption noBleOption(QStringLiteral("no-ble"),
        QApplication::translate("main", "Do not use Bluetooth LE at all."));
    const QCommandLineOption portOption(QStringLiteral("port"),
        QApplication::translate("main",
            "Also watch this port path (a pty or socat link); "
            "repeatable."),
        QStringLiteral("PATH"));
    const QCommandLineOption watchDirOption(QStringLiteral("watch-dir"),
        QApplication::translate("main", "Treat every entry of this folder as a serial port."),
        QStringLiteral("DIR"));
    const QCommandLineOption workspaceOption(QStringLiteral("workspace"),
        QApplication::translate("main",
            "Workspace folder with the profiles (default: $PROVBENCH_WORKSPACE, else the user's "
            "data folder; a temporary one in demo mode)."),
        QStringLiteral("DIR"));
    const QCommandLineOption pageOption(QStringLiteral("page"),
        QApplication::translate("main",
            "Page to open: devices, profiles, compare, credentials, enrollment, board or batch."),
        QStringLiteral("NAME"));
    const QCommandLineOption batchCsvOption(QStringLiteral("batch-csv"),
        QApplication::translate("main",
            "Import this CSV of expected devices on the Batch page (its problems are listed "
            "there)."),
        QStringLiteral("FILE"));
    const QCommandLineOption batchStartOption(QStringLiteral("batch-start"),
        QApplication::translate("main",
            "Start the batch (with --batch-csv) as soon as the window shows, as Start would."));
    parser.addOptions({demoOption, demoCountOption, bleTroubleOption, noBleOption, portOption,
        watchDirOption, workspaceOption, pageOption, batchCsvOption, batchStartOption});
    parser.process(app);

    Workbench::Options options;
    options.ports = parser.values(portOption);
    options.watchDirs = parser.values(watchDirOption);
    options.workspacePath = parser.value(workspaceOption);
    options.ble = !parser.isSet(noBleOption);
    if (parser.isSet(demoOption)) {
        bool ok = false;
        options.demoCount = parser.value(demoCountOption).toInt(&ok);
        options.demoOtherKinds = true; // show every protocol: a Zephyr board and a modem too
        if (!ok || options.demoCount < 1 || options.demoCount > 32) {
            fprintf(stderr, "%s\n",
                qPrintable(
                    QApplication::translate("main", "--demo-count takes a number from 1 to 32.")));
            return 2;
        }
        options.demoBle = true;
        if (parser.isSet(bleTroubleOption)) {
            const auto problem = adapterProblem(parser.value(bleTroubleOption));
            if (!problem) {
                fprintf(stderr, "%s\n",
                    qPrintable(QApplication::translate("main",
                        "--demo-ble-trouble takes off, no-adapter, no-bluez, no-permission or "
                        "failed.")));
                return 2;
            }
            options.demoBleProblem = *problem;
        }
    }

    Workbench workbench;
    const Result<void> started = workbench.start(options);

    MainWindow window(&workbench);
    if (parser.isSet(pageOption) && !window.showPage(parser.value(pageOption))) {
        fprintf(stderr, "%s\n",
            qPrintable(QApplication::translate("main",
                "--page takes devices, profiles, compare, credentials, enrollment, board or "
                "batch.")));
        return 2;
    }
    if (parser.isSet(batchCsvOption))
        window.batchPanel()->importCsv(parser.value(batchCsvOption));
    window.show();
    if (!started) {
        QMessageBox::warning(
            &window, QApplication::translate("main", "Start-up problem"), started.error().message);
    }
    if (parser.isSet(batchStartOption)) {
        // From the event loop, so a vault prompt has its window; a failure shows on the page.
        QTimer::singleShot(0, &window, [&window] { window.batchPanel()->startBatch(); });
    }
    return app.exec();
}
