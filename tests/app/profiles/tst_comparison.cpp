#include "app/profiles/findings.h"

#include "comparisonfixtures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace provbench::profiles;
using namespace fixtures;

namespace {

const ChangeImpact *change(const Assessment &a, const char *what)
{
    for (const ChangeImpact &c : a.flexibility) {
        if (c.change.startsWith(QLatin1String(what)))
            return &c;
    }
    return nullptr;
}

void checkKeys(const QJsonObject &o, const QList<std::pair<const char *, QJsonValue::Type>> &keys,
    const char *where)
{
    for (const auto &[key, type] : keys) {
        const QString k = QLatin1String(key);
        QVERIFY2(o.contains(k),
            qPrintable(QStringLiteral("%1.%2 missing").arg(QLatin1String(where), k)));
        QVERIFY2(o.value(k).type() == type,
            qPrintable(QStringLiteral("%1.%2 has the wrong type").arg(QLatin1String(where), k)));
    }
}

} // namespace

class TestComparison : public QObject
{
    Q_OBJECT

private slots:
    void recommendation_followsFindingsAndFleet_data();
    void recommendation_followsFindingsAndFleet();
    void recommendation_mentionsTheNumbers();
    void breakEven_whereLinesCross_data();
    void breakEven_whereLinesCross();
    void flexibility_derivedFromFields_data();
    void flexibility_derivedFromFields();
    void scalability_dropsWithBenchWorkAndFleetSize();
    void json_keysStableAndTyped();
    void json_breakEvenNullWhenLinesDoNotCross();
    void text_andMarkdown_showAssessmentWithoutSecrets();
    void severityAndHowNames();
    void sameProfileOnBothSides_saysSoInsteadOfPicking();
};

void TestComparison::recommendation_followsFindingsAndFleet_data()
{
    QTest::addColumn<Profile>("left");
    QTest::addColumn<Profile>("right");
    QTest::addColumn<int>("devices");
    QTest::addColumn<QString>("preferred");

    const Profile est = cleanDynamic();
    const Profile psk = sharedPsk();
    // With a high finding on one side only, the other side wins at any size.
    QTest::newRow("shared PSK vs EST, 5") << psk << est << 5 << est.name;
    QTest::newRow("shared PSK vs EST, 500") << psk << est << 500 << est.name;
    // Remove the high finding (a per-device password): now the cheaper wins,
    // and which one is cheaper depends on the fleet size (break-even 240).
    const Profile perDevice = usernamePassword(QStringLiteral("{random:20}"));
    QTest::newRow("per-device password vs EST, 5") << perDevice << est << 5 << perDevice.name;
    QTest::newRow("per-device password vs EST, 500") << perDevice << est << 500 << est.name;
    // Put the high finding back into the password: EST again even at 5.
    const Profile sharedPassword = usernamePassword(QStringLiteral("Correct-Horse-Battery-9"));
    QTest::newRow("shared password vs EST, 5") << sharedPassword << est << 5 << est.name;
    // Both with high findings: the cheaper one for N.
    QTest::newRow("both high, 5") << psk
                                  << lwm2m(QStringLiteral("00112233445566778899aabbccddeeff")) << 5
                                  << psk.name;
    // The side does not matter.
    QTest::newRow("EST vs shared PSK, 5") << est << psk << 5 << est.name;
}

void TestComparison::recommendation_followsFindingsAndFleet()
{
    QFETCH(Profile, left);
    QFETCH(Profile, right);
    QFETCH(int, devices);
    QFETCH(QString, preferred);
    const Comparison c = compareProfiles(left, right, devices);
    const QString expected = QStringLiteral("prefer \"%1\"").arg(preferred);
    QVERIFY2(c.recommendation.contains(expected), qPrintable(c.recommendation));
}

