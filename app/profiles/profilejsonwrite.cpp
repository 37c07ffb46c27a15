// Writing profiles: the canonical JSON form, with secrets included or masked.

#include "app/profiles/profilejson.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace provbench::profiles {

// --- writing ------------------------------------------------------------------

namespace {

QJsonValue secretValue(const Secret &s, SecretPolicy policy)
{
    if (s.masked || (policy == SecretPolicy::Mask && !s.value.isEmpty()))
        return QLatin1String(kMaskedSecret);
    return s.value;
}

} // namespace

QJsonObject toJsonObject(const Profile &p, SecretPolicy secrets)
{
    QJsonObject root;
    root.insert(QStringLiteral("schema"),
        QString(QLatin1String(kSchemaPrefix) + QString::number(kSchemaVersion)));
    root.insert(QStringLiteral("kind"), kindName(p.kind()));
    root.insert(QStringLiteral("name"), p.name);
    root.insert(QStringLiteral("description"), p.description);
    root.insert(QStringLiteral("site"), p.site);
    root.insert(QStringLiteral("naming"),
        QJsonObject{{QStringLiteral("hostname"), p.naming.hostname},
            {QStringLiteral("deviceName"), p.naming.deviceName}});
    QJsonObject net;
    if (p.network.wifi) {
        const WifiConfig &w = *p.network.wifi;
        net.insert(QStringLiteral("wifi"),
            QJsonObject{{QStringLiteral("ssid"), w.ssid},
                {QStringLiteral("security"), wifiSecurityName(w.security)},
                {QStringLiteral("passphrase"), secretValue(w.passphrase, secrets)},
                {QStringLiteral("hidden"), w.hidden}});
    }
    if (p.network.ip.dhcp)
        net.insert(
            QStringLiteral("ip"), QJsonObject{{QStringLiteral("mode"), QStringLiteral("dhcp")}});
    else
        net.insert(QStringLiteral("ip"),
            QJsonObject{{QStringLiteral("mode"), QStringLiteral("static")},
                {QStringLiteral("address"), p.network.ip.address},
                {QStringLiteral("prefixLength"), p.network.ip.prefixLength},
                {QStringLiteral("gateway"), p.network.ip.gateway},
                {QStringLiteral("dns"), QJsonArray::fromStringList(p.network.ip.dns)}});
    root.insert(QStringLiteral("network"), net);
    root.insert(QStringLiteral("endpoints"),
        QJsonObject{{QStringLiteral("mqtt"), p.endpoints.mqtt},
            {QStringLiteral("https"), p.endpoints.https},
            {QStringLiteral("coap"), p.endpoints.coap}});
    root.insert(QStringLiteral("ntp"), QJsonArray::fromStringList(p.ntp));

    if (const StaticSettings *s = p.staticSettings()) {
        const StaticCredentials &c = s->credentials;
        QJsonObject cred{{QStringLiteral("type"), credentialKindName(c.kind)}};
        switch (c.kind) {
        case StaticCredentialKind::None:
            break;
        case StaticCredentialKind::SharedPsk:
            cred.insert(QStringLiteral("identity"), c.pskIdentity);
            cred.insert(QStringLiteral("psk"), secretValue(c.psk, secrets));
            break;
        case StaticCredentialKind::UsernamePassword:
            cred.insert(QStringLiteral("username"), c.username);
            cred.insert(QStringLiteral("password"), secretValue(c.password, secrets));
            break;
        case StaticCredentialKind::SharedCertificate:
            cred.insert(QStringLiteral("certificate"), c.certificateFile);
            cred.insert(QStringLiteral("privateKey"), c.privateKeyFile);
            break;
        case StaticCredentialKind::BenchCertificate:
            cred.insert(QStringLiteral("keyAlgorithm"), keyAlgorithmName(c.keyAlgorithm));
            cred.insert(QStringLiteral("validityDays"), c.validityDays);
            cred.insert(QStringLiteral("subject"), c.subject);
            break;
        }
        root.insert(QStringLiteral("credentials"), cred);
    } else if (const DynamicSettings *d = p.dynamicSettings()) {
        QJsonObject e{{QStringLiteral("method"), enrollmentMethodName(d->method)}};
        switch (d->method) {
        case EnrollmentMethod::Est:
            e.insert(QStringLiteral("url"), d->est.url);
            e.insert(QStringLiteral("trustAnchor"), d->est.trustAnchorFile);
            e.insert(QStringLiteral("token"),
                QJsonObject{{QStringLiteral("ttlMinutes"), d->est.tokenTtlMinutes},
                    {QStringLiteral("singleUse"), d->est.tokenSingleUse}});
            e.insert(QStringLiteral("manualApproval"), d->est.manualApproval);
            break;
        case EnrollmentMethod::MqttFleet:
            e.insert(QStringLiteral("broker"), d->mqttFleet.brokerUrl);
            e.insert(QStringLiteral("claimCertificate"), d->mqttFleet.claimCertificateFile);
            e.insert(QStringLiteral("claimKey"), d->mqttFleet.claimKeyFile);
            e.insert(QStringLiteral("template"), d->mqttFleet.templateName);
            e.insert(QStringLiteral("topics"),
                QJsonObject{{QStringLiteral("request"), d->mqttFleet.requestTopic},
                    {QStringLiteral("response"), d->mqttFleet.responseTopic}});
            break;
        case EnrollmentMethod::Lwm2mBootstrap:
            e.insert(QStringLiteral("serverUri"), d->lwm2m.serverUri);
            e.insert(QStringLiteral("pskIdentity"), d->lwm2m.pskIdentity);
            e.insert(QStringLiteral("psk"), secretValue(d->lwm2m.psk, secrets));
            break;
        }
        root.insert(QStringLiteral("enrollment"), e);
        root.insert(QStringLiteral("deviceKey"),
            QJsonObject{{QStringLiteral("algorithm"), keyAlgorithmName(d->deviceKey)}});
        root.insert(QStringLiteral("certificate"),
            QJsonObject{{QStringLiteral("lifetimeDays"), d->certificateLifetimeDays},
                {QStringLiteral("renewBeforeDays"), d->renewBeforeDays}});
    }
    return root;
}

QByteArray toJson(const Profile &profile, SecretPolicy secrets)
{
    return QJsonDocument(toJsonObject(profile, secrets)).toJson(QJsonDocument::Indented);
}

QString describe(const Issues &issues)
{
    QStringList lines;
    for (const Issue &i : issues)
        lines.append(i.toString());
    return lines.join(QLatin1Char('\n'));
}

} // namespace provbench::profiles
