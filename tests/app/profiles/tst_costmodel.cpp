#include "app/profiles/findings.h"

#include "comparisonfixtures.h"

#include <QSet>
#include <QTest>

using namespace provbench::profiles;
using namespace fixtures;

namespace {

QStringList ids(const Effort &e, bool perDevice)
{
    QStringList out;
    for (const CostStep &s : e.steps) {
        if (s.perDevice == perDevice)
            out.append(s.id);
    }
    return out;
}

QStringList split(const char *list)
{
    return QString::fromLatin1(list).split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

} // namespace

class TestCostModel : public QObject
{
    Q_OBJECT

private slots:
    void defaults_documentedAndComplete();
    void steps_derivedFromFields_data();
    void steps_derivedFromFields();
    void totals_forFiveAndFiveHundred_data();
    void totals_forFiveAndFiveHundred();
    void calibrate_replacesOneStep();
    void calibrate_ignoresNonsense_data();
    void calibrate_ignoresNonsense();
};

void TestCostModel::defaults_documentedAndComplete()
{
    const CostModel model;
    const QStringList all = model.stepIds();
    QCOMPARE(QSet<QString>(all.cbegin(), all.cend()).size(), all.size());
    QVERIFY(all.size() >= 20);
    for (const QString &id : all) {
        QVERIFY2(!model.label(id).isEmpty(), qPrintable(id));
        QVERIFY(model.operatorMinutes(id) >= 0);
        QVERIFY(model.automatedMinutes(id) >= 0);
        QVERIFY(!model.isCalibrated(id));
    }
    // Device self-enrolment costs nobody's attention, only waiting.
    QCOMPARE(model.operatorMinutes(QStringLiteral("device-self-enrolment")), 0.0);
    QVERIFY(model.automatedMinutes(QStringLiteral("device-self-enrolment")) > 0);
    QCOMPARE(model.operatorMinutes(QStringLiteral("no-such-step")), 0.0);
    QVERIFY(model.label(QStringLiteral("no-such-step")).isEmpty());
}

void TestCostModel::steps_derivedFromFields_data()
{
    QTest::addColumn<Profile>("profile");
    QTest::addColumn<QStringList>("setup");
    QTest::addColumn<QStringList>("perDevice");

    QTest::newRow("static, no credentials")
        << cleanStatic() << split("prepare-profile")
        << split("connect-device write-wifi write-endpoints verify-connection label-device");
    QTest::newRow("static shared PSK")
        << sharedPsk() << split("prepare-profile")
        << split("connect-device write-wifi write-endpoints write-shared-psk verify-connection "
                 "label-device");
    QTest::newRow("static username/password")
        << usernamePassword(QStringLiteral("{random:20}")) << split("prepare-profile")
        << split("connect-device write-wifi write-endpoints write-username-password "
                 "verify-connection label-device");
    QTest::newRow("static shared certificate")
        << sharedCertificate() << split("prepare-profile obtain-shared-certificate")
        << split("connect-device write-wifi write-endpoints write-shared-certificate "
                 "verify-connection label-device");
    QTest::newRow("static bench certificate, static IP")
        << withStaticIp(benchCertificate(), QStringLiteral("10.0.0.{seq+10}"))
        << split("prepare-profile plan-ip-addresses setup-bench-ca")
        << split("connect-device write-wifi enter-static-ip write-endpoints generate-bench-key "
                 "issue-certificate write-private-key write-certificate verify-credentials "
                 "verify-connection label-device");
    QTest::newRow("static, wired, no endpoints") << [] {
        Profile p = cleanStatic();
        p.network.wifi.reset();
        p.endpoints = {};
        p.ntp.clear();
        return p;
    }() << split("prepare-profile") << split("connect-device verify-connection label-device");
    QTest::newRow("dynamic EST")
        << cleanDynamic() << split("prepare-profile setup-est-ca")
        << split("connect-device write-wifi write-bootstrap issue-token device-self-enrolment "
                 "verify-check-in label-device");
    QTest::newRow("dynamic EST with manual approval")
        <<
        [] {
            Profile p = cleanDynamic();
            p.dynamicSettings()->est.manualApproval = true;
            return p;
        }()
        << split("prepare-profile setup-est-ca")
        << split("connect-device write-wifi write-bootstrap issue-token approve-enrolment "
                 "device-self-enrolment verify-check-in label-device");
    QTest::newRow("dynamic MQTT fleet")
        << mqttFleet() << split("prepare-profile register-fleet-template")
        << split("connect-device write-wifi write-bootstrap device-self-enrolment "
                 "verify-check-in label-device");
    QTest::newRow("dynamic LwM2M")
        << lwm2m(QStringLiteral("{random:32}"))
        << split("prepare-profile configure-lwm2m-bootstrap")
        << split("connect-device write-wifi write-bootstrap device-self-enrolment "
                 "verify-check-in label-device");
}

void TestCostModel::steps_derivedFromFields()
{
    QFETCH(Profile, profile);
    QFETCH(QStringList, setup);
    QFETCH(QStringList, perDevice);
    const CostModel model;
    const Effort e = deriveEffort(profile, model);
    QCOMPARE(ids(e, false), setup);
    QCOMPARE(ids(e, true), perDevice);
    // Every step is priced from the model, with its label.
    for (const CostStep &s : e.steps) {
        QCOMPARE(s.operatorMinutes, model.operatorMinutes(s.id));
        QCOMPARE(s.label, model.label(s.id));
    }
}

void TestCostModel::totals_forFiveAndFiveHundred_data()
{
    QTest::addColumn<Profile>("profile");
    QTest::addColumn<double>("setup");
    QTest::addColumn<double>("perDevice");
    QTest::addColumn<int>("manualSteps");
    QTest::addColumn<double>("total5");
    QTest::addColumn<double>("total500");

    // setup 15; 1 + 1.5 + 1 + 1 + 1 + 0.5 per device
    QTest::newRow("shared PSK") << sharedPsk() << 15.0 << 6.0 << 6 << 45.0 << 3015.0;
    // setup 15 + 120; 1 + 1.5 + 1.5 + 0.5 + 0.5 + 0.5 per device, enrolment automated
    QTest::newRow("EST") << cleanDynamic() << 135.0 << 5.5 << 6 << 162.5 << 2885.0;
    // setup 15 + 20 + 30; 1 + 1.5 + 2 + 1 + 0.5 + 1 + 1.5 + 1.5 + 1 + 1 + 0.5 per device
    QTest::newRow("bench certificate, static IP")
        << withStaticIp(benchCertificate(), QStringLiteral("10.0.0.{seq+10}")) << 65.0 << 12.5 << 11
        << 127.5 << 6315.0;
}

void TestCostModel::totals_forFiveAndFiveHundred()
{
    QFETCH(Profile, profile);
    QFETCH(double, setup);
    QFETCH(double, perDevice);
    QFETCH(int, manualSteps);
    QFETCH(double, total5);
    QFETCH(double, total500);
    const Effort e = deriveEffort(profile, CostModel());
    QCOMPARE(e.setupMinutes, setup);
    QCOMPARE(e.perDeviceMinutes, perDevice);
    QCOMPARE(e.manualStepsPerDevice, manualSteps);
    QCOMPARE(e.totalMinutes(5), total5);
    QCOMPARE(e.totalMinutes(500), total500);
    // assess() uses the same derivation.
    QCOMPARE(assess(profile, 500).effort.totalMinutes(500), total500);
}

void TestCostModel::calibrate_replacesOneStep()
{
    CostModel model;
    const double automatedBefore = model.automatedMinutes(QStringLiteral("write-wifi"));
    model.calibrate(QStringLiteral("write-wifi"), 3.0, 12);
    QVERIFY(model.isCalibrated(QStringLiteral("write-wifi")));
    QCOMPARE(model.operatorMinutes(QStringLiteral("write-wifi")), 3.0);
    QCOMPARE(model.automatedMinutes(QStringLiteral("write-wifi")), automatedBefore);
    QVERIFY(!model.isCalibrated(QStringLiteral("connect-device")));
    QCOMPARE(model.operatorMinutes(QStringLiteral("connect-device")), 1.0);

    const Effort e = deriveEffort(sharedPsk(), model);
    QCOMPARE(e.perDeviceMinutes, 7.5); // 6.0 with 1.5 replaced by 3.0
    QCOMPARE(e.totalMinutes(500), 15.0 + 7.5 * 500);
    const auto wifi = std::find_if(e.steps.cbegin(), e.steps.cend(),
        [](const CostStep &s) { return s.id == QLatin1String("write-wifi"); });
    QVERIFY(wifi != e.steps.cend());
    QVERIFY(wifi->calibrated);
    QCOMPARE(wifi->operatorMinutes, 3.0);

    // A later measurement replaces the earlier one.
    model.calibrate(QStringLiteral("write-wifi"), 2.0, 40);
    QCOMPARE(deriveEffort(sharedPsk(), model).perDeviceMinutes, 6.5);
}

void TestCostModel::calibrate_ignoresNonsense_data()
{
    QTest::addColumn<QString>("step");
    QTest::addColumn<double>("minutes");
    QTest::addColumn<int>("samples");
    QTest::newRow("no samples") << QStringLiteral("write-wifi") << 3.0 << 0;
    QTest::newRow("negative minutes") << QStringLiteral("write-wifi") << -1.0 << 5;
    QTest::newRow("not a number") << QStringLiteral("write-wifi") << qQNaN() << 5;
    QTest::newRow("unknown step") << QStringLiteral("no-such-step") << 3.0 << 5;
}

void TestCostModel::calibrate_ignoresNonsense()
{
    QFETCH(QString, step);
    QFETCH(double, minutes);
    QFETCH(int, samples);
    CostModel model;
    model.calibrate(step, minutes, samples);
    QVERIFY(!model.isCalibrated(step));
    QCOMPARE(model.operatorMinutes(QStringLiteral("write-wifi")), 1.5);
    QCOMPARE(model.stepIds(), CostModel().stepIds());
}

QTEST_GUILESS_MAIN(TestCostModel)
#include "tst_costmodel.moc"
