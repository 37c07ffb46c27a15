#pragma once

#include "app/profiles/comparison.h"

#include <QMetaType>

// Profiles for the comparison tests, built in code from defaultProfile() so
// the tests do not depend on the JSON parser. Each starts free of findings;
// rows edit one thing and look at what changes.
namespace fixtures {

using namespace provbench::profiles;

inline Profile cleanStatic()
{
    Profile p = defaultProfile(ProfileKind::Static);
    p.name = QStringLiteral("Static clean");
    p.site = QStringLiteral("office");
    p.network.wifi->ssid = QStringLiteral("Office-IoT");
    p.network.wifi->passphrase.value = QStringLiteral("river-stone-lantern-88");
    p.endpoints.mqtt = QStringLiteral("mqtts://broker.example.net:8883");
    return p;
}

inline Profile cleanDynamic()
{
    Profile p = defaultProfile(ProfileKind::Dynamic);
    p.name = QStringLiteral("EST onboarding");
    p.site = QStringLiteral("office");
    p.network.wifi->ssid = QStringLiteral("Office-IoT");
    p.network.wifi->passphrase.value = QStringLiteral("river-stone-lantern-88");
    p.endpoints.mqtt = QStringLiteral("mqtts://broker.example.net:8883");
    p.dynamicSettings()->est.trustAnchorFile = QStringLiteral("ca/workspace-ca.pem");
    return p;
}

inline Profile sharedPsk()
{
    Profile p = cleanStatic();
    p.name = QStringLiteral("Shared PSK");
    StaticCredentials &c = p.staticSettings()->credentials;
    c.kind = StaticCredentialKind::SharedPsk;
    c.pskIdentity = QStringLiteral("office-sensors");
    c.psk.value = QStringLiteral("00112233445566778899aabbccddeeff");
    return p;
}

inline Profile usernamePassword(const QString &password)
{
    Profile p = cleanStatic();
    p.name = QStringLiteral("Username and password");
    StaticCredentials &c = p.staticSettings()->credentials;
    c.kind = StaticCredentialKind::UsernamePassword;
    c.username = QStringLiteral("dev-{serial}");
    c.password.value = password;
    return p;
}

inline Profile sharedCertificate()
{
    Profile p = cleanStatic();
    p.name = QStringLiteral("Shared certificate");
    StaticCredentials &c = p.staticSettings()->credentials;
    c.kind = StaticCredentialKind::SharedCertificate;
    c.certificateFile = QStringLiteral("certs/fleet.pem");
    c.privateKeyFile = QStringLiteral("certs/fleet.key");
    return p;
}

inline Profile benchCertificate(int validityDays = 365)
{
    Profile p = cleanStatic();
    p.name = QStringLiteral("Bench certificate");
    StaticCredentials &c = p.staticSettings()->credentials;
    c.kind = StaticCredentialKind::BenchCertificate;
    c.validityDays = validityDays;
    return p;
}

inline Profile mqttFleet()
{
    Profile p = cleanDynamic();
    p.name = QStringLiteral("MQTT fleet");
    DynamicSettings *d = p.dynamicSettings();
    d->method = EnrollmentMethod::MqttFleet;
    d->mqttFleet.brokerUrl = QStringLiteral("mqtts://fleet.example.net:8883");
    d->mqttFleet.claimCertificateFile = QStringLiteral("claim/claim.pem");
    d->mqttFleet.claimKeyFile = QStringLiteral("claim/claim.key");
    d->mqttFleet.templateName = QStringLiteral("sensors");
    d->mqttFleet.requestTopic = QStringLiteral("provision/request");
    d->mqttFleet.responseTopic = QStringLiteral("provision/response");
    return p;
}

inline Profile lwm2m(const QString &psk)
{
    Profile p = cleanDynamic();
    p.name = QStringLiteral("LwM2M bootstrap");
    DynamicSettings *d = p.dynamicSettings();
    d->method = EnrollmentMethod::Lwm2mBootstrap;
    d->lwm2m.serverUri = QStringLiteral("coaps://bootstrap.example.net:5684");
    d->lwm2m.pskIdentity = QStringLiteral("{serial}");
    d->lwm2m.psk.value = psk;
    return p;
}

inline Profile withStaticIp(Profile p, const QString &address)
{
    p.network.ip.dhcp = false;
    p.network.ip.address = address;
    p.network.ip.gateway = QStringLiteral("10.0.0.1");
    p.network.ip.dns = {QStringLiteral("10.0.0.2")};
    return p;
}

} // namespace fixtures

Q_DECLARE_METATYPE(provbench::profiles::Profile)
