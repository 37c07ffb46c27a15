#include "app/core/logging.h"

Q_LOGGING_CATEGORY(lcTransport, "provbench.transport", QtWarningMsg)
Q_LOGGING_CATEGORY(lcImprov, "provbench.improv", QtWarningMsg)
Q_LOGGING_CATEGORY(lcSimulator, "provbench.simulator", QtWarningMsg)
Q_LOGGING_CATEGORY(lcOnboarding, "provbench.onboarding", QtWarningMsg)
