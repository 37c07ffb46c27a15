#include "app/onboarding/credentialplan.h"

namespace provbench::onboarding {

using namespace profiles;

QString protocolName(DeviceProtocol protocol)
{
    switch (protocol) {
    case DeviceProtocol::Improv:
        return QStringLiteral("Improv Wi-Fi");
    case DeviceProtocol::Smp:
        return QStringLiteral("MCUmgr SMP");
    case DeviceProtocol::Nrf91At:
        return QStringLiteral("nRF91 AT%CMNG");
    }
    return QString();
}

namespace {

using Source = PlanItem::Source;
using Target = PlanItem::Target;

PlanItem makeItem(const QString &id, const QString &label, Source source = Source::ProfileValue)
{
    PlanItem item;
    item.id = id;
    item.label = label;
    item.source = source;
    return item;
}

// Collects items for one protocol; each add* knows how that protocol carries
// one kind of value, or plans it Unsupported with the reason.
class Planner
{
public:
    Planner(DeviceProtocol protocol, const PlanOptions &options)
        : m_protocol(protocol), m_options(options)
    {
    }

    QList<PlanItem> items;

    void value(const QString &id, const QString &label, const QString &text, bool secret,
        const QString &settingKey)
    {
        if (text.isEmpty())
            return;
        PlanItem item = makeItem(id, label);
        item.profileValue = text;
        item.secret = secret;
        if (m_protocol == DeviceProtocol::Smp) {
            item.target = Target::Setting;
            item.settingKey = QStringLiteral("provbench/") + settingKey;
        } else {
            unsupported(item,
                QStringLiteral("%1 has no place for this setting").arg(protocolName(m_protocol)));
        }
        items.append(item);
    }

    // A PEM object: a file on SMP devices, a sec_tag entry on nRF91.
    void pem(const QString &id, const QString &label, Source source, const QString &file,
        const QString &remoteName, int cmngType, bool secret)
    {
        PlanItem item = makeItem(id, label, source);
        item.file = file;
        item.secret = secret;
        switch (m_protocol) {
        case DeviceProtocol::Smp:
            item.target = Target::File;
            item.remotePath = QStringLiteral("/lfs/provbench/") + remoteName;
            break;
        case DeviceProtocol::Nrf91At:
            item.target = Target::SecTag;
            item.secTag = m_options.secTag;
            item.cmngType = cmngType;
            break;
        case DeviceProtocol::Improv:
            unsupported(item,
                QStringLiteral("Improv Wi-Fi carries Wi-Fi settings only; write "
                               "certificates and keys over SMP or AT%CMNG"));
            break;
        }
        items.append(item);
    }

    // A PSK and its identity: settings on SMP, sec_tag types 3 and 4 on nRF91.
    void psk(const QString &idPrefix, const QString &identity, const QString &key)
    {
        for (const auto &[id, label, text, type, secret] :
            {std::tuple{QString(idPrefix + QStringLiteral("-identity")),
                 QStringLiteral("PSK identity"), identity, 4, false},
                std::tuple{idPrefix, QStringLiteral("Pre-shared key"), key, 3, true}}) {
            PlanItem item = makeItem(id, label);
            item.profileValue = text;
            item.secret = secret;
            if (m_protocol == DeviceProtocol::Smp) {
                item.target = Target::Setting;
                item.settingKey = QStringLiteral("provbench/") + id;
            } else if (m_protocol == DeviceProtocol::Nrf91At) {
                item.target = Target::SecTag;
                item.secTag = m_options.secTag;
                item.cmngType = type;
            } else {
                unsupported(item, QStringLiteral("Improv Wi-Fi carries Wi-Fi settings only"));
            }
            items.append(item);
        }
    }

