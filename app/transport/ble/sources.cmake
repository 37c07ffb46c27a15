# Bluetooth LE: pure advertisement handling, discovery with ageing, the GATT
# connection interface and the Link over a GATT characteristic.
target_sources(provbench_core PRIVATE
    transport/ble/bleadvert.h transport/ble/bleadvert.cpp
    transport/ble/bledevicetable.h transport/ble/bledevicetable.cpp
    transport/ble/adapterstatus.h transport/ble/adapterstatus.cpp
    transport/ble/blescanner.h
    transport/ble/gattconnection.h
    transport/ble/blediscovery.h transport/ble/blediscovery.cpp
    transport/ble/gattlink.h transport/ble/gattlink.cpp
    transport/ble/systembackend.h transport/ble/systembackend.cpp
)
# The BlueZ backend (QtBluetooth) lives in its own folder and list.
if(EXISTS ${CMAKE_CURRENT_LIST_DIR}/bluez/sources.cmake)
    include(${CMAKE_CURRENT_LIST_DIR}/bluez/sources.cmake)
endif()

# Simulated peripherals behind the same interfaces (demo mode, tests).
target_sources(provbench_core PRIVATE
    simulator/ble/simulatedperipheral.h simulator/ble/simulatedperipheral.cpp
    simulator/ble/simulatedimprovperipheral.h simulator/ble/simulatedimprovperipheral.cpp
    simulator/ble/simulatedsmpperipheral.h simulator/ble/simulatedsmpperipheral.cpp
    simulator/ble/simulatedblebackend.h simulator/ble/simulatedblebackend.cpp
)
