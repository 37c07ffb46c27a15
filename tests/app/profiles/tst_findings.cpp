#include "app/profiles/findings.h"

#include "comparisonfixtures.h"

#include <QTest>

using namespace provbench::profiles;
using namespace fixtures;

namespace {

// "severity@path" for every finding of one rule, in rule order.
QStringList outcome(const QList<Finding> &findings, const QString &rule)
{
    QStringList out;
    for (const Finding &f : findings) {
        if (f.rule == rule)
            out.append(severityName(f.severity) + QLatin1Char('@') + f.path);
    }
    return out;
}

Profile edited(Profile p, const std::function<void(Profile &)> &edit)
{
    edit(p);
    return p;
}

} // namespace

class TestFindings : public QObject
{
    Q_OBJECT

private slots:
    void cleanProfiles_haveNoFindings();
    void rule_data();
    void rule();
    void everyFinding_isComplete();
    void references_nameVerifiedSources();
    void passwordWeakness_data();
    void passwordWeakness();
    void collisions_cappedAtLimit();
};

void TestFindings::cleanProfiles_haveNoFindings()
{
    QVERIFY(securityFindings(cleanStatic(), 500).isEmpty());
    QVERIFY(securityFindings(cleanDynamic(), 500).isEmpty());
}

void TestFindings::rule_data()
{
    QTest::addColumn<Profile>("profile");
    QTest::addColumn<int>("devices");
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QStringList>("expected");

    const QString shared = QLatin1String(kRuleSharedSecret);
    QTest::newRow("shared: static PSK")
        << sharedPsk() << 5 << shared << QStringList{QStringLiteral("high@credentials.psk")};
    QTest::newRow("shared: password without placeholder")
        << usernamePassword(QStringLiteral("Correct-Horse-Battery-9")) << 5 << shared
        << QStringList{QStringLiteral("high@credentials.password")};
    QTest::newRow("shared: password with only {site}")
        << usernamePassword(QStringLiteral("{site}-Correct-Horse-Battery")) << 5 << shared
        << QStringList{QStringLiteral("high@credentials.password")};
    QTest::newRow("shared: per-device random password (negative)")
        << usernamePassword(QStringLiteral("{random:20}")) << 5 << shared << QStringList{};
    QTest::newRow("shared: certificate")
        << sharedCertificate() << 5 << shared
        << QStringList{QStringLiteral("high@credentials.privateKey")};
    QTest::newRow("shared: bench certificate (negative)")
        << benchCertificate() << 5 << shared << QStringList{};
    QTest::newRow("shared: LwM2M literal PSK")
        << lwm2m(QStringLiteral("00112233445566778899aabbccddeeff")) << 5 << shared
        << QStringList{QStringLiteral("high@enrollment.psk")};
    QTest::newRow("shared: LwM2M random PSK (negative)")
        << lwm2m(QStringLiteral("{random:32}")) << 5 << shared << QStringList{};
    QTest::newRow("shared: MQTT fleet claim certificate is low")
        << mqttFleet() << 5 << shared
        << QStringList{QStringLiteral("low@enrollment.claimCertificate")};
    QTest::newRow("shared: EST (negative)") << cleanDynamic() << 5 << shared << QStringList{};

    const QString offDevice = QLatin1String(kRuleOffDeviceKey);
    QTest::newRow("off-device: bench certificate")
        << benchCertificate() << 5 << offDevice
        << QStringList{QStringLiteral("medium@credentials.type")};
    QTest::newRow("off-device: shared certificate")
        << sharedCertificate() << 5 << offDevice
        << QStringList{QStringLiteral("high@credentials.privateKey")};
    QTest::newRow("off-device: shared PSK (negative)")
        << sharedPsk() << 5 << offDevice << QStringList{};
    QTest::newRow("off-device: EST (negative)")
        << cleanDynamic() << 5 << offDevice << QStringList{};

    const QString rotation = QLatin1String(kRuleNoRotation);
    QTest::newRow("rotation: shared PSK has no lifetime")
        << sharedPsk() << 5 << rotation << QStringList{QStringLiteral("medium@credentials.type")};
    QTest::newRow("rotation: bench certificate 825 days (negative)")
        << benchCertificate(825) << 5 << rotation << QStringList{};
    QTest::newRow("rotation: bench certificate 826 days") << benchCertificate(
        826) << 5 << rotation << QStringList{QStringLiteral("medium@credentials.validityDays")};
    QTest::newRow("rotation: dynamic renewal off")
        << edited(cleanDynamic(), [](Profile &p) { p.dynamicSettings()->renewBeforeDays = 0; }) << 5
        << rotation << QStringList{QStringLiteral("medium@certificate.renewBeforeDays")};
    QTest::newRow("rotation: dynamic lifetime too long") << edited(cleanDynamic(), [](Profile &p) {
        p.dynamicSettings()->certificateLifetimeDays = 1000;
    }) << 5 << rotation << QStringList{QStringLiteral("low@certificate.lifetimeDays")};
    QTest::newRow("rotation: dynamic renews (negative)")
        << cleanDynamic() << 5 << rotation << QStringList{};

    const QString weak = QLatin1String(kRuleWeakPassword);
    auto wifi = [](const QString &pass) {
        return edited(
            cleanStatic(), [pass](Profile &p) { p.network.wifi->passphrase.value = pass; });
    };
    QTest::newRow("weak: Wi-Fi common password")
        << wifi(QStringLiteral("password")) << 5 << weak
        << QStringList{QStringLiteral("high@network.wifi.passphrase")};
    QTest::newRow("weak: Wi-Fi only digits")
        << wifi(QStringLiteral("20240517190233")) << 5 << weak
        << QStringList{QStringLiteral("medium@network.wifi.passphrase")};
    QTest::newRow("weak: Wi-Fi short")
        << wifi(QStringLiteral("sky-blue-7")) << 5 << weak
        << QStringList{QStringLiteral("medium@network.wifi.passphrase")};
    QTest::newRow("weak: Wi-Fi equals SSID") << edited(cleanStatic(), [](Profile &p) {
        p.network.wifi->ssid = QStringLiteral("Warehouse-Sensors-North");
        p.network.wifi->passphrase.value = QStringLiteral("warehouse-sensors-north");
    }) << 5 << weak << QStringList{QStringLiteral("high@network.wifi.passphrase")};
    QTest::newRow("weak: Wi-Fi strong (negative)")
        << wifi(QStringLiteral("river-stone-lantern-88")) << 5 << weak << QStringList{};
    QTest::newRow("weak: open Wi-Fi has no passphrase to judge (negative)") << edited(
        cleanStatic(), [](Profile &p) {
            p.network.wifi->security = WifiSecurity::Open;
            p.network.wifi->passphrase.value.clear();
        }) << 5 << weak << QStringList{};
    QTest::newRow("weak: masked passphrase is not judged (negative)") << edited(
        cleanStatic(), [](Profile &p) {
            p.network.wifi->passphrase = Secret{QString(), true};
        }) << 5 << weak << QStringList{};
    QTest::newRow("weak: password from {serial}")
        << usernamePassword(QStringLiteral("{serial}")) << 5 << weak
        << QStringList{QStringLiteral("high@credentials.password")};
    QTest::newRow("weak: password from {mac6} and {seq}")
        << usernamePassword(QStringLiteral("pw-{mac6}-{seq:04}-x")) << 5 << weak
        << QStringList{QStringLiteral("high@credentials.password")};
    QTest::newRow("weak: password from {name}")
        << usernamePassword(QStringLiteral("{name}-{site}-meadow")) << 5 << weak
        << QStringList{QStringLiteral("high@credentials.password")};
    QTest::newRow("weak: default admin password")
        << usernamePassword(QStringLiteral("admin")) << 5 << weak
        << QStringList{QStringLiteral("high@credentials.password")};
    QTest::newRow("weak: short random part")
        << usernamePassword(QStringLiteral("{random:8}")) << 5 << weak
        << QStringList{QStringLiteral("medium@credentials.password")};
    QTest::newRow("weak: identity plus long random part (negative)")
        << usernamePassword(QStringLiteral("{serial}-{random:16}")) << 5 << weak << QStringList{};

    const QString plain = QLatin1String(kRulePlaintextEndpoint);
    QTest::newRow("plaintext: mqtt://") << edited(cleanStatic(), [](Profile &p) {
        p.endpoints.mqtt = QStringLiteral("mqtt://broker.lan:1883");
    }) << 5 << plain << QStringList{QStringLiteral("medium@endpoints.mqtt")};
    QTest::newRow("plaintext: http:// carrying a password")
        << edited(usernamePassword(QStringLiteral("{random:20}")),
               [](Profile &p) { p.endpoints.https = QStringLiteral("http://api.lan"); })
        << 5 << plain << QStringList{QStringLiteral("high@endpoints.https")};
    QTest::newRow("plaintext: coap://") << edited(cleanStatic(), [](Profile &p) {
        p.endpoints.coap = QStringLiteral("coap://lan:5683");
    }) << 5 << plain << QStringList{QStringLiteral("medium@endpoints.coap")};
    QTest::newRow("plaintext: EST over http") << edited(cleanDynamic(), [](Profile &p) {
        p.dynamicSettings()->est.url = QStringLiteral("http://est.lan/.well-known/est");
    }) << 5 << plain << QStringList{QStringLiteral("high@enrollment.url")};
    QTest::newRow("plaintext: fleet broker mqtt://") << edited(mqttFleet(), [](Profile &p) {
        p.dynamicSettings()->mqttFleet.brokerUrl = QStringLiteral("mqtt://fleet.lan");
    }) << 5 << plain << QStringList{QStringLiteral("high@enrollment.broker")};
    QTest::newRow("plaintext: LwM2M coap://") << edited(
        lwm2m(QStringLiteral("{random:32}")), [](Profile &p) {
            p.dynamicSettings()->lwm2m.serverUri = QStringLiteral("coap://bs.lan:5683");
        }) << 5 << plain << QStringList{QStringLiteral("high@enrollment.serverUri")};
    QTest::newRow("plaintext: TLS everywhere (negative)")
        << lwm2m(QStringLiteral("{random:32}")) << 5 << plain << QStringList{};

    const QString open = QLatin1String(kRuleOpenWifi);
    QTest::newRow("open Wi-Fi") << edited(cleanStatic(), [](Profile &p) {
        p.network.wifi->security = WifiSecurity::Open;
    }) << 5 << open << QStringList{QStringLiteral("medium@network.wifi.security")};
    QTest::newRow("open Wi-Fi: WPA3 (negative)") << edited(cleanStatic(), [](Profile &p) {
        p.network.wifi->security = WifiSecurity::Wpa3Sae;
    }) << 5 << open << QStringList{};
    QTest::newRow("open Wi-Fi: wired (negative)")
        << edited(cleanStatic(), [](Profile &p) { p.network.wifi.reset(); }) << 5 << open
        << QStringList{};

    const QString collision = QLatin1String(kRuleIpCollision);
    QTest::newRow("collision: fixed address, 5 devices")
        << withStaticIp(cleanStatic(), QStringLiteral("10.0.0.5")) << 5 << collision
        << QStringList{QStringLiteral("medium@network.ip.address")};
    QTest::newRow("collision: fixed address, 1 device (negative)") << withStaticIp(cleanStatic(),
        QStringLiteral("10.0.0.5")) << 1 << collision << QStringList{};
    QTest::newRow("collision: {seq} offset (negative)")
        << withStaticIp(cleanStatic(), QStringLiteral("10.0.0.{seq+10}")) << 200 << collision
        << QStringList{};
    QTest::newRow("collision: DHCP (negative)")
        << cleanStatic() << 500 << collision << QStringList{};

    const QString range = QLatin1String(kRuleIpOutOfRange);
    QTest::newRow("range: {seq+100} for 200 devices")
        << withStaticIp(cleanStatic(), QStringLiteral("10.0.0.{seq+100}")) << 200 << range
        << QStringList{QStringLiteral("medium@network.ip.address")};
    QTest::newRow("range: {seq+100} for 155 devices (negative)") << withStaticIp(cleanStatic(),
        QStringLiteral("10.0.0.{seq+100}")) << 155 << range << QStringList{};

    const QString token = QLatin1String(kRuleEstToken);
    QTest::newRow("token: reusable") << edited(cleanDynamic(), [](Profile &p) {
        p.dynamicSettings()->est.tokenSingleUse = false;
    }) << 5 << token << QStringList{QStringLiteral("medium@enrollment.token.singleUse")};
    QTest::newRow("token: TTL over 24 h") << edited(cleanDynamic(), [](Profile &p) {
        p.dynamicSettings()->est.tokenTtlMinutes = 1441;
    }) << 5 << token << QStringList{QStringLiteral("medium@enrollment.token.ttlMinutes")};
    QTest::newRow("token: TTL exactly 24 h (negative)") << edited(cleanDynamic(), [](Profile &p) {
        p.dynamicSettings()->est.tokenTtlMinutes = 1440;
    }) << 5 << token << QStringList{};
    QTest::newRow("token: manual approval off is fine (negative)") << edited(
        cleanDynamic(), [](Profile &p) { p.dynamicSettings()->est.manualApproval = false; })
                                                                   << 5 << token << QStringList{};
}

