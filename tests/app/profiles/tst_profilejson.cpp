#include "app/profiles/profilejson.h"
#include "profilefixtures.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace provbench::profiles;

namespace {

// Sets a dotted path ("network.wifi.passphrase") in a JSON object; an
// undefined value removes the key.
void setPath(QJsonObject &obj, const QStringList &path, const QJsonValue &value)
{
    if (path.size() == 1) {
        if (value.isUndefined())
            obj.remove(path.first());
        else
            obj.insert(path.first(), value);
        return;
    }
    QJsonObject child = obj.value(path.first()).toObject();
    setPath(child, path.mid(1), value);
    obj.insert(path.first(), child);
}

QJsonObject editedObject(QJsonObject base, const QString &path, const QJsonValue &value)
{
    if (!path.isEmpty())
        setPath(base, path.split(QLatin1Char('.')), value);
    return base;
}

QByteArray edited(const QJsonObject &base, const QString &path, const QJsonValue &value)
{
    return QJsonDocument(editedObject(base, path, value)).toJson();
}

// Passed as a value: the key is removed.
const QJsonValue kRemoved(QJsonValue::Undefined);

bool hasIssue(const Issues &issues, const QString &path, const QString &fragment)
{
    return std::any_of(issues.begin(), issues.end(),
        [&](const Issue &i) { return i.path == path && i.message.contains(fragment); });
}

} // namespace

