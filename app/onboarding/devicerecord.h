#pragma once

#include "app/onboarding/onboardingstate.h"
#include "app/protocol/improv/improvcodec.h"
#include "app/transport/portinfo.h"

#include <QDateTime>
#include <QStringList>

#include <optional>

namespace provbench {

// Everything the workbench knows about one device. Plain data: the registry
// owns the records and tells listeners when one changes.
struct DeviceRecord
{
    QString id; // stable within a run: the port path
    PortInfo port;
    bool present = true; // false once the port disappeared

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

    // "ESPHome 2024.6.1 on ESP32-C3", or empty before identification.
    QString identitySummary() const;
};

} // namespace provbench
