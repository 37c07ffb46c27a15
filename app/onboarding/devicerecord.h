#pragma once

#include "app/onboarding/onboardingstate.h"
#include "app/protocol/improv/improvcodec.h"
#include "app/transport/ble/bleadvert.h"
#include "app/transport/portinfo.h"

#include <QDateTime>
#include <QStringList>

#include <optional>

namespace provbench {

// How the workbench reaches a device.
enum class Transport { Serial, Ble };

// Protocol labels as records list them (and as the Devices page shows them).
inline constexpr QLatin1StringView kImprovSerialLabel{"Improv Wi-Fi (serial)"};
inline constexpr QLatin1StringView kImprovBleLabel{"Improv Wi-Fi (BLE)"};
inline constexpr QLatin1StringView kSmpBleLabel{"MCUmgr SMP (BLE)"};

// Everything the workbench knows about one device. Plain data: the registry
// owns the records and tells listeners when one changes.
struct DeviceRecord
{
    QString id; // stable within a run: the port path, or "ble:" + the BLE address
    Transport transport = Transport::Serial;
    // Serial: the port. BLE: path and portName hold the address, so code that
    // only names a device keeps working.
    PortInfo port;
    // BLE only: what the advertisements said (address, name, RSSI, services,
    // Improv service data), with first and last time heard.
    ble::BleDevice ble;
    bool present = true;    // false once the port disappeared or the device stopped advertising
    bool connected = false; // BLE: a GATT connection is open

    std::optional<improv::DeviceInfo> info;
    QStringList protocols; // e.g. {"Improv Wi-Fi (serial)"}
    std::optional<improv::State> improvState;
    QString hostname;
    QString ssid; // last SSID written or reported
    QStringList urls;

    OnboardingState state = OnboardingState::Discovered;
    QString failureReason; // set while state == Failed
    QString activity;      // what is running now, empty when idle
    int progress = -1;     // 0..100 while an operation runs, -1 otherwise
    QDateTime firstSeen;
    QDateTime lastChange;

    bool isBle() const { return transport == Transport::Ble; }
    // "ESPHome 2024.6.1 on ESP32-C3", or empty before identification.
    QString identitySummary() const;
    // The port name ("ttyUSB0"), or for BLE the advertised name, else the address.
    QString displayName() const;
    // "USB serial", "pty" (a user-added path: pty, socat link, simulator),
    // "Serial" (a built-in UART) or "BLE".
    QString transportName() const;
    // True while nothing says the device speaks something else: Improv
    // commands (scan, Wi-Fi, names) apply.
    bool speaksImprov() const;
    // The device advertised or answered MCUmgr SMP over BLE.
    bool speaksSmpOverBle() const;
};

// A record for a device first heard over BLE: not yet identified, with the
// protocols its advertisement names and the Improv state its service data carries.
DeviceRecord bleRecord(const ble::BleDevice &device);
// Protocol labels for what an advertisement names ("Improv Wi-Fi (BLE)", ...).
QStringList bleProtocolLabels(const ble::BleDevice &device);

} // namespace provbench
