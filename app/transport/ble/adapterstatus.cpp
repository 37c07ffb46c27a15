#include "app/transport/ble/adapterstatus.h"

namespace provbench::ble {

QString AdapterStatus::message() const
{
    const QString adapter = adapterName.isEmpty()
        ? QStringLiteral("The Bluetooth adapter")
        : QStringLiteral("Bluetooth adapter %1").arg(adapterName);
    switch (problem) {
    case AdapterProblem::None:
        return QStringLiteral("%1 is ready.").arg(adapter);
    case AdapterProblem::BluezNotRunning:
        return QStringLiteral(
            "Bluetooth LE is unavailable: the BlueZ service (bluetoothd) is not running. Start it "
            "with `sudo systemctl start bluetooth` (install the bluez package if it is missing); "
            "serial devices keep working meanwhile.");
    case AdapterProblem::NoAdapter:
        return QStringLiteral(
            "Bluetooth LE is unavailable: no Bluetooth adapter was found. Plug in a USB Bluetooth "
            "adapter, or check that the built-in one is not blocked (`rfkill list`, then `rfkill "
            "unblock bluetooth`).");
    case AdapterProblem::AdapterOff:
        return QStringLiteral(
            "%1 is switched off. Turn it on with `bluetoothctl power on` or in "
            "the system settings; the Devices page then resumes scanning by itself.")
            .arg(adapter);
    case AdapterProblem::NoPermission:
        return QStringLiteral(
            "Bluetooth LE is unavailable: this user may not use BlueZ over D-Bus. Add the user to "
            "the `bluetooth` group (`sudo usermod -aG bluetooth $USER`, then log in again), or ask "
            "an administrator to allow it in the D-Bus policy.");
    case AdapterProblem::Failed:
        return QStringLiteral("Bluetooth LE scanning failed: %1. Check `bluetoothctl show` and the "
                              "system log (`journalctl -u bluetooth`), then start the scan again.")
            .arg(detail.isEmpty() ? QStringLiteral("the Bluetooth stack gave no reason") : detail);
    }
    return detail;
}

} // namespace provbench::ble
