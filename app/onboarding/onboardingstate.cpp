#include "app/onboarding/onboardingstate.h"

namespace provbench {

QString onboardingStateName(OnboardingState state)
{
    switch (state) {
    case OnboardingState::Discovered:
        return QStringLiteral("discovered");
    case OnboardingState::Identified:
        return QStringLiteral("identified");
    case OnboardingState::Provisioning:
        return QStringLiteral("provisioning");
    case OnboardingState::Provisioned:
        return QStringLiteral("provisioned");
    case OnboardingState::Failed:
        return QStringLiteral("failed");
    }
    return QStringLiteral("unknown");
}

} // namespace provbench
