// EstService: the key policy, the profile of a device, and small helpers.
#include "app/onboarding/enrollment/estservice.h"

#include "app/storage/store/store.h"

namespace provbench::enrollment {

std::optional<QString> EstService::keyPolicyViolation(
    const crypto::Key &key, const std::optional<profiles::DynamicSettings> &settings)
{
    if (key.isRsa() && key.bits() < 2048)
        return QStringLiteral("RSA keys under 2048 bits are refused; the CSR has %1.")
            .arg(key.description());
    const std::optional<profiles::KeyAlgorithm> algorithm = key.algorithm();
    if (!algorithm)
        return QStringLiteral("The CSR's key (%1) is not a type ProvBench issues certificates for; "
                              "use EC P-256, EC P-384, Ed25519 or RSA of 2048 bits or more.")
            .arg(key.description());
    if (settings && *algorithm != settings->deviceKey)
        return QStringLiteral("The device's profile allows only %1 keys; the CSR has %2.")
            .arg(profiles::keyAlgorithmLabel(settings->deviceKey), key.description());
    return std::nullopt;
}

std::optional<profiles::DynamicSettings> EstService::settingsFor(const QString &deviceId)
{
    if (!m_options.profileLookup)
        return std::nullopt;
    auto device = m_store.inventory().get(deviceId);
    if (!device || device->profile.isEmpty())
        return std::nullopt;
    const std::optional<profiles::Profile> profile = m_options.profileLookup(device->profile);
    if (!profile || !profile->dynamicSettings())
        return std::nullopt;
    return *profile->dynamicSettings();
}

void EstService::setState(const QString &deviceId, const QString &state, const QString &reason)
{
    if (deviceId.isEmpty())
        return;
    // An unknown device (a claim certificate for a device never listed) has
    // no state to update; the audit record still tells the story.
    auto ok = m_store.inventory().setState(deviceId, state, reason);
    if (!ok && ok.error().code != Error::Code::NotFound)
        qWarning("EST: could not update the inventory state of %s: %s", qUtf8Printable(deviceId),
            qUtf8Printable(ok.error().message));
}

QByteArray EstResponse::toHttp(bool keepAlive) const
{
    return est::httpResponse(status, contentType, body, headers, keepAlive);
}

} // namespace provbench::enrollment
