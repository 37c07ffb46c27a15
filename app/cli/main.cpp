#include "app/cli/cliutil.h"
#include "app/cli/commands.h"

#include <QCoreApplication>

using namespace provbench::cli;

namespace {

void printUsage()
{
    out() << "Usage: provbench-cli <command> [options]\n"
             "\n"
             "Commands:\n"
             "  ports     list serial ports (--json, --watch, --add PATH, --watch-dir DIR)\n"
             "  improv    talk Improv Wi-Fi to a serial device:\n"
             "            improv info|state|scan|wifi|hostname|name|network --port P ...\n"
             "  demo      run a headless end-to-end demo against simulated devices\n"
             "  profile   manage and compare provisioning profiles:\n"
             "            profile list|show|validate|import|export|compare|preview|samples ...\n"
             "  ca        the workspace CA: ca init|show|import\n"
             "  cert      certificates: cert issue|inspect\n"
             "  smp       MCUmgr SMP over serial: smp echo|reset|settings|fs --port P ...\n"
             "  at        nRF91 modem credentials: at cmng write|list|delete --port P ...\n"
             "  provision detect a device's protocol, write a profile's credentials, verify\n"
             "  ble       Bluetooth LE: ble scan | ble improv info|state|scan|wifi | ble smp echo\n"
             "  audit     the tamper-evident audit log: audit verify|list|export\n"
             "  inventory the device inventory: inventory list\n"
             "  est       the built-in EST enrollment service: est serve|pending|approve|deny\n"
             "  token     one-time enrollment tokens: token issue --device ID\n"
             "  status    the onboarding board: status [--json] [--watch] [--report FILE.html]\n"
             "  batch     commission devices as they appear: batch run [--csv F] [--profile P]\n"
             "            [--ports-dir D] [--parallel N] [--settle S]\n"
             "\n"
             "Run 'provbench-cli <command> --help' for the options of a command.\n"
             "Exit codes: 0 success, 1 operation failed, 2 bad usage, 3 not found (port, profile,\n"
             "vault, file, or a usable Bluetooth adapter).\n";
    out().flush();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("provbench-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral("ProvBench"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PROVBENCH_VERSION));

    const QStringList args = app.arguments().mid(1);
    if (args.isEmpty() || args.first() == u"--help" || args.first() == u"-h"
        || args.first() == u"help") {
        printUsage();
        return args.isEmpty() ? ExitUsage : ExitOk;
    }
    if (args.first() == u"--version") {
        out() << "provbench-cli " << PROVBENCH_VERSION << '\n';
        return ExitOk;
    }
    const QString command = args.first();
    if (command == u"ports")
        return portsCommand(args);
    if (command == u"improv")
        return improvCommand(args);
    if (command == u"demo")
        return demoCommand(args);
    if (command == u"profile")
        return profileCommand(args);
    if (command == u"ca")
        return caCommand(args);
    if (command == u"cert")
        return certCommand(args);
    if (command == u"smp")
        return smpCommand(args);
    if (command == u"at")
        return atCommand(args);
    if (command == u"provision")
        return provisionCommand(args);
    if (command == u"ble")
        return bleCommand(args);
    if (command == u"audit")
        return auditCommand(args);
    if (command == u"inventory")
        return inventoryCommand(args);
    if (command == u"est")
        return estCommand(args);
    if (command == u"token")
        return tokenCommand(args);
    if (command == u"status")
        return statusCommand(args);
    if (command == u"batch")
        return batchCommand(args);
    err() << "error: unknown command '" << command
          << "'. Run 'provbench-cli --help' to see the commands.\n";
    return ExitUsage;
}