void TestFindings::rule()
{
    QFETCH(Profile, profile);
    QFETCH(int, devices);
    QFETCH(QString, rule);
    QFETCH(QStringList, expected);
    QCOMPARE(outcome(securityFindings(profile, devices), rule), expected);
}

void TestFindings::everyFinding_isComplete()
{
    const QList<Profile> all{sharedPsk(), usernamePassword(QStringLiteral("admin")),
        sharedCertificate(), benchCertificate(1000), mqttFleet(),
        lwm2m(QStringLiteral("00112233445566778899aabbccddeeff")),
        withStaticIp(cleanStatic(), QStringLiteral("10.0.0.{seq+250}"))};
    for (const Profile &p : all) {
        const QList<Finding> findings = securityFindings(p, 50);
        QVERIFY2(!findings.isEmpty(), qPrintable(p.name));
        for (const Finding &f : findings) {
            QVERIFY2(!f.title.isEmpty() && !f.detail.isEmpty(), qPrintable(f.rule));
            QVERIFY2(!f.path.isEmpty() && !f.reference.isEmpty(), qPrintable(f.rule));
            // Secrets never reach a finding's text.
            QVERIFY(!f.detail.contains(QStringLiteral("00112233445566778899")));
        }
    }
}

void TestFindings::references_nameVerifiedSources()
{
    const QList<Finding> findings = securityFindings(sharedCertificate(), 5)
        + securityFindings(usernamePassword(QStringLiteral("{serial}")), 5);
    for (const Finding &f : findings) {
        const bool known = f.reference.contains(QStringLiteral("ETSI EN 303 645 5."))
            || f.reference.contains(QStringLiteral("OWASP IoT Top 10 I"))
            || f.reference.startsWith(QStringLiteral("RFC "))
            || f.reference.startsWith(QStringLiteral("CA/Browser Forum"));
        QVERIFY2(known, qPrintable(f.reference));
    }
    const Finding derivable
        = securityFindings(usernamePassword(QStringLiteral("{serial}")), 5).last();
    QCOMPARE(derivable.rule, QLatin1String(kRuleWeakPassword));
    QVERIFY(derivable.reference.contains(QStringLiteral("5.1-2")));
}

