#include "app/onboarding/enrollmentmaterial.h"

#include "app/core/logging.h"
#include "app/crypto/certificate.h"
#include "app/storage/store/store.h"

#include <QJsonObject>
#include <QPointer>

namespace provbench::onboarding {

// --- EnrollmentMaterial ------------------------------------------------------------

EnrollmentMaterial::EnrollmentMaterial(MaterialProvider *inner, TokenIssuer *issuer,
    QString deviceId, std::chrono::minutes ttl, bool singleUse)
    : m_inner(inner),
      m_issuer(issuer),
      m_deviceId(std::move(deviceId)),
      m_ttl(ttl),
      m_singleUse(singleUse)
{
}

void EnrollmentMaterial::prepare(std::function<void(Result<void>)> done)
{
    m_inner->prepare(std::move(done));
}

Result<QByteArray> EnrollmentMaterial::material(
    const PlanItem &item, const profiles::DeviceVars &device)
{
    switch (item.source) {
    case PlanItem::Source::DeviceId:
        if (m_deviceId.isEmpty())
            return fail(Error::Code::InvalidArgument,
                QStringLiteral("The device has no id to enroll under: give its serial number "
                               "(--serial)."));
        return m_deviceId.toUtf8();
    case PlanItem::Source::EnrollmentToken: {
        if (!m_issuer)
            return fail(Error::Code::Unsupported,
                QStringLiteral("No enrollment service is available to issue the one-time "
                               "token: open the workspace store (provbench-cli provision does "
                               "by default) so tokens can be issued."));
        auto token = m_issuer->issue(m_deviceId, m_ttl, m_singleUse);
        if (!token)
            return fail(token.error().code,
                QStringLiteral("The one-time token could not be issued: %1")
                    .arg(token.error().message));
        return token->toUtf8();
    }
    default:
        return m_inner->material(item, device);
    }
}

std::chrono::minutes tokenTtl(const profiles::Profile &profile)
{
    const auto *d = profile.dynamicSettings();
    return std::chrono::minutes(d ? std::max(1, d->est.tokenTtlMinutes) : 60);
}

bool tokenSingleUse(const profiles::Profile &profile)
{
    const auto *d = profile.dynamicSettings();
    return !d || d->est.tokenSingleUse;
}

// --- AuditedTarget -----------------------------------------------------------------

namespace {

// States the enrollment service sets after the bench's writes; a late
// "verified" from the bench must not hide them.
bool isBenchState(const QString &state)
{
    return state.isEmpty() || state == u"discovered" || state == u"provisioning"
        || state == u"credentials-written" || state == u"verified";
}

QJsonObject itemDetails(const PlanItem &item, const QString &profile)
{
    QJsonObject d{{QStringLiteral("item"), item.id}, {QStringLiteral("label"), item.label},
        {QStringLiteral("profile"), profile}};
    switch (item.target) {
    case PlanItem::Target::Setting:
        d.insert(QStringLiteral("setting"), item.settingKey);
        break;
    case PlanItem::Target::File:
        d.insert(QStringLiteral("file"), item.remotePath);
        break;
    case PlanItem::Target::SecTag:
        d.insert(QStringLiteral("secTag"), item.secTag);
        d.insert(QStringLiteral("cmngType"), item.cmngType);
        break;
    default:
        break;
    }
    if (item.secret)
        d.insert(QStringLiteral("redacted"), true);
    return d;
}

} // namespace

AuditedTarget::AuditedTarget(
    CredentialTarget *inner, store::Store *store, DeviceInfo device, QObject *parent)
    : CredentialTarget(parent), m_inner(inner), m_store(store), m_device(std::move(device))
{
}

void AuditedTarget::note(const Error &error)
{
    m_problems << error.message;
    qCWarning(lcOnboarding).noquote() << "audit:" << error.message;
}

void AuditedTarget::moveState(const QString &state, const QString &reason)
{
    if (!m_store)
        return;
    auto current = m_store->inventory().get(m_device.id);
    if (current && state != u"provisioning" && !isBenchState(current->state) && state != u"failed")
        return;
    if (auto ok = m_store->inventory().setState(m_device.id, state, reason); !ok)
        note(ok.error());
}

// Each item was read back as it was written; this closes the device's write
// with one record saying all of them were, which is what completes a static
// device's journey (outcome.verify; docs/board.md).
void AuditedTarget::recordVerified()
{
    if (!m_store)
        return;
    int items = 0;
    for (const PlanItem &item : std::as_const(m_plan))
        if (item.source != PlanItem::Source::Unsupported)
            ++items;
    const QJsonObject details{
        {QStringLiteral("items"), items}, {QStringLiteral("profile"), m_device.profile}};
    auto intent = m_store->audit().appendIntent(QStringLiteral("verify"), m_device.id, details);
    if (!intent)
        return note(intent.error());
    auto ok = m_store->audit().appendOutcome(
        *intent, true, QStringLiteral("every item read back equal to what was written"), details);
    if (!ok)
        note(ok.error());
}

void AuditedTarget::begin(std::function<void(Result<void>)> done)
{
    if (m_store) {
        store::InventoryDevice d;
        d.id = m_device.id;
        d.name = m_device.name;
        d.transport = m_device.transport;
        d.transportId = m_device.transportId;
        d.profile = m_device.profile;
        if (auto ok = m_store->inventory().upsert(d); !ok)
            note(ok.error());
        moveState(QStringLiteral("provisioning"));
    }
    m_inner->begin(std::move(done));
}

void AuditedTarget::write(
    const PlanItem &item, const QByteArray &value, std::function<void(ItemOutcome)> done)
{
    qint64 intent = 0;
    if (m_store) {
        auto seq = m_store->audit().appendIntent(
            QStringLiteral("write"), m_device.id, itemDetails(item, m_device.profile));
        if (seq)
            intent = *seq;
        else
            note(seq.error());
    }
    QPointer<AuditedTarget> self(this);
    // The certificate the device will hold, for reports and labels (public;
    // the lambda below holds no value, since some values are keys).
    QString certificateFingerprint;
    if (item.source == PlanItem::Source::IssuedCertificate)
        if (auto cert = crypto::Certificate::parse(value))
            certificateFingerprint = cert->fingerprint();
    m_inner->write(
        item, value, [this, self, item, intent, certificateFingerprint, done](ItemOutcome outcome) {
            if (self && m_store) {
                if (intent > 0) {
                    auto ok = m_store->audit().appendOutcome(intent,
                        outcome.state == ItemOutcome::State::Verified, outcome.detail,
                        QJsonObject{{QStringLiteral("state"), outcomeName(outcome.state)},
                            {QStringLiteral("deviceHolds"), holdsName(outcome.holds)}});
                    if (!ok)
                        note(ok.error());
                }
                if (!certificateFingerprint.isEmpty()
                    && outcome.state == ItemOutcome::State::Verified) {
                    if (auto ok
                        = m_store->inventory().addFingerprint(m_device.id, certificateFingerprint);
                        !ok)
                        note(ok.error());
                }
                if (!m_written && outcome.holds == ItemOutcome::DeviceHolds::New) {
                    m_written = true;
                    moveState(QStringLiteral("credentials-written"));
                }
            }
            if (self && outcome.state != ItemOutcome::State::Verified) {
                m_allVerified = false;
                if (m_firstFailure.isEmpty())
                    m_firstFailure = QStringLiteral("%1: %2").arg(item.label, outcome.detail);
            }
            done(outcome);
        });
}

void AuditedTarget::notWritten(const PlanItem &item, const ItemOutcome &outcome)
{
    m_allVerified = false;
    const QString reason = describeOutcome(item, outcome);
    if (m_firstFailure.isEmpty())
        m_firstFailure = reason;
    if (!m_store)
        return;
    auto ok = m_store->audit().append(QStringLiteral("failure"), m_device.id,
        QJsonObject{{QStringLiteral("item"), item.id}, {QStringLiteral("reason"), reason},
            {QStringLiteral("step"), QStringLiteral("prepare")}});
    if (!ok)
        note(ok.error());
    // Before begin() (nothing written) no end() follows to record the state.
    moveState(QStringLiteral("failed"), m_firstFailure);
}

void AuditedTarget::end(std::function<void(Result<void>)> done)
{
    QPointer<AuditedTarget> self(this);
    m_inner->end([this, self, done](Result<void> ok) {
        if (self) {
            if (!ok && m_firstFailure.isEmpty())
                m_firstFailure = ok.error().message;
            for (const PlanItem &item : std::as_const(m_plan)) {
                if (item.source != PlanItem::Source::Unsupported || item.notApplicable)
                    continue;
                m_allVerified = false;
                if (m_store) {
                    auto ok = m_store->audit().append(QStringLiteral("failure"), m_device.id,
                        QJsonObject{{QStringLiteral("item"), item.id},
                            {QStringLiteral("reason"), item.note}});
                    if (!ok)
                        note(ok.error());
                }
                if (m_firstFailure.isEmpty())
                    m_firstFailure = item.note;
            }
            if (m_allVerified && ok) {
                recordVerified();
                moveState(QStringLiteral("verified"));
            } else if (!m_firstFailure.isEmpty())
                moveState(QStringLiteral("failed"), m_firstFailure);
        }
        done(ok);
    });
}

} // namespace provbench::onboarding
