#include "app/onboarding/handout.h"

namespace provbench::onboarding {

namespace {

std::optional<CredentialLedger::Kind> ledgerKind(const PlanItem &item)
{
    if (item.id == u"client-key" || item.id == u"claim-key")
        return CredentialLedger::Kind::PrivateKey;
    if (item.id == u"client-cert")
        return CredentialLedger::Kind::Certificate;
    if (item.id == u"psk" || item.id == u"lwm2m-psk")
        return CredentialLedger::Kind::Psk;
    if (item.id == u"password")
        return CredentialLedger::Kind::Password;
    return std::nullopt;
}

} // namespace

Result<QByteArray> RecordingMaterial::material(
    const PlanItem &item, const profiles::DeviceVars &device)
{
    auto v = m_inner->material(item, device);
    if (v)
        m_given.insert(item.id, *v);
    return v;
}

bool planNeedsCa(const QList<PlanItem> &plan)
{
    return std::any_of(plan.cbegin(), plan.cend(), [](const PlanItem &i) {
        return i.source == PlanItem::Source::GeneratedKey
            || i.source == PlanItem::Source::IssuedCertificate
            || i.source == PlanItem::Source::CaCertificate;
    });
}

Result<QStringList> recordHandout(CredentialLedger &ledger, const QList<PlanItem> &plan,
    const QList<ItemOutcome> &outcomes, const QHash<QString, QByteArray> &given,
    const QString &deviceId, const QString &profileName)
{
    QStringList reused;
    for (qsizetype i = 0; i < plan.size() && i < outcomes.size(); ++i) {
        const auto kind = ledgerKind(plan[i]);
        const ItemOutcome &o = outcomes[i];
        // A device that kept its old value did not receive this credential.
        if (!kind || !given.contains(plan[i].id) || o.holds == ItemOutcome::DeviceHolds::Old
            || o.state == ItemOutcome::State::Unsupported)
            continue;
        auto recorded = ledger.record(*kind, given.value(plan[i].id), deviceId, profileName);
        if (!recorded)
            return std::unexpected(recorded.error());
        if (!recorded->otherDevices.isEmpty())
            reused << QStringLiteral(
                "%1 is also held by %2: the same credential on several devices.")
                          .arg(plan[i].label, recorded->otherDevices.join(QStringLiteral(", ")));
    }
    return reused;
}

} // namespace provbench::onboarding