    void unsupported(PlanItem &item, const QString &why)
    {
        item.source = Source::Unsupported;
        item.note = why + QLatin1Char('.');
    }

private:
    DeviceProtocol m_protocol;
    PlanOptions m_options;
};

void planNetwork(Planner &pl, const Profile &p, DeviceProtocol protocol)
{
    if (const auto &w = p.network.wifi) {
        if (protocol == DeviceProtocol::Improv) {
            PlanItem item
                = makeItem(QStringLiteral("wifi"), QStringLiteral("Wi-Fi network and passphrase"));
            item.target = Target::WifiCredentials;
            item.profileValue = w->ssid;
            item.secret = true; // carries the passphrase
            pl.items.append(item);
        } else if (protocol == DeviceProtocol::Smp) {
            pl.value(QStringLiteral("wifi-ssid"), QStringLiteral("Wi-Fi SSID"), w->ssid, false,
                QStringLiteral("wifi/ssid"));
            pl.value(QStringLiteral("wifi-security"), QStringLiteral("Wi-Fi security"),
                wifiSecurityName(w->security), false, QStringLiteral("wifi/security"));
            pl.value(QStringLiteral("wifi-passphrase"), QStringLiteral("Wi-Fi passphrase"),
                w->passphrase.value, true, QStringLiteral("wifi/psk"));
        } else {
            PlanItem item
                = makeItem(QStringLiteral("wifi"), QStringLiteral("Wi-Fi network and passphrase"));
            pl.unsupported(item,
                QStringLiteral("an nRF91 modem connects over LTE-M/NB-IoT, not "
                               "Wi-Fi"));
            item.notApplicable = true;
            pl.items.append(item);
        }
    }
    if (!p.network.ip.dhcp && protocol == DeviceProtocol::Smp) {
        pl.value(QStringLiteral("ip-address"), QStringLiteral("Static IP address"),
            p.network.ip.address, false, QStringLiteral("net/ipv4"));
        pl.value(QStringLiteral("ip-prefix"), QStringLiteral("Prefix length"),
            QString::number(p.network.ip.prefixLength), false, QStringLiteral("net/prefix"));
        pl.value(QStringLiteral("ip-gateway"), QStringLiteral("Gateway"), p.network.ip.gateway,
            false, QStringLiteral("net/gateway"));
        pl.value(QStringLiteral("ip-dns"), QStringLiteral("DNS servers"),
            p.network.ip.dns.join(QLatin1Char(',')), false, QStringLiteral("net/dns"));
    }
}

void planNames(Planner &pl, const Profile &p, DeviceProtocol protocol)
{
    if (protocol == DeviceProtocol::Improv) {
        for (const auto &[id, label, text, target] :
            {std::tuple{QStringLiteral("hostname"), QStringLiteral("Hostname"), p.naming.hostname,
                 Target::Hostname},
                std::tuple{QStringLiteral("device-name"), QStringLiteral("Device name"),
                    p.naming.deviceName, Target::DeviceName}}) {
            if (text.isEmpty())
                continue;
            PlanItem item = makeItem(id, label);
            item.target = target;
            item.profileValue = text;
            pl.items.append(item);
        }
        return;
    }
    if (protocol == DeviceProtocol::Smp) {
        pl.value(QStringLiteral("hostname"), QStringLiteral("Hostname"), p.naming.hostname, false,
            QStringLiteral("net/hostname"));
        pl.value(QStringLiteral("device-name"), QStringLiteral("Device name"), p.naming.deviceName,
            false, QStringLiteral("device/name"));
    }
}

void planEndpoints(Planner &pl, const Profile &p, DeviceProtocol protocol)
{
    if (protocol != DeviceProtocol::Smp)
        return; // Improv has no place for them; an nRF91 application keeps its own configuration
    pl.value(QStringLiteral("mqtt-url"), QStringLiteral("MQTT broker"), p.endpoints.mqtt, false,
        QStringLiteral("mqtt/url"));
    pl.value(QStringLiteral("https-url"), QStringLiteral("HTTPS endpoint"), p.endpoints.https,
        false, QStringLiteral("https/url"));
    pl.value(QStringLiteral("coap-url"), QStringLiteral("CoAP endpoint"), p.endpoints.coap, false,
        QStringLiteral("coap/url"));
    pl.value(QStringLiteral("ntp"), QStringLiteral("NTP servers"), p.ntp.join(QLatin1Char(',')),
        false, QStringLiteral("ntp/servers"));
}

void planStaticCredentials(Planner &pl, const StaticCredentials &c)
{
    switch (c.kind) {
    case StaticCredentialKind::None:
        return;
    case StaticCredentialKind::SharedPsk:
        pl.psk(QStringLiteral("psk"), c.pskIdentity, c.psk.value);
        return;
    case StaticCredentialKind::UsernamePassword:
        pl.value(QStringLiteral("username"), QStringLiteral("Username"), c.username, false,
            QStringLiteral("auth/username"));
        pl.value(QStringLiteral("password"), QStringLiteral("Password"), c.password.value, true,
            QStringLiteral("auth/password"));
        return;
    case StaticCredentialKind::SharedCertificate:
        pl.pem(QStringLiteral("client-cert"), QStringLiteral("Client certificate (shared)"),
            Source::TrustAnchorFile, c.certificateFile, QStringLiteral("client.crt"), 1, false);
        pl.pem(QStringLiteral("client-key"), QStringLiteral("Client private key (shared)"),
            Source::TrustAnchorFile, c.privateKeyFile, QStringLiteral("client.key"), 2, true);
        return;
    case StaticCredentialKind::BenchCertificate:
        pl.pem(QStringLiteral("ca-cert"), QStringLiteral("Workspace CA certificate"),
            Source::CaCertificate, {}, QStringLiteral("ca.crt"), 0, false);
        pl.pem(QStringLiteral("client-cert"), QStringLiteral("Client certificate"),
            Source::IssuedCertificate, {}, QStringLiteral("client.crt"), 1, false);
        pl.pem(QStringLiteral("client-key"), QStringLiteral("Client private key"),
            Source::GeneratedKey, {}, QStringLiteral("client.key"), 2, true);
        return;
    }
}

// The EST bootstrap: where to enroll, whom to trust, who the device is and
// its one-time token. The token goes last, so a device that starts enrolling
// once its settings are saved finds everything else in place. Improv carries
// Wi-Fi only: every bootstrap item is planned Unsupported with that reason.
void planEst(Planner &pl, const DynamicSettings &d, DeviceProtocol protocol)
{
    const qsizetype first = pl.items.size();
    pl.value(QStringLiteral("est-url"), QStringLiteral("EST server"), d.est.url, false,
        QStringLiteral("est/url"));
    pl.pem(QStringLiteral("trust-anchor"), QStringLiteral("EST trust anchor"),
        Source::TrustAnchorFile, d.est.trustAnchorFile, QStringLiteral("est-ca.crt"), 0, false);
    PlanItem id = makeItem(
        QStringLiteral("est-id"), QStringLiteral("Device id for enrollment"), Source::DeviceId);
    PlanItem token = makeItem(QStringLiteral("est-token"),
        QStringLiteral("One-time enrollment token"), Source::EnrollmentToken);
    token.secret = true;
    if (protocol == DeviceProtocol::Smp) {
        id.settingKey = QStringLiteral("provbench/est/id");
        token.settingKey = QStringLiteral("provbench/est/token");
        pl.items.append(id);
        pl.value(QStringLiteral("device-key"), QStringLiteral("Key algorithm for the device"),
            keyAlgorithmName(d.deviceKey), false, QStringLiteral("enroll/key"));
        pl.items.append(token);
        return;
    }
    pl.unsupported(id,
        QStringLiteral("%1 has no place for the enrollment bootstrap").arg(protocolName(protocol)));
    pl.unsupported(token,
        QStringLiteral("%1 has no place for the enrollment bootstrap").arg(protocolName(protocol)));
    pl.items.append(id);
    pl.items.append(token);
    if (protocol == DeviceProtocol::Improv) {
        for (qsizetype i = first; i < pl.items.size(); ++i) {
            pl.items[i].source = Source::Unsupported;
            pl.items[i].note = QStringLiteral(
                "The device cannot receive the EST bootstrap over Improv Wi-Fi, which carries "
                "Wi-Fi settings only: the Wi-Fi part is written, but the device will not enroll "
                "until it gets the EST URL, trust anchor and token another way (MCUmgr SMP).");
        }
    }
}

void planEnrollment(Planner &pl, const DynamicSettings &d, DeviceProtocol protocol)
{
    switch (d.method) {
    case EnrollmentMethod::Est:
        planEst(pl, d, protocol);
        return;
    case EnrollmentMethod::MqttFleet:
        pl.value(QStringLiteral("fleet-broker"), QStringLiteral("Fleet provisioning broker"),
            d.mqttFleet.brokerUrl, false, QStringLiteral("fleet/broker"));
        pl.value(QStringLiteral("fleet-template"), QStringLiteral("Fleet template"),
            d.mqttFleet.templateName, false, QStringLiteral("fleet/template"));
        pl.pem(QStringLiteral("claim-cert"), QStringLiteral("Claim certificate"),
            Source::TrustAnchorFile, d.mqttFleet.claimCertificateFile, QStringLiteral("claim.crt"),
            1, false);
        pl.pem(QStringLiteral("claim-key"), QStringLiteral("Claim private key"),
            Source::TrustAnchorFile, d.mqttFleet.claimKeyFile, QStringLiteral("claim.key"), 2,
            true);
        break;
    case EnrollmentMethod::Lwm2mBootstrap:
        pl.value(QStringLiteral("lwm2m-server"), QStringLiteral("LwM2M bootstrap server"),
            d.lwm2m.serverUri, false, QStringLiteral("lwm2m/bootstrap"));
        pl.psk(QStringLiteral("lwm2m-psk"), d.lwm2m.pskIdentity, d.lwm2m.psk.value);
        break;
    }
    if (protocol == DeviceProtocol::Smp)
        pl.value(QStringLiteral("device-key"), QStringLiteral("Key algorithm for the device"),
            keyAlgorithmName(d.deviceKey), false, QStringLiteral("enroll/key"));
}

} // namespace

QList<PlanItem> planCredentials(
    const Profile &profile, DeviceProtocol protocol, const PlanOptions &options)
{
    Planner pl(protocol, options);
    planNetwork(pl, profile, protocol);
    planNames(pl, profile, protocol);
    planEndpoints(pl, profile, protocol);
    if (const StaticSettings *s = profile.staticSettings())
        planStaticCredentials(pl, s->credentials);
    if (const DynamicSettings *d = profile.dynamicSettings())
        planEnrollment(pl, *d, protocol);
    return pl.items;
}

} // namespace provbench::onboarding
