#pragma once

#include <QLoggingCategory>

// One category per module so users can turn on exactly the tracing they need
// (QT_LOGGING_RULES="provbench.improv.debug=true"; info and debug are off by default).
Q_DECLARE_LOGGING_CATEGORY(lcTransport)
Q_DECLARE_LOGGING_CATEGORY(lcImprov)
Q_DECLARE_LOGGING_CATEGORY(lcSimulator)
Q_DECLARE_LOGGING_CATEGORY(lcOnboarding)
