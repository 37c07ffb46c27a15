#include "app/onboarding/enrollment/devicecertificates.h"

#include "app/storage/store/store.h"

namespace provbench::enrollment {

Result<std::optional<CurrentCertificate>> DeviceCertificates::current(const QString &deviceId) const
{
    auto q = m_store.database().exec(
        QStringLiteral("SELECT device_id, fingerprint, serial, not_after, issued_at FROM "
                       "device_certificates WHERE device_id = ?"),
        {deviceId});
    if (!q)
        return std::unexpected(q.error());
    if (!q->next())
        return std::optional<CurrentCertificate>();
    return std::optional<CurrentCertificate>(
        CurrentCertificate{q->value(0).toString(), q->value(1).toString(), q->value(2).toString(),
            q->value(3).toString(), q->value(4).toString()});
}

Result<void> DeviceCertificates::setCurrent(
    const QString &deviceId, const crypto::Certificate &certificate)
{
    auto q = m_store.database().exec(
        QStringLiteral("INSERT INTO device_certificates (device_id, fingerprint, serial, "
                       "not_after, issued_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (device_id) DO "
                       "UPDATE SET fingerprint = excluded.fingerprint, serial = excluded.serial, "
                       "not_after = excluded.not_after, issued_at = excluded.issued_at"),
        {deviceId, certificate.fingerprint(), certificate.serialHex(),
            certificate.notAfter().toUTC().toString(Qt::ISODateWithMs), store::Database::now()});
    if (!q)
        return std::unexpected(q.error());
    return {};
}

} // namespace provbench::enrollment
