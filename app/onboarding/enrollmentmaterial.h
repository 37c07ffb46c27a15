#pragma once

#include "app/onboarding/provisioningjob.h"

#include <QString>

#include <chrono>

namespace provbench::store {
class Store;
}

// The dynamic-profile side of provisioning: the one-time enrollment token and
// the device id a device needs to enroll by itself, and the audit trail and
// inventory state of every write.
namespace provbench::onboarding {

// Issues one-time enrollment tokens. The enrollment service's TokenService
// sits behind it in the CLI and the GUI (ServiceTokenIssuer); tests may use
// their own. The token is a secret: callers hand it to the device and drop it.
class TokenIssuer
{
public:
    virtual ~TokenIssuer() = default;
    virtual Result<QString> issue(const QString &deviceId, std::chrono::minutes ttl, bool singleUse)
        = 0;
};

// Supplies EnrollmentToken (issued when the item is written, never earlier, so
// its lifetime starts at the write) and DeviceId items; everything else comes
// from `inner`. Without an issuer the token item fails with what to do.
class EnrollmentMaterial : public MaterialProvider
{
public:
    EnrollmentMaterial(MaterialProvider *inner, TokenIssuer *issuer, QString deviceId,
        std::chrono::minutes ttl, bool singleUse);
    void prepare(std::function<void(Result<void>)> done) override;
    Result<QByteArray> material(const PlanItem &item, const profiles::DeviceVars &device) override;

private:
    MaterialProvider *m_inner;
    TokenIssuer *m_issuer;
    QString m_deviceId;
    std::chrono::minutes m_ttl;
    bool m_singleUse;
};

// The token settings of a profile (EST) for EnrollmentMaterial.
std::chrono::minutes tokenTtl(const profiles::Profile &profile);
bool tokenSingleUse(const profiles::Profile &profile);

// Wraps a target: the device goes into the inventory (state "provisioning",
// its profile and transport) when the session begins; every write is preceded
// by an audit intent ("intent.write": item, label, setting or file, never the
// value) and followed by its outcome; the state becomes "credentials-written"
// after the first write the device holds, and at the end "verified" when every
// item was verified or "failed" with the first problem. A state that an
// enrollment already moved further ("enrolled", "checked-in", ...) is kept.
// With no store, it only forwards. Audit trouble never stops a write: it is
// reported through auditProblem().
class AuditedTarget : public CredentialTarget
{
    Q_OBJECT
public:
    struct DeviceInfo
    {
        QString id;
        QString name;
        QString transport = QStringLiteral("serial");
        QString transportId; // port path or BLE address
        QString profile;
    };
    AuditedTarget(
        CredentialTarget *inner, store::Store *store, DeviceInfo device, QObject *parent = nullptr);

    DeviceProtocol protocol() const override { return m_inner->protocol(); }
    void begin(std::function<void(Result<void>)> done) override;
    void write(const PlanItem &item, const QByteArray &value,
        std::function<void(ItemOutcome)> done) override;
    void end(std::function<void(Result<void>)> done) override;
    // Records a "failure" for the item (step "prepare"): the device is not
    // fully provisioned although every write that happened was verified.
    void notWritten(const PlanItem &item, const ItemOutcome &outcome) override;

    // Items the protocol cannot carry never reach write(): given the plan, the
    // end records them as a "failure" event and the device as failed, since
    // it will not be fully provisioned.
    void setPlan(const QList<PlanItem> &plan) { m_plan = plan; }

    // Every audit or inventory problem so far, one sentence each.
    const QStringList &auditProblems() const { return m_problems; }

private:
    void note(const Error &error);
    void moveState(const QString &state, const QString &reason = {});
    void recordVerified();

    CredentialTarget *m_inner;
    store::Store *m_store;
    DeviceInfo m_device;
    QList<PlanItem> m_plan;
    QStringList m_problems;
    QString m_firstFailure;
    bool m_allVerified = true;
    bool m_written = false;
};

} // namespace provbench::onboarding
