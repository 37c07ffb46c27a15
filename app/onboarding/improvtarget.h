#pragma once

#include "app/onboarding/provisioningjob.h"
#include "app/protocol/improv/improvclient.h"

namespace provbench::onboarding {

// Writes plan items to an Improv Wi-Fi device: the Wi-Fi credentials
// (verified by reading the state back: provisioned), the hostname and the
// device name (verified by the value the device answers with).
class ImprovTarget : public CredentialTarget
{
    Q_OBJECT
public:
    explicit ImprovTarget(improv::ImprovClient *client, QObject *parent = nullptr);
    DeviceProtocol protocol() const override { return DeviceProtocol::Improv; }
    void write(const PlanItem &item, const QByteArray &value,
        std::function<void(ItemOutcome)> done) override;

private:
    improv::ImprovClient *m_client;
};

} // namespace provbench::onboarding
