#pragma once

#include "app/core/error.h"
#include "app/onboarding/credentialplan.h"

#include <QObject>

#include <chrono>
#include <functional>

namespace provbench {

class Link;

namespace onboarding {

// Finds out which provisioning protocol the device on an open link speaks, by
// asking harmless questions in turn: an SMP echo, an AT command, an Improv
// state request. Each is one attempt with a short timeout; the first answer
// wins. What the probes send is ignored by devices that speak the others
// (framed binary, a line a modem answers with ERROR, a packet a Zephyr shell
// discards). Fails with a message that lists what was tried.
class ProtocolProbe : public QObject
{
    Q_OBJECT
public:
    explicit ProtocolProbe(Link *link, QObject *parent = nullptr);
    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }
    // Only these, in this order (default: SMP, AT, Improv).
    void setCandidates(QList<DeviceProtocol> candidates) { m_candidates = std::move(candidates); }
    void run(std::function<void(Result<DeviceProtocol>)> done);

private:
    void next();

    Link *m_link;
    std::chrono::milliseconds m_timeout{800};
    QList<DeviceProtocol> m_candidates{
        DeviceProtocol::Smp, DeviceProtocol::Nrf91At, DeviceProtocol::Improv};
    int m_step = -1;
    std::function<void(Result<DeviceProtocol>)> m_done;
    std::unique_ptr<QObject> m_client; // the probe in flight
};

} // namespace onboarding
} // namespace provbench