void TestComparison::recommendation_mentionsTheNumbers()
{
    const Comparison c = compareProfiles(sharedPsk(), cleanDynamic(), 500);
    // 15 + 6 * 500 = 3015 min; 135 + 5.5 * 500 = 2885 min.
    QVERIFY2(
        c.recommendation.contains(QStringLiteral("50 h 15 min")), qPrintable(c.recommendation));
    QVERIFY(c.recommendation.contains(QStringLiteral("48 h 05 min")));
    QVERIFY(c.recommendation.contains(QStringLiteral("For 500 device")));
    QVERIFY(c.recommendation.contains(QStringLiteral("240 devices")));
    QVERIFY(c.recommendation.contains(QStringLiteral("high-severity findings: 1 and 0")));

    const Comparison small = compareProfiles(sharedPsk(), cleanDynamic(), 5);
    QVERIFY(small.recommendation.contains(QStringLiteral("45 min")));
    QVERIFY(small.recommendation.contains(QStringLiteral("2 h 43 min")));
    QVERIFY(small.recommendation != c.recommendation);
}

void TestComparison::breakEven_whereLinesCross_data()
{
    QTest::addColumn<Profile>("left");
    QTest::addColumn<Profile>("right");
    QTest::addColumn<int>("expected"); // -1: none

    QTest::newRow("PSK vs EST: (135 - 15) / (6 - 5.5)") << sharedPsk() << cleanDynamic() << 240;
    QTest::newRow("same profile") << sharedPsk() << sharedPsk() << -1;
    // 12.5 per device and 65 setup never beats EST's 5.5 and 135 past 10 devices.
    QTest::newRow("bench certificate vs EST")
        << withStaticIp(benchCertificate(), QStringLiteral("10.0.0.{seq+10}")) << cleanDynamic()
        << 10;
    // The same per-device time: parallel lines.
    QTest::newRow("parallel") << sharedPsk() << usernamePassword(QStringLiteral("{random:20}"))
                              << -1;
}

void TestComparison::breakEven_whereLinesCross()
{
    QFETCH(Profile, left);
    QFETCH(Profile, right);
    QFETCH(int, expected);
    const Comparison c = compareProfiles(left, right, 5);
    QCOMPARE(c.breakEvenDevices.value_or(-1), expected);
}

void TestComparison::flexibility_derivedFromFields_data()
{
    QTest::addColumn<Profile>("profile");
    QTest::addColumn<QString>("change");
    QTest::addColumn<int>("how");

    const int site = int(ChangeHow::SiteVisit);
    const int pushed = int(ChangeHow::Pushed);
    const int automatic = int(ChangeHow::Automatic);
    Profile noRenew = cleanDynamic();
    noRenew.dynamicSettings()->renewBeforeDays = 0;
    const Profile staticIp = withStaticIp(benchCertificate(), QStringLiteral("10.0.0.{seq+10}"));

    QTest::newRow("EST rotates automatically") << cleanDynamic() << "Rotate" << automatic;
    QTest::newRow("EST renews automatically") << cleanDynamic() << "Renew" << automatic;
    QTest::newRow("EST without renewal needs a visit") << noRenew << "Renew" << site;
    QTest::newRow("EST revokes one device remotely") << cleanDynamic() << "Revoke" << pushed;
    QTest::newRow("LwM2M pushes endpoints")
        << lwm2m(QStringLiteral("{random:32}")) << "Change the server" << pushed;
    QTest::newRow("static endpoints need a visit") << sharedPsk() << "Change the server" << site;
    QTest::newRow("shared PSK rotation needs a visit") << sharedPsk() << "Rotate" << site;
    QTest::newRow("shared PSK revocation hits everyone") << sharedPsk() << "Revoke" << site;
    QTest::newRow("per-device password revoked centrally")
        << usernamePassword(QStringLiteral("{random:20}")) << "Revoke" << pushed;
    QTest::newRow("bench certificates renew at the bench") << staticIp << "Renew" << site;
    QTest::newRow("static IP renumbering needs a visit") << staticIp << "Renumber" << site;
    QTest::newRow("DHCP renumbers itself") << sharedPsk() << "Renumber" << automatic;
    QTest::newRow("Wi-Fi change on static") << sharedPsk() << "Change the Wi-Fi" << site;
}

void TestComparison::flexibility_derivedFromFields()
{
    QFETCH(Profile, profile);
    QFETCH(QString, change);
    QFETCH(int, how);
    const Assessment a = assess(profile, 5);
    const ChangeImpact *c = ::change(a, qPrintable(change));
    QVERIFY2(c, qPrintable(change));
    QCOMPARE(int(c->how), how);
    QVERIFY(!c->why.isEmpty());
    int visits = 0;
    for (const ChangeImpact &i : a.flexibility)
        visits += i.how == ChangeHow::SiteVisit;
    QCOMPARE(a.siteVisitChanges(), visits);
}