class tst_ProfileJson : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_validBases_haveNoIssues()
    {
        for (const QJsonObject &base : {staticBase(), dynamicBase()}) {
            auto p = parseProfile(QJsonDocument(base).toJson());
            QVERIFY2(p, qPrintable(p ? QString() : describe(p.error())));
            QVERIFY2(validate(*p).isEmpty(), qPrintable(describe(validate(*p))));
        }
    }

    void parse_structuralErrors_nameTheField_data()
    {
        QTest::addColumn<bool>("dynamic");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("issuePath");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("unknown top-level key")
            << false << QStringLiteral("colour") << QJsonValue(1) << QStringLiteral("colour")
            << QStringLiteral("unknown field");
        QTest::newRow("typo in a nested key")
            << false << QStringLiteral("network.wifi.pasphrase") << QJsonValue(QStringLiteral("x"))
            << QStringLiteral("network.wifi.pasphrase")
            << QStringLiteral("allowed here: ssid, security");
        QTest::newRow("missing schema") << false << QStringLiteral("schema") << kRemoved
                                        << QStringLiteral("schema") << QStringLiteral("missing");
        QTest::newRow("foreign schema")
            << false << QStringLiteral("schema") << QJsonValue(QStringLiteral("acme.profile/1"))
            << QStringLiteral("schema") << QStringLiteral("not a ProvBench");
        QTest::newRow("newer schema")
            << false << QStringLiteral("schema")
            << QJsonValue(QStringLiteral("provbench.profile/2")) << QStringLiteral("schema")
            << QStringLiteral("newer than this ProvBench");
        QTest::newRow("unknown kind")
            << false << QStringLiteral("kind") << QJsonValue(QStringLiteral("hybrid"))
            << QStringLiteral("kind") << QStringLiteral("use one of static, dynamic");
        QTest::newRow("number where text is needed")
            << false << QStringLiteral("network.wifi.ssid") << QJsonValue(42)
            << QStringLiteral("network.wifi.ssid") << QStringLiteral("must be text, not a number");
        QTest::newRow("unknown security")
            << false << QStringLiteral("network.wifi.security") << QJsonValue(QStringLiteral("wep"))
            << QStringLiteral("network.wifi.security")
            << QStringLiteral("use one of open, wpa2-psk");
        QTest::newRow("unknown ip mode")
            << false << QStringLiteral("network.ip.mode") << QJsonValue(QStringLiteral("auto"))
            << QStringLiteral("network.ip.mode") << QStringLiteral("use dhcp or static");
        QTest::newRow("address with dhcp")
            << false << QStringLiteral("network.ip.address")
            << QJsonValue(QStringLiteral("10.0.0.1")) << QStringLiteral("network.ip.address")
            << QStringLiteral("unknown field");
        QTest::newRow("unknown credential type")
            << false << QStringLiteral("credentials.type") << QJsonValue(QStringLiteral("magic"))
            << QStringLiteral("credentials.type") << QStringLiteral("use one of none, shared-psk");
        QTest::newRow("field of another credential type")
            << false << QStringLiteral("credentials.username") << QJsonValue(QStringLiteral("u"))
            << QStringLiteral("credentials.username") << QStringLiteral("unknown field");
        QTest::newRow("enrollment in a static profile")
            << false << QStringLiteral("enrollment") << QJsonValue(QJsonObject{})
            << QStringLiteral("enrollment") << QStringLiteral("only dynamic profiles");
        QTest::newRow("credentials in a dynamic profile")
            << true << QStringLiteral("credentials") << QJsonValue(QJsonObject{})
            << QStringLiteral("credentials") << QStringLiteral("only static profiles");
        QTest::newRow("dynamic without enrollment")
            << true << QStringLiteral("enrollment") << kRemoved << QStringLiteral("enrollment")
            << QStringLiteral("missing");
        QTest::newRow("fractional number")
            << true << QStringLiteral("certificate.lifetimeDays") << QJsonValue(1.5)
            << QStringLiteral("certificate.lifetimeDays") << QStringLiteral("whole number");
        QTest::newRow("number beyond any integer")
            << true << QStringLiteral("certificate.lifetimeDays") << QJsonValue(3.0e82)
            << QStringLiteral("certificate.lifetimeDays") << QStringLiteral("whole number");
        QTest::newRow("boolean as text")
            << true << QStringLiteral("enrollment.token.singleUse")
            << QJsonValue(QStringLiteral("yes")) << QStringLiteral("enrollment.token.singleUse")
            << QStringLiteral("true or false");
        QTest::newRow("ntp not a list")
            << false << QStringLiteral("ntp") << QJsonValue(QStringLiteral("pool"))
            << QStringLiteral("ntp") << QStringLiteral("list");
    }
    void parse_structuralErrors_nameTheField()
    {
        QFETCH(bool, dynamic);
        QFETCH(QString, path);
        QFETCH(QJsonValue, value);
        QFETCH(QString, issuePath);
        QFETCH(QString, fragment);
        auto p = parseProfile(edited(dynamic ? dynamicBase() : staticBase(), path, value));
        QVERIFY(!p);
        QVERIFY2(hasIssue(p.error(), issuePath, fragment), qPrintable(describe(p.error())));
    }

    void parse_notJson_saysWhere()
    {
        auto p = parseProfile("{\n  \"schema\": \"provbench.profile/1\",\n  oops\n}");
        QVERIFY(!p);
        QVERIFY2(p.error().first().message.contains(u"line 3"), qPrintable(describe(p.error())));
    }

    void parse_oversizedInput_refusedBeforeParsing()
    {
        auto p = parseProfile(QByteArray(2 << 20, ' '));
        QVERIFY(!p);
        QVERIFY(p.error().first().message.contains(u"1 MiB"));
    }

    void validate_valueErrors_nameTheFieldAndWhatIsAllowed_data()
    {
        QTest::addColumn<bool>("dynamic");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("issuePath");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("WPA2 passphrase of 7")
            << false << QStringLiteral("network.wifi.passphrase")
            << QJsonValue(QStringLiteral("1234567")) << QStringLiteral("network.wifi.passphrase")
            << QStringLiteral("WPA2-PSK needs 8 to 63 characters");
        QTest::newRow("passphrase on an open network")
            << false << QStringLiteral("network.wifi.security")
            << QJsonValue(QStringLiteral("open")) << QStringLiteral("network.wifi.passphrase")
            << QStringLiteral("open network has no passphrase");
        QTest::newRow("SSID of 33 bytes")
            << false << QStringLiteral("network.wifi.ssid")
            << QJsonValue(QString(33, QLatin1Char('s'))) << QStringLiteral("network.wifi.ssid")
            << QStringLiteral("1 to 32 bytes");
        QTest::newRow("masked passphrase")
            << false << QStringLiteral("network.wifi.passphrase")
            << QJsonValue(QLatin1String(kMaskedSecret)) << QStringLiteral("network.wifi.passphrase")
            << QStringLiteral("removed when the profile was exported");
        QTest::newRow("PSK not hex")
            << false << QStringLiteral("credentials.psk")
            << QJsonValue(QStringLiteral("not-hex-at-all-not-hex-at-all-xx"))
            << QStringLiteral("credentials.psk") << QStringLiteral("hex digits");
        QTest::newRow("PSK too short")
            << false << QStringLiteral("credentials.psk") << QJsonValue(QStringLiteral("0011"))
            << QStringLiteral("credentials.psk") << QStringLiteral("32 to 128");
        QTest::newRow("plain URL scheme not allowed for MQTT")
            << false << QStringLiteral("endpoints.mqtt") << QJsonValue(QStringLiteral("http://x"))
            << QStringLiteral("endpoints.mqtt") << QStringLiteral("use mqtts or mqtt");
        QTest::newRow("URL without host")
            << false << QStringLiteral("endpoints.https") << QJsonValue(QStringLiteral("https://"))
            << QStringLiteral("endpoints.https") << QStringLiteral("host");
        QTest::newRow("bad NTP host") << false << QStringLiteral("ntp")
                                      << QJsonValue(QJsonArray{QStringLiteral("not a host!")})
                                      << QStringLiteral("ntp[0]") << QStringLiteral("host name");
        QTest::newRow("unknown template placeholder")
            << false << QStringLiteral("naming.hostname")
            << QJsonValue(QStringLiteral("x-{sequence}")) << QStringLiteral("naming.hostname")
            << QStringLiteral("{sequence}");
        QTest::newRow("hostname template with a space")
            << false << QStringLiteral("naming.hostname")
            << QJsonValue(QStringLiteral("office sensor")) << QStringLiteral("naming.hostname")
            << QStringLiteral("letters, digits and hyphens");
        QTest::newRow("EST over plain HTTP")
            << true << QStringLiteral("enrollment.url")
            << QJsonValue(QStringLiteral("http://est.example.net"))
            << QStringLiteral("enrollment.url") << QStringLiteral("use https");
        QTest::newRow("EST without trust anchor")
            << true << QStringLiteral("enrollment.trustAnchor") << kRemoved
            << QStringLiteral("enrollment.trustAnchor") << QStringLiteral("missing");
        QTest::newRow("token TTL of 0")
            << true << QStringLiteral("enrollment.token.ttlMinutes") << QJsonValue(0)
            << QStringLiteral("enrollment.token.ttlMinutes")
            << QStringLiteral("1 to 10080 minutes");
        QTest::newRow("renewal window longer than the lifetime")
            << true << QStringLiteral("certificate.renewBeforeDays") << QJsonValue(400)
            << QStringLiteral("certificate.renewBeforeDays")
            << QStringLiteral("less than the lifetime");
        QTest::newRow("lifetime of 20 years")
            << true << QStringLiteral("certificate.lifetimeDays") << QJsonValue(7300)
            << QStringLiteral("certificate.lifetimeDays") << QStringLiteral("1 to 3650 days");
        QTest::newRow("empty name")
            << false << QStringLiteral("name") << QJsonValue(QString()) << QStringLiteral("name")
            << QStringLiteral("give the profile a name");
    }
    void validate_valueErrors_nameTheFieldAndWhatIsAllowed()
    {
        QFETCH(bool, dynamic);
        QFETCH(QString, path);
        QFETCH(QJsonValue, value);
        QFETCH(QString, issuePath);
        QFETCH(QString, fragment);
        auto p = parseProfile(edited(dynamic ? dynamicBase() : staticBase(), path, value));
        QVERIFY2(p, qPrintable(p ? QString() : describe(p.error())));
        const Issues issues = validate(*p);
        QVERIFY2(hasIssue(issues, issuePath, fragment), qPrintable(describe(issues)));
    }

    void validate_staticAddresses_data()
    {
        QTest::addColumn<QJsonValue>("ip");
        QTest::addColumn<QString>("issuePath"); // empty: valid
        const QJsonObject good{{QStringLiteral("mode"), QStringLiteral("static")},
            {QStringLiteral("address"), QStringLiteral("10.0.0.{seq+100}")},
            {QStringLiteral("prefixLength"), 24},
            {QStringLiteral("gateway"), QStringLiteral("10.0.0.1")},
            {QStringLiteral("dns"), QJsonArray{QStringLiteral("10.0.0.2")}}};
        QTest::newRow("templated address") << QJsonValue(good) << QString();
        QJsonObject o = good;
        o[QStringLiteral("address")] = QStringLiteral("10.0.0.{seq+300}"); // 301 for device 1
        QTest::newRow("expands outside IPv4")
            << QJsonValue(o) << QStringLiteral("network.ip.address");
        o = good;
        o[QStringLiteral("gateway")] = QStringLiteral("192.168.1.1");
        QTest::newRow("gateway outside the subnet")
            << QJsonValue(o) << QStringLiteral("network.ip.gateway");
        o = good;
        o[QStringLiteral("prefixLength")] = 33;
        QTest::newRow("prefix of 33") << QJsonValue(o) << QStringLiteral("network.ip.prefixLength");
        o = good;
        o[QStringLiteral("dns")] = QJsonArray{QStringLiteral("dns.example.net")};
        QTest::newRow("DNS by name") << QJsonValue(o) << QStringLiteral("network.ip.dns[0]");
    }
    void validate_staticAddresses()
    {
        QFETCH(QJsonValue, ip);
        QFETCH(QString, issuePath);
        auto p = parseProfile(edited(staticBase(), QStringLiteral("network.ip"), ip));
        QVERIFY2(p, qPrintable(p ? QString() : describe(p.error())));
        const Issues issues = validate(*p);
        if (issuePath.isEmpty())
            QVERIFY2(issues.isEmpty(), qPrintable(describe(issues)));
        else
            QVERIFY2(std::any_of(issues.begin(), issues.end(),
                         [&](const Issue &i) { return i.path == issuePath; }),
                qPrintable(describe(issues)));
    }

    void toJson_roundTripsEveryKind_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("static shared PSK") << QJsonDocument(staticBase()).toJson();
        QTest::newRow("dynamic EST") << QJsonDocument(dynamicBase()).toJson();
        QTest::newRow("static bench certificate, static IP")
            << edited(editedObject(staticBase(), QStringLiteral("credentials"),
                          QJsonObject{{QStringLiteral("type"), QStringLiteral("bench-certificate")},
                              {QStringLiteral("keyAlgorithm"), QStringLiteral("rsa-3072")},
                              {QStringLiteral("validityDays"), 400},
                              {QStringLiteral("subject"), QStringLiteral("CN={serial}")}}),
                   QStringLiteral("network.ip"),
                   QJsonObject{{QStringLiteral("mode"), QStringLiteral("static")},
                       {QStringLiteral("address"), QStringLiteral("10.1.1.{seq}")},
                       {QStringLiteral("prefixLength"), 16},
                       {QStringLiteral("gateway"), QStringLiteral("10.1.0.1")},
                       {QStringLiteral("dns"), QJsonArray{QStringLiteral("10.1.0.2")}}});
        QTest::newRow("dynamic LwM2M") << edited(dynamicBase(), QStringLiteral("enrollment"),
            QJsonObject{{QStringLiteral("method"), QStringLiteral("lwm2m-bootstrap")},
                {QStringLiteral("serverUri"), QStringLiteral("coaps://bs.example.net:5684")},
                {QStringLiteral("pskIdentity"), QStringLiteral("{serial}")},
                {QStringLiteral("psk"), QStringLiteral("{random:32}")}});
        QTest::newRow("dynamic MQTT fleet") << edited(dynamicBase(), QStringLiteral("enrollment"),
            QJsonObject{{QStringLiteral("method"), QStringLiteral("mqtt-fleet")},
                {QStringLiteral("broker"), QStringLiteral("mqtts://iot.example.net:8883")},
                {QStringLiteral("claimCertificate"), QStringLiteral("claim.pem")},
                {QStringLiteral("claimKey"), QStringLiteral("claim.key")},
                {QStringLiteral("template"), QStringLiteral("factory")},
                {QStringLiteral("topics"),
                    QJsonObject{{QStringLiteral("request"), QStringLiteral("a")},
                        {QStringLiteral("response"), QStringLiteral("b")}}}});
        QTest::newRow("wired, username and password")
            << edited(editedObject(staticBase(), QStringLiteral("network.wifi"), kRemoved),
                   QStringLiteral("credentials"),
                   QJsonObject{{QStringLiteral("type"), QStringLiteral("username-password")},
                       {QStringLiteral("username"), QStringLiteral("dev-{serial}")},
                       {QStringLiteral("password"), QStringLiteral("{random:20}")}});
    }
    void toJson_roundTripsEveryKind()
    {
        QFETCH(QByteArray, json);
        auto p = parseProfile(json);
        QVERIFY2(p, qPrintable(p ? QString() : describe(p.error())));
        auto again = parseProfile(toJson(*p, SecretPolicy::Include));
        QVERIFY2(again, qPrintable(again ? QString() : describe(again.error())));
        QVERIFY(*again == *p);
        QVERIFY2(validate(*p).isEmpty(), qPrintable(describe(validate(*p))));
    }

    void toJson_mask_hidesEverySecretAndMarksItOnReload()
    {
        auto p = parseProfile(QJsonDocument(staticBase()).toJson());
        QVERIFY(p);
        const QByteArray masked = toJson(*p, SecretPolicy::Mask);
        QVERIFY(!masked.contains("correct-horse-42"));
        QVERIFY(!masked.contains("00112233445566778899aabbccddeeff"));
        QVERIFY(masked.contains(kMaskedSecret));
        auto reloaded = parseProfile(masked);
        QVERIFY(reloaded);
        QVERIFY(reloaded->network.wifi->passphrase.masked);
        QVERIFY(hasIssue(validate(*reloaded), QStringLiteral("credentials.psk"),
            QStringLiteral("enter it again")));
    }

    void sampleProfiles_parseAndValidate()
    {
        const char *samples[]
            = {"small-office-shared-psk", "bench-certificate-per-device", "est-onboarding"};
        for (const char *name : samples) {
            QFile f(QStringLiteral(":/profiles/%1.json").arg(QLatin1String(name)));
            QVERIFY2(f.open(QIODevice::ReadOnly), name);
            auto p = parseProfile(f.readAll());
            QVERIFY2(p, qPrintable(p ? QString() : describe(p.error())));
            QVERIFY2(validate(*p).isEmpty(), qPrintable(describe(validate(*p))));
        }
    }
};

QTEST_GUILESS_MAIN(tst_ProfileJson)
#include "tst_profilejson.moc"
