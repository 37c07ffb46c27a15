#pragma once

#include "app/transport/ble/gattconnection.h"

#include <memory>

namespace provbench::ble {

// The platform's Bluetooth stack (BlueZ through QtBluetooth on Linux). Never
// null: when the stack is unusable, its scanners report why through
// AdapterStatus instead.
std::unique_ptr<Backend> createSystemBackend();

} // namespace provbench::ble
