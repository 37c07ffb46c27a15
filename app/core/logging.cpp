#include "app/core/logging.h"

Q_LOGGING_CATEGORY(lcTransport, "provbench.transport", QtInfoMsg)
Q_LOGGING_CATEGORY(lcImprov, "provbench.improv", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSimulator, "provbench.simulator", QtInfoMsg)
Q_LOGGING_CATEGORY(lcOnboarding, "provbench.onboarding", QtInfoMsg)
