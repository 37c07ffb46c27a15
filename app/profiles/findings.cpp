#include "app/profiles/findings.h"

#include "app/profiles/profiletemplate.h"

#include <QRegularExpression>

#include <algorithm>

namespace provbench::profiles {

namespace {

// References, verified against the provision texts of ETSI EN 303 645 V2.1.1
// and the OWASP IoT Top 10 (2018); see docs/profiles.md for the wording.
const QString kRefShared = QStringLiteral("ETSI EN 303 645 5.4-4; OWASP IoT Top 10 I1");
const QString kRefSharedPassword
    = QStringLiteral("ETSI EN 303 645 5.1-1, 5.4-4; OWASP IoT Top 10 I1");
const QString kRefOffDevice = QStringLiteral("ETSI EN 303 645 5.5-6, 5.5-8; OWASP IoT Top 10 I7");
const QString kRefRotation = QStringLiteral("ETSI EN 303 645 5.5-8; OWASP IoT Top 10 I8");
const QString kRefCertLifetime
    = QStringLiteral("CA/Browser Forum Baseline Requirements 6.3.2; ETSI EN 303 645 5.5-8");
const QString kRefPlaintext = QStringLiteral("ETSI EN 303 645 5.5-1; OWASP IoT Top 10 I7");
const QString kRefPlaintextSecret
    = QStringLiteral("ETSI EN 303 645 5.5-1, 5.5-7; OWASP IoT Top 10 I7");
const QString kRefCollision = QStringLiteral("RFC 5227 (IPv4 Address Conflict Detection)");
const QString kRefToken = QStringLiteral("ETSI EN 303 645 5.5-8; OWASP IoT Top 10 I3");

Finding make(const char *rule, Severity severity, QString title, QString detail, QString path,
    QString reference)
{
    return Finding{QLatin1String(rule), severity, std::move(title), std::move(detail),
        std::move(path), std::move(reference)};
}

// Passwords that ship as defaults or top every leaked-password list. Kept
// short on purpose: the point is to catch the obvious, not to be a cracker.
constexpr const char *kCommonPasswords[] = {"password", "password1", "password123", "passw0rd",
    "p@ssw0rd", "admin", "admin123", "administrator", "root", "toor", "guest", "user", "default",
    "changeme", "secret", "letmein", "welcome", "welcome1", "qwerty", "qwertyuiop", "iloveyou",
    "trustno1", "abc123", "123456", "12345678", "123456789", "1234567890", "87654321", "11111111",
    "00000000", "88888888", "1q2w3e4r", "raspberry", "ubnt", "support", "service"};

bool isCommonPassword(const QString &text)
{
    const QString lower = text.toLower();
    return std::any_of(std::begin(kCommonPasswords), std::end(kCommonPasswords),
        [&](const char *p) { return lower == QLatin1String(p); });
}

Severity maxSeverity(Severity a, Severity b)
{
    return static_cast<int>(a) >= static_cast<int>(b) ? a : b;
}

// Literal text of a template: placeholders removed, escaped braces kept once.
QString literalPart(const QString &text)
{
    static const QRegularExpression placeholder(QStringLiteral("\\{[^{}]*\\}"));
    QString out = text;
    out.replace(QStringLiteral("{{"), QStringLiteral("\x01"));
    out.replace(QStringLiteral("}}"), QStringLiteral("\x02"));
    out.remove(placeholder);
    out.replace(QLatin1Char('\x01'), QLatin1Char('{'));
    out.replace(QLatin1Char('\x02'), QLatin1Char('}'));
    return out;
}

int randomCharacters(const QString &text)
{
    static const QRegularExpression random(QStringLiteral("\\{random:(\\d+)\\}"));
    int total = 0;
    for (auto it = random.globalMatch(text); it.hasNext();)
        total += it.next().captured(1).toInt();
    return total;
}

bool isPlaintextUrl(const QString &url, QStringView scheme)
{
    return url.trimmed().toLower().startsWith(scheme.toString() + QStringLiteral("://"));
}

} // namespace

PasswordReasons passwordWeakness(const QString &password, const QString &ssid)
{
    PasswordReasons r;
    auto add = [&r](Severity s, const QString &reason) {
        r.reasons.append(reason);
        r.severity = maxSeverity(r.severity, s);
    };
    if (password.isEmpty()) {
        add(Severity::High, QStringLiteral("it is empty"));
        return r;
    }
    const QStringList names = placeholders(password);
    const bool templated = !names.isEmpty();
    const int random = randomCharacters(password);
    const QString literal = literalPart(password);

    // A password built only from what a device tells anyone who asks (serial,
    // MAC, sequence number, name) can be computed by an attacker for any unit.
    static const QStringList identity{QStringLiteral("serial"), QStringLiteral("mac"),
        QStringLiteral("mac6"), QStringLiteral("seq"), QStringLiteral("name")};
    const bool fromIdentity = std::any_of(
        names.cbegin(), names.cend(), [](const QString &n) { return identity.contains(n); });
    if (random == 0 && fromIdentity) {
        r.derivable = true;
        add(Severity::High,
            QStringLiteral("it is derived from device identity (%1) with no random part")
                .arg(names.join(QStringLiteral(", "))));
    }
    if (isCommonPassword(templated ? literal : password)) {
        r.common = true;
        add(Severity::High, QStringLiteral("it is a well-known default or common password"));
    }
    if (!ssid.isEmpty() && password.compare(ssid, Qt::CaseInsensitive) == 0)
        add(Severity::High, QStringLiteral("it equals the Wi-Fi network name"));
    if (!templated) {
        static const QRegularExpression digits(QStringLiteral("^[0-9]+$"));
        if (digits.match(password).hasMatch())
            add(Severity::Medium, QStringLiteral("it contains only digits"));
    }
    // Identity placeholders add length but no secrecy, so they do not count.
    const int effective = int(literal.size()) + random;
    if (effective < kMinPasswordLength && !r.derivable)
        add(Severity::Medium,
            QStringLiteral("it has %1 unpredictable characters; use at least %2")
                .arg(effective)
                .arg(kMinPasswordLength));
    return r;
}

QList<Finding> sharedSecretFindings(const Profile &p)
{
    QList<Finding> out;
    const QString title = QStringLiteral("Secret shared across devices");
    if (const StaticSettings *s = p.staticSettings()) {
        const StaticCredentials &c = s->credentials;
        switch (c.kind) {
        case StaticCredentialKind::SharedPsk:
            out.append(make(kRuleSharedSecret, Severity::High, title,
                QStringLiteral("Every device gets the same pre-shared key; one device opened up "
                               "gives an attacker the key of the whole fleet."),
                QStringLiteral("credentials.psk"), kRefShared));
            break;
        case StaticCredentialKind::UsernamePassword:
            if (!c.password.masked && !c.password.value.isEmpty() && !isPerDevice(c.password.value))
                out.append(make(kRuleSharedSecret, Severity::High, title,
                    QStringLiteral("The password has no per-device placeholder, so every "
                                   "device gets the same one; make it e.g. {random:20}."),
                    QStringLiteral("credentials.password"), kRefSharedPassword));
            break;
        case StaticCredentialKind::SharedCertificate:
            out.append(make(kRuleSharedSecret, Severity::High, title,
                QStringLiteral("The same certificate and private key (%1) go on every device; "
                               "a copy taken from one unit impersonates all of them.")
                    .arg(c.privateKeyFile.isEmpty() ? QStringLiteral("no file chosen yet")
                                                    : c.privateKeyFile),
                QStringLiteral("credentials.privateKey"), kRefShared));
            break;
        case StaticCredentialKind::None:
        case StaticCredentialKind::BenchCertificate:
            break;
        }
    } else if (const DynamicSettings *d = p.dynamicSettings()) {
        if (d->method == EnrollmentMethod::Lwm2mBootstrap && !d->lwm2m.psk.masked
            && !d->lwm2m.psk.value.isEmpty() && !isPerDevice(d->lwm2m.psk.value))
            out.append(make(kRuleSharedSecret, Severity::High, title,
                QStringLiteral("The LwM2M bootstrap PSK is the same on every device; use a "
                               "per-device value such as {random:32}."),
                QStringLiteral("enrollment.psk"), kRefShared));
        if (d->method == EnrollmentMethod::MqttFleet)
            // Shared by design: the claim certificate only asks for a real one.
            // The risk is bounded by what its policy allows.
            out.append(make(kRuleSharedSecret, Severity::Low,
                QStringLiteral("Claim certificate shared by design"),
                QStringLiteral("Every device carries the same claim certificate and key; limit "
                               "its policy to the provisioning topics and template \"%1\", and "
                               "rotate it if a device is lost.")
                    .arg(d->mqttFleet.templateName),
                QStringLiteral("enrollment.claimCertificate"), kRefShared));
    }
    return out;
}

QList<Finding> offDeviceKeyFindings(const Profile &p)
{
    QList<Finding> out;
    const StaticSettings *s = p.staticSettings();
    if (!s)
        return out;
    const QString title = QStringLiteral("Private key made off-device");
    if (s->credentials.kind == StaticCredentialKind::BenchCertificate)
        out.append(make(kRuleOffDeviceKey, Severity::Medium, title,
            QStringLiteral("Each device's %1 key is generated on the bench and written over the "
                           "cable; it exists outside the device and crosses the wire. "
                           "Prefer a key the device generates itself (a CSR).")
                .arg(keyAlgorithmLabel(s->credentials.keyAlgorithm)),
            QStringLiteral("credentials.type"), kRefOffDevice));
    else if (s->credentials.kind == StaticCredentialKind::SharedCertificate)
        out.append(make(kRuleOffDeviceKey, Severity::High, title,
            QStringLiteral("One private key file is copied from the workspace to every device "
                           "over the wire."),
            QStringLiteral("credentials.privateKey"), kRefOffDevice));
    return out;
}

QList<Finding> rotationFindings(const Profile &p)
{
    QList<Finding> out;
    const QString title = QStringLiteral("No expiry or rotation");
    if (const StaticSettings *s = p.staticSettings()) {
        const StaticCredentials &c = s->credentials;
        switch (c.kind) {
        case StaticCredentialKind::SharedPsk:
        case StaticCredentialKind::UsernamePassword:
        case StaticCredentialKind::SharedCertificate:
            out.append(make(kRuleNoRotation, Severity::Medium, title,
                QStringLiteral("%1 credentials have no lifetime and no way to be replaced except "
                               "by commissioning each device again.")
                    .arg(credentialKindLabel(c.kind)),
                QStringLiteral("credentials.type"), kRefRotation));
            break;
        case StaticCredentialKind::BenchCertificate:
            if (c.validityDays > kMaxCertificateDays)
                out.append(make(kRuleNoRotation, Severity::Medium, title,
                    QStringLiteral("Certificates are valid for %1 days (over %2) and cannot be "
                                   "renewed without bringing each device back to the bench.")
                        .arg(c.validityDays)
                        .arg(kMaxCertificateDays),
                    QStringLiteral("credentials.validityDays"), kRefCertLifetime));
            break;
        case StaticCredentialKind::None:
            break;
        }
    } else if (const DynamicSettings *d = p.dynamicSettings()) {
        if (d->renewBeforeDays == 0)
            out.append(make(kRuleNoRotation, Severity::Medium, title,
                QStringLiteral("Automatic renewal is off (renewBeforeDays is 0): certificates "
                               "are never rotated and devices drop off after %1 days.")
                    .arg(d->certificateLifetimeDays),
                QStringLiteral("certificate.renewBeforeDays"), kRefRotation));
        if (d->certificateLifetimeDays > kMaxCertificateDays)
            out.append(make(kRuleNoRotation, Severity::Low,
                QStringLiteral("Certificate lifetime too long"),
                QStringLiteral("Certificates live %1 days (over %2); a stolen key stays useful "
                               "that long unless revocation is checked.")
                    .arg(d->certificateLifetimeDays)
                    .arg(kMaxCertificateDays),
                QStringLiteral("certificate.lifetimeDays"), kRefCertLifetime));
    }
    return out;
}

QList<Finding> weakPasswordFindings(const Profile &p)
{
    QList<Finding> out;
    auto check = [&](const Secret &secret, const QString &ssid, const QString &what,
                     const QString &path) {
        if (secret.masked)
            return; // the value is not here to judge; validation asks for it again
        const PasswordReasons r = passwordWeakness(secret.value, ssid);
        if (r.reasons.isEmpty())
            return;
        QStringList refs;
        if (r.common)
            refs.append(QStringLiteral("5.1-1"));
        if (r.derivable)
            refs.append(QStringLiteral("5.1-2"));
        const QString reference = refs.isEmpty()
            ? QStringLiteral("OWASP IoT Top 10 I1")
            : QStringLiteral("ETSI EN 303 645 %1; OWASP IoT Top 10 I1")
                  .arg(refs.join(QStringLiteral(", ")));
        out.append(make(kRuleWeakPassword, r.severity,
            QStringLiteral("Weak, default or derivable password"),
            QStringLiteral("The %1 is weak: %2.").arg(what, r.reasons.join(QStringLiteral("; "))),
            path, reference));
    };
    if (p.network.wifi && p.network.wifi->security != WifiSecurity::Open)
        check(p.network.wifi->passphrase, p.network.wifi->ssid, QStringLiteral("Wi-Fi passphrase"),
            QStringLiteral("network.wifi.passphrase"));
    if (const StaticSettings *s = p.staticSettings();
        s && s->credentials.kind == StaticCredentialKind::UsernamePassword)
        check(s->credentials.password, QString(), QStringLiteral("device password"),
            QStringLiteral("credentials.password"));
    return out;
}

QList<Finding> plaintextEndpointFindings(const Profile &p)
{
    QList<Finding> out;
    const QString title = QStringLiteral("Plaintext endpoint");
    const StaticSettings *s = p.staticSettings();
    // A password sent to a plaintext service is readable on the network.
    const bool carriesPassword = s && s->credentials.kind == StaticCredentialKind::UsernamePassword;
    auto check = [&](const QString &url, QStringView scheme, QStringView secure,
                     const QString &path, bool secretCrosses) {
        if (!isPlaintextUrl(url, scheme))
            return;
        out.append(
            make(kRulePlaintextEndpoint, secretCrosses ? Severity::High : Severity::Medium, title,
                QStringLiteral("%1 uses %2:// without TLS%3; use %4://.")
                    .arg(url, scheme,
                        secretCrosses ? QStringLiteral(" and credentials cross it in the clear")
                                      : QString(),
                        secure),
                path, secretCrosses ? kRefPlaintextSecret : kRefPlaintext));
    };
    check(p.endpoints.mqtt, u"mqtt", u"mqtts", QStringLiteral("endpoints.mqtt"), carriesPassword);
    check(p.endpoints.https, u"http", u"https", QStringLiteral("endpoints.https"), carriesPassword);
    check(p.endpoints.coap, u"coap", u"coaps", QStringLiteral("endpoints.coap"), carriesPassword);
    if (const DynamicSettings *d = p.dynamicSettings()) {
        switch (d->method) {
        case EnrollmentMethod::Est: {
            // RFC 7030 runs over HTTPS only; anything else exposes the token.
            const QString url = d->est.url.trimmed();
            if (!url.isEmpty() && !url.toLower().startsWith(QStringLiteral("https://")))
                out.append(make(kRulePlaintextEndpoint, Severity::High, title,
                    QStringLiteral("The EST URL %1 is not https://; the enrollment token and the "
                                   "issued certificate would cross unprotected.")
                        .arg(url),
                    QStringLiteral("enrollment.url"), kRefPlaintextSecret));
            break;
        }
        case EnrollmentMethod::MqttFleet:
            check(d->mqttFleet.brokerUrl, u"mqtt", u"mqtts", QStringLiteral("enrollment.broker"),
                true);
            break;
        case EnrollmentMethod::Lwm2mBootstrap:
            check(d->lwm2m.serverUri, u"coap", u"coaps", QStringLiteral("enrollment.serverUri"),
                true);
            break;
        }
    }
    return out;
}

QList<Finding> openWifiFindings(const Profile &p)
{
    if (!p.network.wifi || p.network.wifi->security != WifiSecurity::Open)
        return {};
    return {make(kRuleOpenWifi, Severity::Medium, QStringLiteral("Open Wi-Fi"),
        QStringLiteral("Network \"%1\" has no Wi-Fi security: anyone in range can join it and "
                       "read traffic that is not protected by TLS.")
            .arg(p.network.wifi->ssid),
        QStringLiteral("network.wifi.security"), kRefPlaintext)};
}

QList<Finding> collisionFindings(const Profile &p, int devices)
{
    QList<Finding> out;
    const IpConfig &ip = p.network.ip;
    if (ip.dhcp || ip.address.trimmed().isEmpty() || devices < 1)
        return out;
    const int n = std::min(devices, kMaxSimulatedDevices);
    QList<DeviceVars> fleet;
    fleet.reserve(n);
    for (int seq = 1; seq <= n; ++seq) {
        // Synthetic but distinct identities, so only the template can collide.
        DeviceVars v;
        v.seq = seq;
        v.serial = QStringLiteral("SIM%1").arg(seq, 6, 10, QLatin1Char('0'));
        v.mac = QStringLiteral("0200%1").arg(seq, 8, 16, QLatin1Char('0'));
        v.site = p.site;
        v.name = QStringLiteral("device %1").arg(seq);
        fleet.append(v);
    }
    if (n > 1) {
        const auto collisions
            = findCollisions(QStringLiteral("static IP address"), ip.address, fleet);
        // Template errors are validation's to report; nothing to judge here.
        if (collisions && !collisions->isEmpty()) {
            const Collision &first = collisions->first();
            out.append(make(kRuleIpCollision, Severity::Medium,
                QStringLiteral("Static IP addresses collide"),
                QStringLiteral("Template \"%1\" gives %2 address(es) to more than one of %3 "
                               "devices, e.g. %4 to %5 devices; %6")
                    .arg(ip.address)
                    .arg(collisions->size())
                    .arg(n)
                    .arg(first.value)
                    .arg(first.devices.size())
                    .arg(isPerDevice(ip.address)
                            ? QStringLiteral("widen the range or change the offset.")
                            : QStringLiteral("add a per-device placeholder such as {seq+100}.")),
                QStringLiteral("network.ip.address"), kRefCollision));
        }
    }
    // {seq+100} runs past .255 in a big batch: such a device never comes up.
    static const QRegularExpression quad(
        QStringLiteral("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$"));
    int invalid = 0;
    QString example;
    for (const DeviceVars &v : std::as_const(fleet)) {
        const auto value = expandTemplate(ip.address, v);
        if (!value)
            return out;
        const auto m = quad.match(*value);
        bool ok = m.hasMatch();
        for (int i = 1; ok && i <= 4; ++i)
            ok = m.captured(i).toInt() <= 255;
        if (!ok && invalid++ == 0)
            example = QStringLiteral("%1 for device #%2").arg(*value).arg(v.seq);
    }
    if (invalid > 0)
        out.append(make(kRuleIpOutOfRange, Severity::Medium,
            QStringLiteral("Static IP addresses out of range"),
            QStringLiteral("Template \"%1\" yields %2 invalid IPv4 address(es) among %3 devices, "
                           "first %4.")
                .arg(ip.address)
                .arg(invalid)
                .arg(n)
                .arg(example),
            QStringLiteral("network.ip.address"), kRefCollision));
    return out;
}

QList<Finding> estTokenFindings(const Profile &p)
{
    QList<Finding> out;
    const DynamicSettings *d = p.dynamicSettings();
    if (!d || d->method != EnrollmentMethod::Est)
        return out;
    if (!d->est.tokenSingleUse)
        out.append(
            make(kRuleEstToken, Severity::Medium, QStringLiteral("Enrollment token can be reused"),
                QStringLiteral("Tokens are not single-use: one copied token enrolls any number of "
                               "rogue devices until it expires."),
                QStringLiteral("enrollment.token.singleUse"), kRefToken));
    if (d->est.tokenTtlMinutes > kMaxTokenTtlMinutes)
        out.append(
            make(kRuleEstToken, Severity::Medium, QStringLiteral("Enrollment token lives too long"),
                QStringLiteral("Tokens stay valid for %1 minutes (over 24 h); issue them shortly "
                               "before the device is commissioned.")
                    .arg(d->est.tokenTtlMinutes),
                QStringLiteral("enrollment.token.ttlMinutes"), kRefToken));
    // Manual approval off is fine: a single-use, short-lived token already
    // binds each enrollment to a commissioning step.
    return out;
}

QList<Finding> reusedCredentialFindings(const UsageFacts &usage)
{
    if (usage.reusedCredentials <= 0)
        return {};
    return {Finding{QLatin1String(kRuleReusedCredential), Severity::High,
        QStringLiteral("Credential reused across devices"),
        QStringLiteral("The workspace ledger shows %1 among the %2 device(s) "
                       "provisioned with this profile: one compromised device exposes "
                       "the others. Issue per-device credentials and re-provision "
                       "those devices.")
            .arg(usage.examples.join(QStringLiteral(", ")))
            .arg(usage.devicesProvisioned),
        QStringLiteral("credentials"), kRefShared}};
}

QList<Finding> securityFindings(const Profile &p, int devices)
{
    QList<Finding> all;
    all += sharedSecretFindings(p);
    all += offDeviceKeyFindings(p);
    all += rotationFindings(p);
    all += weakPasswordFindings(p);
    all += plaintextEndpointFindings(p);
    all += openWifiFindings(p);
    all += collisionFindings(p, devices);
    all += estTokenFindings(p);
    return all;
}

} // namespace provbench::profiles