void TestComparison::scalability_dropsWithBenchWorkAndFleetSize()
{
    const Profile bench = withStaticIp(benchCertificate(), QStringLiteral("10.0.0.{seq+10}"));
    const Assessment est5 = assess(cleanDynamic(), 5);
    const Assessment est500 = assess(cleanDynamic(), 500);
    const Assessment bench500 = assess(bench, 500);
    for (const Assessment *a : {&est5, &est500, &bench500}) {
        QVERIFY(a->scalability.rating >= 1 && a->scalability.rating <= 5);
        QVERIFY(!a->scalability.summary.isEmpty());
    }
    QVERIFY(est500.scalability.rating < est5.scalability.rating);
    QVERIFY(bench500.scalability.rating < est500.scalability.rating);
    QVERIFY(bench500.scalability.summary.contains(QStringLiteral("bench")));
    QVERIFY(est500.scalability.summary.contains(QStringLiteral("500")));
}

void TestComparison::json_keysStableAndTyped()
{
    CostModel model;
    model.calibrate(QStringLiteral("write-wifi"), 2.5, 8);
    const QJsonObject o = comparisonToJson(compareProfiles(sharedPsk(), cleanDynamic(), 5, model));
    using T = QJsonValue::Type;
    checkKeys(o,
        {{"schema", T::String}, {"devices", T::Double}, {"recommendation", T::String},
            {"breakEvenDevices", T::Double}, {"profiles", T::Array}, {"diff", T::Array}},
        "root");
    QCOMPARE(
        o.value(QStringLiteral("schema")).toString(), QStringLiteral("provbench.comparison/1"));
    QCOMPARE(o.value(QStringLiteral("devices")).toInt(), 5);
    QCOMPARE(o.value(QStringLiteral("breakEvenDevices")).toInt(), 240);

    const QJsonArray profiles = o.value(QStringLiteral("profiles")).toArray();
    QCOMPARE(profiles.size(), 2);
    bool sawCalibrated = false;
    for (const QJsonValue &pv : profiles) {
        const QJsonObject p = pv.toObject();
        checkKeys(p,
            {{"name", T::String}, {"kind", T::String}, {"effort", T::Object},
                {"scalability", T::Object}, {"flexibility", T::Array}, {"findings", T::Array}},
            "profile");
        const QJsonObject effort = p.value(QStringLiteral("effort")).toObject();
        checkKeys(effort,
            {{"setupMinutes", T::Double}, {"perDeviceMinutes", T::Double},
                {"automatedMinutesPerDevice", T::Double}, {"manualStepsPerDevice", T::Double},
                {"totalMinutes", T::Double}, {"steps", T::Array}},
            "effort");
        for (const QJsonValue &sv : effort.value(QStringLiteral("steps")).toArray()) {
            const QJsonObject s = sv.toObject();
            checkKeys(s,
                {{"id", T::String}, {"label", T::String}, {"operatorMinutes", T::Double},
                    {"automatedMinutes", T::Double}, {"perDevice", T::Bool},
                    {"calibrated", T::Bool}},
                "step");
            const bool calibrated = s.value(QStringLiteral("calibrated")).toBool();
            QCOMPARE(calibrated, s.value(QStringLiteral("id")).toString() == u"write-wifi");
            sawCalibrated |= calibrated;
            QVERIFY(!s.value(QStringLiteral("label")).toString().endsWith(u')'));
        }
        checkKeys(p.value(QStringLiteral("scalability")).toObject(),
            {{"rating", T::Double}, {"summary", T::String}}, "scalability");
        for (const QJsonValue &fv : p.value(QStringLiteral("flexibility")).toArray()) {
            checkKeys(fv.toObject(),
                {{"change", T::String}, {"how", T::String}, {"why", T::String}}, "flexibility");
            QVERIFY(QStringList({QStringLiteral("site-visit"), QStringLiteral("pushed"),
                                    QStringLiteral("automatic")})
                        .contains(fv.toObject().value(QStringLiteral("how")).toString()));
        }
        for (const QJsonValue &fv : p.value(QStringLiteral("findings")).toArray())
            checkKeys(fv.toObject(),
                {{"rule", T::String}, {"severity", T::String}, {"title", T::String},
                    {"detail", T::String}, {"path", T::String}, {"reference", T::String}},
                "finding");
    }
    QVERIFY(sawCalibrated);
    QCOMPARE(profiles.at(0).toObject().value(QStringLiteral("kind")).toString(), u"static");
    QCOMPARE(profiles.at(1).toObject().value(QStringLiteral("kind")).toString(), u"dynamic");
    QVERIFY(!profiles.at(0).toObject().value(QStringLiteral("findings")).toArray().isEmpty());

    const QJsonArray diff = o.value(QStringLiteral("diff")).toArray();
    QVERIFY(!diff.isEmpty());
    for (const QJsonValue &dv : diff)
        checkKeys(dv.toObject(),
            {{"path", T::String}, {"label", T::String}, {"left", T::String}, {"right", T::String},
                {"differs", T::Bool}, {"secret", T::Bool}},
            "diff");
}

