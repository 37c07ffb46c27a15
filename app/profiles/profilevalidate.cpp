// Value checks for profiles (the structural checks are in profilejson.cpp).
// Every message names what is allowed, so the user can fix the field from the
// message alone.

#include "app/profiles/profilejson.h"
#include "app/profiles/profiletemplate.h"

#include <QHostAddress>
#include <QRegularExpression>
#include <QUrl>

namespace provbench::profiles {

namespace {

class Checker
{
public:
    Issues issues;

    void add(const QString &path, const QString &message) { issues.append(Issue{path, message}); }

    void templ(const QString &path, const QString &text)
    {
        for (const QString &problem : checkTemplate(text))
            add(path, problem);
    }

    bool masked(const QString &path, const Secret &s)
    {
        if (!s.masked)
            return false;
        add(path,
            QStringLiteral("the value was removed when the profile was exported; enter it "
                           "again"));
        return true;
    }

    void length(const QString &path, const QString &text, int min, int max, const QString &what)
    {
        const qsizetype n = text.size();
        if (n < min || n > max)
            add(path,
                min == max
                    ? QStringLiteral("%1 needs exactly %2 characters").arg(what).arg(min)
                    : QStringLiteral("%1 needs %2 to %3 characters").arg(what).arg(min).arg(max));
    }

    void range(const QString &path, int value, int min, int max, const QString &unit)
    {
        if (value < min || value > max)
            add(path,
                QStringLiteral("must be %1 to %2 %3 (is %4)")
                    .arg(min)
                    .arg(max)
                    .arg(unit)
                    .arg(value));
    }

    void url(const QString &path, const QString &text, const QStringList &schemes, bool required)
    {
        if (text.isEmpty()) {
            if (required)
                add(path,
                    QStringLiteral("missing; enter a %1 URL")
                        .arg(schemes.join(QStringLiteral(" or "))));
            return;
        }
        const QUrl u(text, QUrl::StrictMode);
        if (!u.isValid() || u.host().isEmpty()) {
            add(path,
                QStringLiteral("\"%1\" is not a URL with a host; write it like %2://host:port")
                    .arg(text, schemes.first()));
            return;
        }
        if (!schemes.contains(u.scheme()))
            add(path,
                QStringLiteral("the scheme \"%1\" is not allowed here; use %2")
                    .arg(u.scheme(), schemes.join(QStringLiteral(" or "))));
    }

    void hex(const QString &path, const QString &text, int minDigits, int maxDigits)
    {
        static const QRegularExpression re(QStringLiteral("^[0-9A-Fa-f]*$"));
        if (!re.match(text).hasMatch() || text.size() % 2 != 0 || text.size() < minDigits
            || text.size() > maxDigits)
            add(path,
                QStringLiteral("must be an even number of hex digits, %1 to %2 (%3 to %4 bytes)")
                    .arg(minDigits)
                    .arg(maxDigits)
                    .arg(minDigits / 2)
                    .arg(maxDigits / 2));
    }

