#pragma once

#include "app/core/error.h"
#include "app/onboarding/onboardingstate.h"

#include <QHash>
#include <QObject>

namespace provbench {

class DeviceRegistry;
class DeviceSession;
namespace store {
class AuditLog;
}

namespace journey {

// Writes the journey of the devices a DeviceRegistry sees into an audit log,
// so that the onboarding board shows devices worked on in the GUI (or the
// demo) like those of a batch or the CLI. The device id is the registry's id
// (port path, or "ble:" + address).
//
//   a device appears (or is there when recording starts) -> device.discovered
//   its state becomes Identified                          -> device.identified
//   Provisioning                                          -> intent.write
//   Provisioned                                           -> outcome.write ok, verified
//   Failed while provisioning                             -> outcome.write failed, reason
//   Failed otherwise                                      -> failure, reason, step "identify"
//
// Neither the registry nor the log is owned; both must outlive the recorder.
// Append failures are reported through errorOccurred() once until one works.
class RegistryJourneyRecorder : public QObject
{
    Q_OBJECT
public:
    RegistryJourneyRecorder(
        DeviceRegistry *registry, store::AuditLog &log, QObject *parent = nullptr);

    // Records every device the registry holds now (discovered, and identified
    // when it is); later changes are recorded as they happen.
    void start();

    int recorded() const { return m_recorded; }

signals:
    void errorOccurred(const provbench::Error &error);

private:
    struct Seen
    {
        OnboardingState state = OnboardingState::Discovered;
        qint64 writeIntent = 0; // seq of an open intent.write
    };

    void onAdded(int row);
    void onChanged(int row);
    void discovered(const DeviceSession *session);
    void moved(const DeviceSession *session, Seen &seen);
    template<typename T> void check(const Result<T> &result);

    DeviceRegistry *m_registry;
    store::AuditLog &m_log;
    QHash<QString, Seen> m_seen;
    int m_recorded = 0;
    bool m_failing = false;
};

} // namespace journey
} // namespace provbench