void TestFindings::passwordWeakness_data()
{
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("ssid");
    QTest::addColumn<int>("reasons");
    QTest::addColumn<bool>("derivable");
    QTest::addColumn<bool>("common");

    QTest::newRow("empty") << QString() << QString() << 1 << false << false;
    QTest::newRow("common and short") << QStringLiteral("Admin") << QString() << 2 << false << true;
    QTest::newRow("digits, short, common")
        << QStringLiteral("12345678") << QString() << 3 << false << true;
    QTest::newRow("strong") << QStringLiteral("violet-harbour-tram-31") << QString() << 0 << false
                            << false;
    QTest::newRow("derivable") << QStringLiteral("{mac}") << QString() << 1 << true << false;
    QTest::newRow("random 20") << QStringLiteral("{random:20}") << QString() << 0 << false << false;
    QTest::newRow("escaped braces count as literal")
        << QStringLiteral("{{not-a-placeholder}}") << QString() << 0 << false << false;
    QTest::newRow("equals SSID") << QStringLiteral("Plant2-Machines")
                                 << QStringLiteral("plant2-machines") << 1 << false << false;
}

void TestFindings::passwordWeakness()
{
    QFETCH(QString, password);
    QFETCH(QString, ssid);
    QFETCH(int, reasons);
    QFETCH(bool, derivable);
    QFETCH(bool, common);
    const PasswordReasons r = provbench::profiles::passwordWeakness(password, ssid);
    QCOMPARE(r.reasons.size(), reasons);
    QCOMPARE(r.derivable, derivable);
    QCOMPARE(r.common, common);
}

void TestFindings::collisions_cappedAtLimit()
{
    // A million devices must not expand a million templates.
    const Profile p = withStaticIp(cleanStatic(), QStringLiteral("10.0.0.7"));
    const QList<Finding> f = collisionFindings(p, 1000000);
    QCOMPARE(f.size(), 1);
    QVERIFY2(f.first().detail.contains(QString::number(kMaxSimulatedDevices)),
        qPrintable(f.first().detail));
}

QTEST_GUILESS_MAIN(TestFindings)
#include "tst_findings.moc"
