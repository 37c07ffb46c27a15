#include "app/profiles/comparison.h"

#include <optional>

namespace provbench::profiles {

namespace {

// One field's display value in one profile; nullopt when the field is not
// part of that profile's JSON form (another kind, another credential type).
using Value = std::optional<QString>;

struct Field
{
    const char *path;
    const char *label;
    bool secret = false;
};

// Canonical JSON order (docs/profiles.md); labels are for people.
constexpr Field kFields[] = {
    {"schema", "Schema"},
    {"kind", "Kind"},
    {"name", "Name"},
    {"description", "Description"},
    {"site", "Site"},
    {"naming.hostname", "Hostname template"},
    {"naming.deviceName", "Device name template"},
    {"network.wifi.ssid", "Wi-Fi network (SSID)"},
    {"network.wifi.security", "Wi-Fi security"},
    {"network.wifi.passphrase", "Wi-Fi passphrase", true},
    {"network.wifi.hidden", "Hidden network"},
    {"network.ip.mode", "IP addressing"},
    {"network.ip.address", "Static IP address"},
    {"network.ip.prefixLength", "Prefix length"},
    {"network.ip.gateway", "Gateway"},
    {"network.ip.dns", "DNS servers"},
    {"endpoints.mqtt", "MQTT endpoint"},
    {"endpoints.https", "HTTPS endpoint"},
    {"endpoints.coap", "CoAP endpoint"},
    {"ntp", "NTP servers"},
    {"credentials.type", "Credentials"},
    {"credentials.identity", "PSK identity"},
    {"credentials.psk", "Pre-shared key", true},
    {"credentials.username", "Username"},
    {"credentials.password", "Password", true},
    {"credentials.certificate", "Certificate file"},
    {"credentials.privateKey", "Private key file"},
    {"credentials.keyAlgorithm", "Bench key algorithm"},
    {"credentials.validityDays", "Certificate validity (days)"},
    {"credentials.subject", "Certificate subject"},
    {"enrollment.method", "Enrollment method"},
    {"enrollment.url", "EST URL"},
    {"enrollment.trustAnchor", "EST trust anchor"},
    {"enrollment.token.ttlMinutes", "Token lifetime (minutes)"},
    {"enrollment.token.singleUse", "Single-use token"},
    {"enrollment.manualApproval", "Manual approval"},
    {"enrollment.broker", "Fleet broker"},
    {"enrollment.claimCertificate", "Claim certificate"},
    {"enrollment.claimKey", "Claim key"},
    {"enrollment.template", "Fleet template"},
    {"enrollment.topics.request", "Request topic"},
    {"enrollment.topics.response", "Response topic"},
    {"enrollment.serverUri", "LwM2M bootstrap server"},
    {"enrollment.pskIdentity", "Bootstrap PSK identity"},
    {"enrollment.psk", "Bootstrap PSK", true},
    {"deviceKey.algorithm", "Device key algorithm"},
    {"certificate.lifetimeDays", "Certificate lifetime (days)"},
    {"certificate.renewBeforeDays", "Renew before expiry (days)"},
};

QString text(const QString &s)
{
    return s.isEmpty() ? QStringLiteral("(empty)") : s;
}
QString yesNo(bool b)
{
    return b ? QStringLiteral("yes") : QStringLiteral("no");
}
QString list(const QStringList &l)
{
    return l.isEmpty() ? QStringLiteral("(empty)") : l.join(QStringLiteral(", "));
}

// The value behind a path, following the same presence rules as the JSON
// writer. Secrets are returned as the Secret itself by secretAt().
Value valueAt(const Profile &p, QStringView path)
{
    if (path == u"schema")
        return QString(QLatin1String(kSchemaPrefix) + QString::number(kSchemaVersion));
    if (path == u"kind")
        return kindName(p.kind());
    if (path == u"name")
        return text(p.name);
    if (path == u"description")
        return text(p.description);
    if (path == u"site")
        return text(p.site);
    if (path == u"naming.hostname")
        return text(p.naming.hostname);
    if (path == u"naming.deviceName")
        return text(p.naming.deviceName);
    if (path.startsWith(u"network.wifi.")) {
        if (!p.network.wifi)
            return std::nullopt;
        const WifiConfig &w = *p.network.wifi;
        if (path == u"network.wifi.ssid")
            return text(w.ssid);
        if (path == u"network.wifi.security")
            return wifiSecurityLabel(w.security);
        if (path == u"network.wifi.hidden")
            return yesNo(w.hidden);
        return std::nullopt;
    }
    const IpConfig &ip = p.network.ip;
    if (path == u"network.ip.mode")
        return ip.dhcp ? QStringLiteral("DHCP") : QStringLiteral("static");
    if (path.startsWith(u"network.ip.")) {
        if (ip.dhcp)
            return std::nullopt;
        if (path == u"network.ip.address")
            return text(ip.address);
        if (path == u"network.ip.prefixLength")
            return QString::number(ip.prefixLength);
        if (path == u"network.ip.gateway")
            return text(ip.gateway);
        if (path == u"network.ip.dns")
            return list(ip.dns);
        return std::nullopt;
    }
    if (path == u"endpoints.mqtt")
        return text(p.endpoints.mqtt);
    if (path == u"endpoints.https")
        return text(p.endpoints.https);
    if (path == u"endpoints.coap")
        return text(p.endpoints.coap);
    if (path == u"ntp")
        return list(p.ntp);

    if (path.startsWith(u"credentials.")) {
        const StaticSettings *s = p.staticSettings();
        if (!s)
            return std::nullopt;
        const StaticCredentials &c = s->credentials;
        if (path == u"credentials.type")
            return credentialKindLabel(c.kind);
        switch (c.kind) {
        case StaticCredentialKind::None:
            return std::nullopt;
        case StaticCredentialKind::SharedPsk:
            if (path == u"credentials.identity")
                return text(c.pskIdentity);
            return std::nullopt;
        case StaticCredentialKind::UsernamePassword:
            if (path == u"credentials.username")
                return text(c.username);
            return std::nullopt;
        case StaticCredentialKind::SharedCertificate:
            if (path == u"credentials.certificate")
                return text(c.certificateFile);
            if (path == u"credentials.privateKey")
                return text(c.privateKeyFile);
            return std::nullopt;
        case StaticCredentialKind::BenchCertificate:
            if (path == u"credentials.keyAlgorithm")
                return keyAlgorithmLabel(c.keyAlgorithm);
            if (path == u"credentials.validityDays")
                return QString::number(c.validityDays);
            if (path == u"credentials.subject")
                return text(c.subject);
            return std::nullopt;
        }
        return std::nullopt;
    }

    const DynamicSettings *d = p.dynamicSettings();
    if (!d)
        return std::nullopt;
    if (path == u"enrollment.method")
        return enrollmentMethodLabel(d->method);
    if (path == u"deviceKey.algorithm")
        return keyAlgorithmLabel(d->deviceKey);
    if (path == u"certificate.lifetimeDays")
        return QString::number(d->certificateLifetimeDays);
    if (path == u"certificate.renewBeforeDays")
        return QString::number(d->renewBeforeDays);
    switch (d->method) {
    case EnrollmentMethod::Est:
        if (path == u"enrollment.url")
            return text(d->est.url);
        if (path == u"enrollment.trustAnchor")
            return text(d->est.trustAnchorFile);
        if (path == u"enrollment.token.ttlMinutes")
            return QString::number(d->est.tokenTtlMinutes);
        if (path == u"enrollment.token.singleUse")
            return yesNo(d->est.tokenSingleUse);
        if (path == u"enrollment.manualApproval")
            return yesNo(d->est.manualApproval);
        break;
    case EnrollmentMethod::MqttFleet:
        if (path == u"enrollment.broker")
            return text(d->mqttFleet.brokerUrl);
        if (path == u"enrollment.claimCertificate")
            return text(d->mqttFleet.claimCertificateFile);
        if (path == u"enrollment.claimKey")
            return text(d->mqttFleet.claimKeyFile);
        if (path == u"enrollment.template")
            return text(d->mqttFleet.templateName);
        if (path == u"enrollment.topics.request")
            return text(d->mqttFleet.requestTopic);
        if (path == u"enrollment.topics.response")
            return text(d->mqttFleet.responseTopic);
        break;
    case EnrollmentMethod::Lwm2mBootstrap:
        if (path == u"enrollment.serverUri")
            return text(d->lwm2m.serverUri);
        if (path == u"enrollment.pskIdentity")
            return text(d->lwm2m.pskIdentity);
        break;
    }
    return std::nullopt;
}

// The secret behind a secret path, or nullptr where the field is absent.
const Secret *secretAt(const Profile &p, QStringView path)
{
    if (path == u"network.wifi.passphrase")
        return p.network.wifi ? &p.network.wifi->passphrase : nullptr;
    if (const StaticSettings *s = p.staticSettings()) {
        if (path == u"credentials.psk" && s->credentials.kind == StaticCredentialKind::SharedPsk)
            return &s->credentials.psk;
        if (path == u"credentials.password"
            && s->credentials.kind == StaticCredentialKind::UsernamePassword)
            return &s->credentials.password;
    }
    if (const DynamicSettings *d = p.dynamicSettings()) {
        if (path == u"enrollment.psk" && d->method == EnrollmentMethod::Lwm2mBootstrap)
            return &d->lwm2m.psk;
    }
    return nullptr;
}

} // namespace

QList<DiffRow> diffProfiles(const Profile &left, const Profile &right)
{
    QList<DiffRow> rows;
    for (const Field &f : kFields) {
        const QString path = QLatin1String(f.path);
        DiffRow row{path, QLatin1String(f.label), QString(), QString(), false, f.secret};
        if (f.secret) {
            const Secret *l = secretAt(left, path);
            const Secret *r = secretAt(right, path);
            if (!l && !r)
                continue;
            // Only the comparison is shown, never the value: two set secrets
            // read "same" or "differs"; a set one against a missing one differs.
            const bool lSet = l && !l->isEmpty();
            const bool rSet = r && !r->isEmpty();
            row.differs
                = (l == nullptr) != (r == nullptr) || lSet != rSet || (lSet && rSet && !(*l == *r));
            const QString setText
                = row.differs ? QStringLiteral("set (differs)") : QStringLiteral("set (same)");
            if (l)
                row.left = lSet ? setText : QStringLiteral("not set");
            if (r)
                row.right = rSet ? setText : QStringLiteral("not set");
        } else {
            const Value l = valueAt(left, path);
            const Value r = valueAt(right, path);
            if (!l && !r)
                continue;
            row.left = l.value_or(QString());
            row.right = r.value_or(QString());
            row.differs = l != r;
        }
        rows.append(row);
    }
    return rows;
}

} // namespace provbench::profiles