void TestComparison::json_breakEvenNullWhenLinesDoNotCross()
{
    const QJsonObject o = comparisonToJson(compareProfiles(sharedPsk(), sharedPsk(), 5));
    QVERIFY(o.contains(QStringLiteral("breakEvenDevices")));
    QVERIFY(o.value(QStringLiteral("breakEvenDevices")).isNull());
}

void TestComparison::text_andMarkdown_showAssessmentWithoutSecrets()
{
    Profile left = sharedPsk();
    left.network.wifi->passphrase.value = QStringLiteral("do-not-print-me-123");
    const Comparison c = compareProfiles(left, cleanDynamic(), 500);
    const QString text = comparisonToText(c);
    const QString md = comparisonToMarkdown(c);
    const QString json = QString::fromUtf8(QJsonDocument(comparisonToJson(c)).toJson());
    for (const QString &out : {text, md, json}) {
        QVERIFY(out.contains(left.name));
        QVERIFY(out.contains(QStringLiteral("EST onboarding")));
        QVERIFY(!out.contains(QStringLiteral("do-not-print-me-123")));
        QVERIFY(!out.contains(left.staticSettings()->credentials.psk.value));
    }
    for (const QString &out : {text, md}) {
        QVERIFY(out.contains(QStringLiteral("50 h 15 min")));
        QVERIFY(out.contains(QStringLiteral("Secret shared across devices")));
        QVERIFY(out.contains(QStringLiteral("Rotate device credentials")));
        QVERIFY(out.contains(QStringLiteral("Wi-Fi passphrase"))); // a differing row
        QVERIFY(out.contains(c.recommendation));
        QVERIFY(out.contains(QStringLiteral("240 devices")));
    }
    QVERIFY(text.contains(QStringLiteral("HIGH")));
    QVERIFY(md.contains(QStringLiteral("| Severity |")));
}

void TestComparison::severityAndHowNames()
{
    QCOMPARE(severityName(Severity::Info), QStringLiteral("info"));
    QCOMPARE(severityName(Severity::Low), QStringLiteral("low"));
    QCOMPARE(severityName(Severity::Medium), QStringLiteral("medium"));
    QCOMPARE(severityName(Severity::High), QStringLiteral("high"));
    QCOMPARE(changeHowName(ChangeHow::SiteVisit), QStringLiteral("site-visit"));
    QCOMPARE(changeHowName(ChangeHow::Pushed), QStringLiteral("pushed"));
    QCOMPARE(changeHowName(ChangeHow::Automatic), QStringLiteral("automatic"));
    QCOMPARE(formatDuration(45), QStringLiteral("45 min"));
    QCOMPARE(formatDuration(2885), QStringLiteral("48 h 05 min"));
}

void TestComparison::sameProfileOnBothSides_saysSoInsteadOfPicking()
{
    const Comparison c = compareProfiles(sharedPsk(), sharedPsk(), 5);
    QVERIFY2(c.recommendation.contains(u"same profile"), qPrintable(c.recommendation));
    QVERIFY(
        std::none_of(c.diff.cbegin(), c.diff.cend(), [](const DiffRow &r) { return r.differs; }));
}

QTEST_GUILESS_MAIN(TestComparison)
#include "tst_comparison.moc"
