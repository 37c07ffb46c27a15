#pragma once

#include "app/core/traceentry.h"
#include "app/onboarding/provisioningjob.h"

#include <functional>
#include <memory>

namespace provbench {
class Link;
}
namespace provbench::smp {
class SmpClient;
}
namespace provbench::at {
class AtClient;
}

namespace provbench::onboarding {

// Writes plan items to a Zephyr device over MCUmgr SMP: settings are written,
// saved and read back; files are uploaded and compared by SHA-256.
class SmpTarget : public CredentialTarget
{
    Q_OBJECT
public:
    explicit SmpTarget(smp::SmpClient *client, QObject *parent = nullptr);
    DeviceProtocol protocol() const override { return DeviceProtocol::Smp; }
    void write(const PlanItem &item, const QByteArray &value,
        std::function<void(ItemOutcome)> done) override;

private:
    smp::SmpClient *m_client;
};

// Writes plan items to an nRF91 modem with AT%CMNG. begin() takes the modem
// offline once (AT+CFUN=4) when it is online, end() restores the mode it
// found, so several items cost one mode change.
class AtTarget : public CredentialTarget
{
    Q_OBJECT
public:
    explicit AtTarget(at::AtClient *client, QObject *parent = nullptr);
    DeviceProtocol protocol() const override { return DeviceProtocol::Nrf91At; }
    void begin(std::function<void(Result<void>)> done) override;
    void write(const PlanItem &item, const QByteArray &value,
        std::function<void(ItemOutcome)> done) override;
    void end(std::function<void(Result<void>)> done) override;

private:
    at::AtClient *m_client;
    int m_previousMode = -1; // set when begin() switched the mode
};

// A device on an open serial link as a credentials job needs it: the
// protocol's client on the link and the target over that client. Members go
// in reverse order: the target before the client.
struct SerialCredentialAccess
{
    std::unique_ptr<QObject> client; // an ImprovClient, SmpClient or AtClient
    std::unique_ptr<CredentialTarget> target;
};

// Makes the client and target for `protocol` on `link` (not owned; it must
// outlive them). `trace`, when set, receives the client's wire trace.
SerialCredentialAccess makeSerialAccess(
    DeviceProtocol protocol, Link *link, const std::function<void(const TraceEntry &)> &trace = {});

} // namespace provbench::onboarding
