#include "app/onboarding/provisioningjob.h"

#include "app/core/logging.h"
#include "app/storage/workspace.h"

#include <QDir>
#include <QPointer>

namespace provbench::onboarding {

using namespace profiles;

QString outcomeName(ItemOutcome::State state)
{
    switch (state) {
    case ItemOutcome::State::Pending:
        return QStringLiteral("pending");
    case ItemOutcome::State::Verified:
        return QStringLiteral("verified");
    case ItemOutcome::State::Mismatch:
        return QStringLiteral("mismatch");
    case ItemOutcome::State::Failed:
        return QStringLiteral("failed");
    case ItemOutcome::State::Unsupported:
        return QStringLiteral("unsupported");
    }
    return QString();
}

QString holdsName(ItemOutcome::DeviceHolds holds)
{
    switch (holds) {
    case ItemOutcome::DeviceHolds::Unknown:
        return QStringLiteral("unknown");
    case ItemOutcome::DeviceHolds::Old:
        return QStringLiteral("old value");
    case ItemOutcome::DeviceHolds::New:
        return QStringLiteral("new value");
    case ItemOutcome::DeviceHolds::Nothing:
        return QStringLiteral("nothing");
    }
    return QString();
}

// --- ProfileMaterial -------------------------------------------------------------

ProfileMaterial::ProfileMaterial(Profile profile, QString workspacePath, MaterialProvider *crypto)
    : m_profile(std::move(profile)), m_workspacePath(std::move(workspacePath)), m_crypto(crypto)
{
}

void ProfileMaterial::prepare(std::function<void(Result<void>)> done)
{
    if (m_crypto)
        m_crypto->prepare(std::move(done));
    else
        done({});
}

Result<QByteArray> ProfileMaterial::material(const PlanItem &item, const DeviceVars &device)
{
    DeviceVars vars = device;
    if (vars.site.isEmpty())
        vars.site = m_profile.site;
    switch (item.source) {
    case PlanItem::Source::ProfileValue: {
        // The Improv Wi-Fi item carries the SSID; its material is the
        // passphrase, which is a literal, never a template.
        if (item.target == PlanItem::Target::WifiCredentials)
            return m_profile.network.wifi ? m_profile.network.wifi->passphrase.value.toUtf8()
                                          : QByteArray();
        if (item.id == u"wifi-passphrase")
            return item.profileValue.toUtf8();
        auto v = expandTemplate(item.profileValue, vars);
        if (!v)
            return fail(
                v.error().code, QStringLiteral("%1: %2").arg(item.label, v.error().message));
        return v->toUtf8();
    }
    case PlanItem::Source::TrustAnchorFile: {
        const QString path = QDir(m_workspacePath).absoluteFilePath(item.file);
        auto bytes = Workspace::readFile(path);
        if (!bytes)
            return fail(bytes.error().code,
                QStringLiteral("%1: %2 Put the file in the workspace or fix the path in "
                               "the profile.")
                    .arg(item.label, bytes.error().message));
        return *bytes;
    }
    case PlanItem::Source::GeneratedKey:
    case PlanItem::Source::IssuedCertificate:
    case PlanItem::Source::CaCertificate:
        if (!m_crypto)
            return fail(Error::Code::Unsupported,
                QStringLiteral("%1 needs the workspace CA: unlock the vault (set "
                               "$PROVBENCH_PASSPHRASE) and create the CA with 'provbench-cli "
                               "ca init'.")
                    .arg(item.label));
        return m_crypto->material(item, vars);
    case PlanItem::Source::EnrollmentToken:
    case PlanItem::Source::DeviceId:
        return fail(Error::Code::Unsupported,
            QStringLiteral("%1 comes from the enrollment service: provision with the workspace "
                           "store open (provbench-cli provision opens it by default).")
                .arg(item.label));
    case PlanItem::Source::Unsupported:
        break;
    }
    return fail(Error::Code::Unsupported, item.note);
}

QString describeOutcome(const PlanItem &item, const ItemOutcome &outcome)
{
    if (outcome.detail.startsWith(item.label))
        return outcome.detail;
    return QStringLiteral("%1: %2").arg(item.label, outcome.detail);
}

// --- ProvisioningJob ---------------------------------------------------------------

ProvisioningJob::ProvisioningJob(QList<PlanItem> plan, CredentialTarget *target,
    MaterialProvider *material, DeviceVars device, QObject *parent)
    : QObject(parent),
      m_plan(std::move(plan)),
      m_outcomes(m_plan.size()),
      m_target(target),
      m_material(material),
      m_device(std::move(device))
{
}

void ProvisioningJob::start()
{
    QPointer<ProvisioningJob> self(this);
    auto failAll = [this](const Error &error) {
        for (ItemOutcome &o : m_outcomes)
            o = ItemOutcome{ItemOutcome::State::Failed, ItemOutcome::DeviceHolds::Old,
                QStringLiteral("not attempted: %1").arg(error.message), false};
        m_finished = true;
        Q_EMIT finished(false, error.message);
    };
    // Material first (a key may take seconds), then the device.
    m_material->prepare([this, self, failAll](Result<void> prepared) {
        if (!self)
            return;
        if (!prepared)
            return failAll(prepared.error());
        if (!makeValues())
            return;
        m_target->begin([this, self, failAll](Result<void> ok) {
            if (!self)
                return;
            if (!ok)
                return failAll(ok.error());
            next();
        });
    });
}

void ProvisioningJob::next()
{
    ++m_index;
    if (m_index >= m_plan.size()) {
        m_target->end([this](Result<void> ok) { finish(ok ? QString() : ok.error().message); });
        return;
    }
    const PlanItem &item = m_plan[m_index];
    Q_EMIT itemStarted(m_index);
    auto conclude = [this](ItemOutcome outcome) {
        m_outcomes[m_index] = outcome;
        Q_EMIT itemFinished(m_index, outcome);
        // Schedule the next step from the event loop: targets answer from
        // their own callbacks and the stack should not grow per item.
        QMetaObject::invokeMethod(this, &ProvisioningJob::next, Qt::QueuedConnection);
    };
    if (item.source == PlanItem::Source::Unsupported) {
        conclude(
            ItemOutcome{ItemOutcome::State::Unsupported, ItemOutcome::DeviceHolds::Old, item.note});
        return;
    }
    if (m_linkLost) {
        const ItemOutcome skipped{ItemOutcome::State::Failed, ItemOutcome::DeviceHolds::Old,
            QStringLiteral("not attempted: the connection to the device was lost")};
        m_target->notWritten(item, skipped);
        conclude(skipped);
        return;
    }
    const QByteArray value = m_values.value(m_index);
    m_target->write(item, value, [this, conclude](ItemOutcome outcome) {
        // A lost link fails the rest quickly instead of timing out per item.
        m_linkLost = m_linkLost || outcome.linkLost;
        m_values[m_index].fill('\0');
        m_values[m_index].clear();
        conclude(outcome);
    });
}

bool ProvisioningJob::makeValues()
{
    m_values = QList<QByteArray>(m_plan.size());
    for (qsizetype i = 0; i < m_plan.size(); ++i) {
        const PlanItem &item = m_plan[i];
        if (item.source == PlanItem::Source::Unsupported)
            continue;
        auto value = m_material->material(item, m_device);
        if (value) {
            m_values[i] = *value;
            continue;
        }
        wipeValues();
        const ItemOutcome failed{
            ItemOutcome::State::Failed, ItemOutcome::DeviceHolds::Old, value.error().message};
        for (qsizetype j = 0; j < m_plan.size(); ++j)
            m_outcomes[j] = j == i
                ? failed
                : ItemOutcome{ItemOutcome::State::Failed, ItemOutcome::DeviceHolds::Old,
                    QStringLiteral("not attempted: nothing was written, since "
                                   "%1 could not be made")
                        .arg(item.label)};
        m_target->notWritten(item, failed);
        m_finished = true;
        Q_EMIT finished(
            false, QStringLiteral("Nothing was written: %1").arg(describeOutcome(item, failed)));
        return false;
    }
    return true;
}

void ProvisioningJob::wipeValues()
{
    for (QByteArray &v : m_values) {
        v.fill('\0');
        v.clear();
    }
}

void ProvisioningJob::finish(const QString &problem)
{
    if (m_finished)
        return;
    m_finished = true;
    int verified = 0, failed = 0, unsupported = 0, notApplicable = 0;
    for (qsizetype i = 0; i < m_outcomes.size(); ++i) {
        const ItemOutcome &o = m_outcomes[i];
        if (o.state == ItemOutcome::State::Verified)
            ++verified;
        else if (o.state == ItemOutcome::State::Unsupported)
            ++(m_plan[i].notApplicable ? notApplicable : unsupported);
        else
            ++failed;
    }
    QString message = QStringLiteral("%1 item(s) written and verified").arg(verified);
    if (failed)
        message += QStringLiteral(", %1 failed").arg(failed);
    if (unsupported)
        message += QStringLiteral(", %1 not supported over %2")
                       .arg(unsupported)
                       .arg(protocolName(m_target->protocol()));
    if (notApplicable)
        message += QStringLiteral(", %1 not applicable to this device").arg(notApplicable);
    if (!problem.isEmpty())
        message += QStringLiteral("; finishing the session failed: %1").arg(problem);
    qCInfo(lcOnboarding).noquote() << "provisioning finished:" << message;
    // Items the device cannot take count against success: the profile does not
    // fit this device, and the user must know it is not fully provisioned.
    Q_EMIT finished(failed == 0 && unsupported == 0 && problem.isEmpty() && verified > 0,
        message + QLatin1Char('.'));
}

} // namespace provbench::onboarding
