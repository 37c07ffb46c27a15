#include "app/onboarding/journey/registryjourneyrecorder.h"

#include "app/onboarding/deviceregistry.h"
#include "app/onboarding/journey/journeyevents.h"
#include "app/storage/store/auditlog.h"

#include <QJsonArray>

namespace provbench::journey {

namespace {

DeviceSighting sightingOf(const DeviceRecord &r)
{
    DeviceSighting s;
    s.transport = r.isBle() ? QStringLiteral("ble") : QStringLiteral("serial");
    s.address = r.port.path; // BLE records keep the address there too
    s.name = r.info && !r.info->deviceName.isEmpty() ? r.info->deviceName : r.displayName();
    if (r.info) {
        QJsonObject identity;
        auto put = [&identity](const char *key, const QString &value) {
            if (!value.isEmpty())
                identity.insert(QLatin1StringView(key), value);
        };
        put("firmware", r.info->firmwareName);
        put("firmwareVersion", r.info->firmwareVersion);
        put("hardware", r.info->hardware);
        put("os", r.info->osName);
        s.identity = identity;
    }
    if (!r.protocols.isEmpty())
        s.identity.insert(QStringLiteral("protocols"), QJsonArray::fromStringList(r.protocols));
    return s;
}

} // namespace

RegistryJourneyRecorder::RegistryJourneyRecorder(
    DeviceRegistry *registry, store::AuditLog &log, QObject *parent)
    : QObject(parent), m_registry(registry), m_log(log)
{
}

void RegistryJourneyRecorder::start()
{
    if (!m_registry)
        return;
    connect(m_registry, &DeviceRegistry::deviceAdded, this, &RegistryJourneyRecorder::onAdded);
    connect(m_registry, &DeviceRegistry::deviceChanged, this, &RegistryJourneyRecorder::onChanged);
    for (int row = 0; row < m_registry->count(); ++row)
        onAdded(row);
}

void RegistryJourneyRecorder::onAdded(int row)
{
    const DeviceSession *session = m_registry->at(row);
    if (!session)
        return;
    discovered(session);
    onChanged(row);
}

void RegistryJourneyRecorder::discovered(const DeviceSession *session)
{
    const DeviceRecord &r = session->record();
    check(recordDiscovered(m_log, r.id, sightingOf(r)));
    m_seen.insert(r.id, Seen{});
}

void RegistryJourneyRecorder::onChanged(int row)
{
    const DeviceSession *session = m_registry->at(row);
    if (!session)
        return;
    const QString &id = session->record().id;
    if (!m_seen.contains(id))
        discovered(session); // added before start() connected (cannot happen) or re-added
    Seen &seen = m_seen[id];
    if (session->record().state != seen.state)
        moved(session, seen);
}

void RegistryJourneyRecorder::moved(const DeviceSession *session, Seen &seen)
{
    const DeviceRecord &r = session->record();
    const OnboardingState from = seen.state;
    seen.state = r.state;
    switch (r.state) {
    case OnboardingState::Discovered:
        break;
    case OnboardingState::Identified:
        // A cancelled write returns to Identified too: its outcome is not known.
        if (seen.writeIntent > 0) {
            check(m_log.appendOutcome(seen.writeIntent, false,
                tr("The write was cancelled before the device confirmed it."),
                {{QStringLiteral("reason"), tr("write cancelled")},
                    {QStringLiteral("step"), QStringLiteral("write")}}));
            seen.writeIntent = 0;
        }
        check(recordIdentified(m_log, r.id, sightingOf(r)));
        break;
    case OnboardingState::Provisioning:
        if (seen.writeIntent == 0) {
            const Result<qint64> intent = m_log.appendIntent(
                QStringLiteral("write"), r.id, {{QStringLiteral("item"), QStringLiteral("wifi")}});
            check(intent);
            if (intent)
                seen.writeIntent = *intent;
        }
        break;
    case OnboardingState::Provisioned:
        if (seen.writeIntent > 0) {
            check(m_log.appendOutcome(seen.writeIntent, true,
                tr("Written and confirmed by a fresh state read."),
                {{QStringLiteral("verified"), true}}));
            seen.writeIntent = 0;
        } else if (from != OnboardingState::Provisioned) {
            // Found already provisioned (identified on a device set up earlier).
            const Result<qint64> intent = m_log.appendIntent(QStringLiteral("verify"), r.id);
            check(intent);
            if (intent)
                check(m_log.appendOutcome(
                    *intent, true, tr("The device reports that it is provisioned.")));
        }
        break;
    case OnboardingState::Failed: {
        const QString reason = r.failureReason.isEmpty() ? tr("unknown") : r.failureReason;
        if (seen.writeIntent > 0) {
            check(m_log.appendOutcome(seen.writeIntent, false, reason,
                {{QStringLiteral("reason"), reason},
                    {QStringLiteral("step"), QStringLiteral("write")}}));
            seen.writeIntent = 0;
        } else {
            check(m_log.append(QStringLiteral("failure"), r.id,
                {{QStringLiteral("reason"), reason},
                    {QStringLiteral("step"), QStringLiteral("identify")}}));
        }
        break;
    }
    }
}

template<typename T> void RegistryJourneyRecorder::check(const Result<T> &result)
{
    if (result) {
        ++m_recorded;
        m_failing = false;
        return;
    }
    if (!m_failing)
        emit errorOccurred(result.error());
    m_failing = true;
}

} // namespace provbench::journey
