#pragma once

#include <QMetaType>
#include <QString>

namespace provbench {

// Where a device stands on its way to being onboarded. Transitions:
//   Discovered -> Identified -> Provisioning -> Provisioned
//   any -> Failed (with a reason); Failed -> Provisioning on a retry.
enum class OnboardingState {
    Discovered,   // a port is there; nothing known about the device yet
    Identified,   // the device answered: we know what it is and what it speaks
    Provisioning, // credentials are being written
    Provisioned,  // written and verified by reading the device's state back
    Failed,       // the last operation failed; the record carries why
};

QString onboardingStateName(OnboardingState state);

} // namespace provbench

Q_DECLARE_METATYPE(provbench::OnboardingState)
