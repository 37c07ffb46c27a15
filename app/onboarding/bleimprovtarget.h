#pragma once

#include "app/onboarding/provisioningjob.h"
#include "app/protocol/improv/improvbleclient.h"

#include <QPointer>

namespace provbench::onboarding {

// Writes plan items to an Improv Wi-Fi device over Bluetooth LE. Only the
// Wi-Fi credentials travel (the client waits for the device's button when it
// asks for authorization, and verifies by reading the state back); Improv
// over BLE has no hostname or device-name command, so those items end
// Unsupported with the reason. The client must be started; it is not owned.
class BleImprovTarget : public CredentialTarget
{
    Q_OBJECT
public:
    explicit BleImprovTarget(improv::ble::Client *client, QObject *parent = nullptr);
    DeviceProtocol protocol() const override { return DeviceProtocol::Improv; }
    void write(const PlanItem &item, const QByteArray &value,
        std::function<void(ItemOutcome)> done) override;

private:
    QPointer<improv::ble::Client> m_client;
};

} // namespace provbench::onboarding