    void host(const QString &path, const QString &text)
    {
        static const QRegularExpression re(
            QStringLiteral("^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-"
                           "z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$"));
        if (QHostAddress(text).isNull() && !re.match(text).hasMatch())
            add(path, QStringLiteral("\"%1\" is neither an IP address nor a host name").arg(text));
    }
};

// A sample device for checking what templates expand to.
const DeviceVars &sampleDevice()
{
    static const DeviceVars vars{QStringLiteral("SN0001"), QStringLiteral("02:00:00:00:00:01"),
        QStringLiteral("site"), QStringLiteral("device"), 1};
    return vars;
}

QString sampleRandom(int length)
{
    return QString(length, QLatin1Char('a'));
}

void checkNetwork(Checker &c, const Profile &p)
{
    if (const auto &w = p.network.wifi) {
        const qsizetype ssidBytes = w->ssid.toUtf8().size();
        if (ssidBytes < 1 || ssidBytes > 32)
            c.add(QStringLiteral("network.wifi.ssid"),
                QStringLiteral("an SSID has 1 to 32 bytes (this one has %1)").arg(ssidBytes));
        const QString pp = QStringLiteral("network.wifi.passphrase");
        if (!c.masked(pp, w->passphrase)) {
            const QString &pw = w->passphrase.value;
            static const QRegularExpression hex64(QStringLiteral("^[0-9A-Fa-f]{64}$"));
            switch (w->security) {
            case WifiSecurity::Open:
                if (!pw.isEmpty())
                    c.add(pp,
                        QStringLiteral("an open network has no passphrase; remove it or choose "
                                       "wpa2-psk"));
                break;
            case WifiSecurity::Wpa2Psk:
            case WifiSecurity::Wpa2Wpa3:
                if (!hex64.match(pw).hasMatch())
                    c.length(pp, pw, 8, 63, QStringLiteral("WPA2-PSK"));
                break;
            case WifiSecurity::Wpa3Sae:
                c.length(pp, pw, 8, 128, QStringLiteral("WPA3-SAE"));
                break;
            }
        }
    }
    const IpConfig &ip = p.network.ip;
    if (ip.dhcp)
        return;
    const QString ap = QStringLiteral("network.ip.address");
    const QStringList problems = checkTemplate(ip.address);
    for (const QString &problem : problems)
        c.add(ap, problem);
    QHostAddress sample;
    if (problems.isEmpty()) {
        const auto expanded = expandTemplate(ip.address, sampleDevice(), &sampleRandom);
        if (!expanded) {
            c.add(ap, expanded.error().message);
        } else if (!sample.setAddress(*expanded)
            || sample.protocol() != QAbstractSocket::IPv4Protocol) {
            c.add(ap,
                QStringLiteral("\"%1\" (for device 1) is not an IPv4 address; write it like "
                               "192.168.10.{seq+100}")
                    .arg(*expanded));
            sample.clear();
        }
    }
    c.range(
        QStringLiteral("network.ip.prefixLength"), ip.prefixLength, 1, 32, QStringLiteral("bits"));
    if (!ip.gateway.isEmpty()) {
        const QHostAddress gw(ip.gateway);
        if (gw.isNull() || gw.protocol() != QAbstractSocket::IPv4Protocol)
            c.add(QStringLiteral("network.ip.gateway"),
                QStringLiteral("\"%1\" is not an IPv4 address").arg(ip.gateway));
        else if (!sample.isNull() && ip.prefixLength >= 1 && ip.prefixLength <= 32
            && !gw.isInSubnet(sample, ip.prefixLength))
            c.add(QStringLiteral("network.ip.gateway"),
                QStringLiteral(
                    "%1 is outside the device's subnet %2/%3; devices could not reach it")
                    .arg(ip.gateway, sample.toString())
                    .arg(ip.prefixLength));
    }
    for (qsizetype i = 0; i < ip.dns.size(); ++i) {
        if (QHostAddress(ip.dns[i]).isNull())
            c.add(QStringLiteral("network.ip.dns[%1]").arg(i),
                QStringLiteral("\"%1\" is not an IP address; DNS servers are given by address")
                    .arg(ip.dns[i]));
    }
}

void checkStatic(Checker &c, const StaticCredentials &cred)
{
    switch (cred.kind) {
    case StaticCredentialKind::None:
        return;
    case StaticCredentialKind::SharedPsk:
        c.length(QStringLiteral("credentials.identity"), cred.pskIdentity, 1, 128,
            QStringLiteral("a PSK identity"));
        c.templ(QStringLiteral("credentials.identity"), cred.pskIdentity);
        if (!c.masked(QStringLiteral("credentials.psk"), cred.psk))
            c.hex(QStringLiteral("credentials.psk"), cred.psk.value, 32, 128);
        return;
    case StaticCredentialKind::UsernamePassword:
        c.length(QStringLiteral("credentials.username"), cred.username, 1, 128,
            QStringLiteral("a username"));
        c.templ(QStringLiteral("credentials.username"), cred.username);
        if (!c.masked(QStringLiteral("credentials.password"), cred.password)) {
            c.length(QStringLiteral("credentials.password"), cred.password.value, 1, 128,
                QStringLiteral("a password"));
            c.templ(QStringLiteral("credentials.password"), cred.password.value);
        }
        return;
    case StaticCredentialKind::SharedCertificate:
        if (cred.certificateFile.isEmpty())
            c.add(QStringLiteral("credentials.certificate"),
                QStringLiteral("missing; name the certificate's PEM file"));
        if (cred.privateKeyFile.isEmpty())
            c.add(QStringLiteral("credentials.privateKey"),
                QStringLiteral("missing; name the private key's PEM file"));
        return;
    case StaticCredentialKind::BenchCertificate:
        c.range(QStringLiteral("credentials.validityDays"), cred.validityDays, 1, 3650,
            QStringLiteral("days"));
        c.templ(QStringLiteral("credentials.subject"), cred.subject);
        if (!cred.subject.contains(QLatin1String("CN=")))
            c.add(QStringLiteral("credentials.subject"),
                QStringLiteral("needs a common name, e.g. CN={serial}"));
        return;
    }
}

void checkDynamic(Checker &c, const DynamicSettings &d)
{
    switch (d.method) {
    case EnrollmentMethod::Est:
        c.url(QStringLiteral("enrollment.url"), d.est.url, {QStringLiteral("https")}, true);
        if (d.est.trustAnchorFile.isEmpty())
            c.add(QStringLiteral("enrollment.trustAnchor"),
                QStringLiteral("missing; name the PEM file of the CA the device should trust for "
                               "the EST server"));
        c.range(QStringLiteral("enrollment.token.ttlMinutes"), d.est.tokenTtlMinutes, 1, 10080,
            QStringLiteral("minutes"));
        break;
    case EnrollmentMethod::MqttFleet:
        c.url(QStringLiteral("enrollment.broker"), d.mqttFleet.brokerUrl, {QStringLiteral("mqtts")},
            true);
        if (d.mqttFleet.claimCertificateFile.isEmpty())
            c.add(QStringLiteral("enrollment.claimCertificate"),
                QStringLiteral("missing; name the claim certificate's PEM file"));
        if (d.mqttFleet.claimKeyFile.isEmpty())
            c.add(QStringLiteral("enrollment.claimKey"),
                QStringLiteral("missing; name the claim key's PEM file"));
        if (d.mqttFleet.templateName.isEmpty())
            c.add(QStringLiteral("enrollment.template"),
                QStringLiteral("missing; enter the fleet provisioning template name"));
        break;
    case EnrollmentMethod::Lwm2mBootstrap:
        c.url(QStringLiteral("enrollment.serverUri"), d.lwm2m.serverUri, {QStringLiteral("coaps")},
            true);
        c.length(QStringLiteral("enrollment.pskIdentity"), d.lwm2m.pskIdentity, 1, 128,
            QStringLiteral("a PSK identity"));
        c.templ(QStringLiteral("enrollment.pskIdentity"), d.lwm2m.pskIdentity);
        if (!c.masked(QStringLiteral("enrollment.psk"), d.lwm2m.psk)) {
            if (d.lwm2m.psk.value.contains(QLatin1Char('{')))
                c.templ(QStringLiteral("enrollment.psk"), d.lwm2m.psk.value);
            else
                c.hex(QStringLiteral("enrollment.psk"), d.lwm2m.psk.value, 32, 128);
        }
        break;
    }
    c.range(QStringLiteral("certificate.lifetimeDays"), d.certificateLifetimeDays, 1, 3650,
        QStringLiteral("days"));
    if (d.renewBeforeDays < 0 || d.renewBeforeDays >= d.certificateLifetimeDays)
        c.add(QStringLiteral("certificate.renewBeforeDays"),
            QStringLiteral("must be 0 (no automatic renewal) up to %1, less than the lifetime")
                .arg(std::max(0, d.certificateLifetimeDays - 1)));
}

} // namespace

Issues validate(const Profile &p)
{
    Checker c;
    if (p.name.trimmed().isEmpty())
        c.add(QStringLiteral("name"), QStringLiteral("missing; give the profile a name"));
    else
        c.length(QStringLiteral("name"), p.name, 1, 80, QStringLiteral("a name"));
    c.length(QStringLiteral("site"), p.site, 0, 64, QStringLiteral("a site"));
    c.templ(QStringLiteral("naming.hostname"), p.naming.hostname);
    c.templ(QStringLiteral("naming.deviceName"), p.naming.deviceName);
    if (!p.naming.hostname.isEmpty() && checkTemplate(p.naming.hostname).isEmpty()) {
        static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9-]{1,63}$"));
        const auto sample = expandTemplate(p.naming.hostname, sampleDevice(), &sampleRandom);
        if (sample && !re.match(*sample).hasMatch())
            c.add(QStringLiteral("naming.hostname"),
                QStringLiteral("expands to \"%1\"; a hostname has 1 to 63 letters, digits and "
                               "hyphens")
                    .arg(*sample));
    }
    checkNetwork(c, p);
    c.url(QStringLiteral("endpoints.mqtt"), p.endpoints.mqtt,
        {QStringLiteral("mqtts"), QStringLiteral("mqtt")}, false);
    c.url(QStringLiteral("endpoints.https"), p.endpoints.https,
        {QStringLiteral("https"), QStringLiteral("http")}, false);
    c.url(QStringLiteral("endpoints.coap"), p.endpoints.coap,
        {QStringLiteral("coaps"), QStringLiteral("coap")}, false);
    for (qsizetype i = 0; i < p.ntp.size(); ++i)
        c.host(QStringLiteral("ntp[%1]").arg(i), p.ntp[i]);
    if (const StaticSettings *s = p.staticSettings())
        checkStatic(c, s->credentials);
    if (const DynamicSettings *d = p.dynamicSettings())
        checkDynamic(c, *d);
    return c.issues;
}

} // namespace provbench::profiles
