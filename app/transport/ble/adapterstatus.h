#pragma once

#include <QString>

namespace provbench::ble {

// Why BLE cannot be used right now. Each problem has a message that says what
// to do; the GUI shows it as a banner and the CLI prints it, and serial work is
// never affected.
enum class AdapterProblem {
    None,
    BluezNotRunning, // no org.bluez on the system bus (or no system bus at all)
    NoAdapter,       // BlueZ runs but has no adapter (none plugged in, or rfkill hard block)
    AdapterOff,      // the adapter exists but is powered off
    NoPermission,    // the system bus refused us (D-Bus policy / not in the bluetooth group)
    Failed,          // anything else the stack reported; `detail` says what
};

struct AdapterStatus
{
    AdapterProblem problem = AdapterProblem::None;
    QString adapterName; // "hci0" when known
    QString detail;      // the stack's own words, for Failed and for logs

    bool ok() const { return problem == AdapterProblem::None; }
    // A complete sentence with what to do, e.g. "Bluetooth is off. Turn it on
    // with `bluetoothctl power on` or in the system settings; ...".
    QString message() const;
    bool operator==(const AdapterStatus &) const = default;
};

} // namespace provbench::ble
