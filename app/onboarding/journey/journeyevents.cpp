#include "app/onboarding/journey/journeyevents.h"

#include "app/storage/store/auditlog.h"

namespace provbench::journey {

namespace {

QJsonObject detailsOf(const DeviceSighting &s)
{
    QJsonObject d;
    if (!s.transport.isEmpty())
        d.insert(QStringLiteral("transport"), s.transport);
    if (!s.address.isEmpty())
        d.insert(QStringLiteral("address"), s.address);
    if (!s.name.isEmpty())
        d.insert(QStringLiteral("name"), s.name);
    if (!s.profileKind.isEmpty())
        d.insert(QStringLiteral("profileKind"), s.profileKind);
    if (!s.identity.isEmpty())
        d.insert(QStringLiteral("identity"), s.identity);
    return d;
}

Result<store::AuditRecord> record(store::AuditLog &log, const QString &kind,
    const QString &deviceId, const DeviceSighting &sighting)
{
    if (deviceId.isEmpty())
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("A '%1' event needs a device id: pass the id the inventory uses for "
                           "the device.")
                .arg(kind));
    return log.append(kind, deviceId, detailsOf(sighting));
}

} // namespace

Result<store::AuditRecord> recordDiscovered(
    store::AuditLog &log, const QString &deviceId, const DeviceSighting &sighting)
{
    return record(log, QStringLiteral("device.discovered"), deviceId, sighting);
}

Result<store::AuditRecord> recordIdentified(
    store::AuditLog &log, const QString &deviceId, const DeviceSighting &sighting)
{
    return record(log, QStringLiteral("device.identified"), deviceId, sighting);
}

} // namespace provbench::journey
