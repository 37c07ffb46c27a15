#pragma once

#include "app/onboarding/provisioningjob.h"
#include "app/storage/credentialledger.h"

#include <QHash>

// What happens around a provisioning job in every front-end: remembering the
// bytes handed to each item (in memory only), and recording the credentials
// in the workspace's ledger afterwards.
namespace provbench::onboarding {

// Wraps a provider and keeps what it handed out, so the ledger fingerprints
// exactly what the device received. Drop it when the job ends: it holds keys.
class RecordingMaterial : public MaterialProvider
{
public:
    explicit RecordingMaterial(MaterialProvider *inner) : m_inner(inner) { }
    void prepare(std::function<void(Result<void>)> done) override
    {
        m_inner->prepare(std::move(done));
    }
    Result<QByteArray> material(const PlanItem &item, const profiles::DeviceVars &device) override;
    const QHash<QString, QByteArray> &given() const { return m_given; }

private:
    MaterialProvider *m_inner;
    QHash<QString, QByteArray> m_given;
};

// True when the plan needs the workspace CA (a key, a certificate or the chain).
bool planNeedsCa(const QList<PlanItem> &plan);

// Records every key, PSK, password and certificate the device may now hold
// (verified, or written with an unknown outcome) under `deviceId`, and returns
// one sentence per credential that another device holds too. A site's Wi-Fi
// passphrase is shared by design and is not recorded.
Result<QStringList> recordHandout(CredentialLedger &ledger, const QList<PlanItem> &plan,
    const QList<ItemOutcome> &outcomes, const QHash<QString, QByteArray> &given,
    const QString &deviceId, const QString &profileName);

} // namespace provbench::onboarding
