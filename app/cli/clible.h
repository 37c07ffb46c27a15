#pragma once

#include "app/transport/ble/blediscovery.h"

// Bluetooth LE helpers shared by the CLI commands that scan.
namespace provbench::cli {

// Prints the adapter's problem and returns ExitNoDevice.
int reportAdapter(const ble::AdapterStatus &status);
// Starts discovery and waits until the scanner reports its first status or
// starts, so a command against a broken adapter fails at once instead of
// after its timeout.
ble::AdapterStatus startScanner(ble::Discovery &discovery);

} // namespace provbench::cli
