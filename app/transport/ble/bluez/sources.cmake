# The BlueZ backend: QtBluetooth for scanning and GATT, plus a few direct
# D-Bus look-ups QtBluetooth does not offer (adapter status, ATT MTU).
target_sources(provbench_core PRIVATE
    transport/ble/bluez/bluezobjects.h transport/ble/bluez/bluezobjects.cpp
    transport/ble/bluez/bluezscanner.h transport/ble/bluez/bluezscanner.cpp
    transport/ble/bluez/bluezgattconnection.h transport/ble/bluez/bluezgattconnection.cpp
    transport/ble/bluez/bluezbackend.h transport/ble/bluez/bluezbackend.cpp
)
target_link_libraries(provbench_core PRIVATE Qt6::DBus)
