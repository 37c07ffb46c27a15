#pragma once

#include "app/core/error.h"
#include "app/onboarding/batch/deviceidentity.h"
#include "app/onboarding/blesession.h"
#include "app/onboarding/protocoltargets.h"
#include "app/transport/ble/bleadvert.h"
#include "app/transport/portinfo.h"

#include <QObject>

#include <memory>
#include <optional>

namespace provbench {

class SerialLink;
namespace enrollment {
class TokenService;
}

namespace onboarding {

class AuditedTarget;
class CryptoMaterial;
class EnrollmentMaterial;
class ProfileMaterial;
class ProvisioningJob;
class RecordingMaterial;
class ServiceTokenIssuer;

namespace batch {

class BatchRunner;

// One device of a batch, from the moment its turn comes to the moment its
// port is closed: identify, match, skip or claim, provision, record, release.
// Everything it learns goes into the runner's entry for `row`; finished() is
// emitted exactly once, after the link is closed, unless destroyed first.
class DeviceProvisioning : public QObject
{
    Q_OBJECT
public:
    DeviceProvisioning(BatchRunner *runner, int row);
    ~DeviceProvisioning() override;

    void startSerial(const PortInfo &port);
    void startBle(const ble::BleDevice &device);

Q_SIGNALS:
    void finished();

private:
    void onIdentified(Result<DeviceIdentity> identity);
    bool matchDevice();
    void provision(const profiles::Profile &profile);
    void openTarget(std::function<void(Result<void>)> done);
    void runJob(const profiles::Profile &profile);
    void jobFinished(bool ok, const QString &message, const profiles::Profile &profile);
    void recordAliases();
    void fail(const QString &message);
    void end();
    void note(const Error &error);
    template<typename T> bool check(const Result<T> &result);

    BatchRunner *m_runner;
    int m_row;
    PortInfo m_port;
    std::optional<ble::BleDevice> m_bleDevice;
    DeviceIdentity m_identity;
    bool m_claimed = false;
    bool m_ended = false;

    // Declared in build order, so they are destroyed in reverse: the job,
    // then what it uses, then the client, then the link.
    std::unique_ptr<SerialLink> m_link;
    std::unique_ptr<SerialIdentifier> m_identifier;
    std::unique_ptr<BleSession> m_ble;
    BleCredentialAccess m_access;    // BLE: link, client and target
    SerialCredentialAccess m_serial; // serial: client and target
    std::unique_ptr<CryptoMaterial> m_crypto;
    std::unique_ptr<ProfileMaterial> m_profileMaterial;
    std::unique_ptr<enrollment::TokenService> m_tokens;
    std::unique_ptr<ServiceTokenIssuer> m_issuer;
    std::unique_ptr<EnrollmentMaterial> m_enrollment;
    std::unique_ptr<RecordingMaterial> m_material;
    std::unique_ptr<AuditedTarget> m_audited;
    std::unique_ptr<ProvisioningJob> m_job;
    QList<PlanItem> m_plan;
};

} // namespace batch
} // namespace onboarding
} // namespace provbench
