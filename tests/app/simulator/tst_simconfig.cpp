#include "app/simulator/simconfig.h"

#include <QSet>
#include <QTest>

using namespace provbench::sim;

Q_DECLARE_METATYPE(provbench::sim::SimFaults)

namespace {

SimFaults makeFaults(int badChecksum, int drop, qint64 disconnectAt, int noAnswer, int garbage)
{
    SimFaults f;
    f.badChecksum = badChecksum;
    f.dropBytes = drop;
    f.disconnectAtByte = disconnectAt;
    f.noAnswer = noAnswer;
    f.garbage = garbage;
    return f;
}

} // namespace

class TestSimConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseFaults_acceptsGoodSpecs_data();
    void parseFaults_acceptsGoodSpecs();
    void parseFaults_rejectsBadSpecsNamingThePart_data();
    void parseFaults_rejectsBadSpecsNamingThePart();
    void faultsToString_roundTrips_data();
    void faultsToString_roundTrips();
    void demoNetworks_matchTheDocumentedEnvironment();
    void demoConfig_firstThreeAreTheDocumentedDevices();
    void demoConfig_furtherIndicesAreDistinctAndDeterministic();
};

void TestSimConfig::parseFaults_acceptsGoodSpecs_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<SimFaults>("expected");

    QTest::newRow("empty") << QString() << SimFaults{};
    QTest::newRow("blank") << QStringLiteral("  ") << SimFaults{};
    QTest::newRow("bad-checksum") << QStringLiteral("bad-checksum=2") << makeFaults(2, 0, -1, 0, 0);
    QTest::newRow("drop") << QStringLiteral("drop=3") << makeFaults(0, 3, -1, 0, 0);
    QTest::newRow("disconnect-at")
        << QStringLiteral("disconnect-at=120") << makeFaults(0, 0, 120, 0, 0);
    QTest::newRow("disconnect-at zero")
        << QStringLiteral("disconnect-at=0") << makeFaults(0, 0, 0, 0, 0);
    QTest::newRow("no-answer") << QStringLiteral("no-answer=1") << makeFaults(0, 0, -1, 1, 0);
    QTest::newRow("garbage") << QStringLiteral("garbage=1") << makeFaults(0, 0, -1, 0, 1);
    QTest::newRow("all, header example")
        << QStringLiteral("bad-checksum=2,drop=3,disconnect-at=120,no-answer=1,garbage=1")
        << makeFaults(2, 3, 120, 1, 1);
    QTest::newRow("spaces and empty parts")
        << QStringLiteral(" drop = 1 , ,garbage=4, ") << makeFaults(0, 1, -1, 0, 4);
    QTest::newRow("zero count") << QStringLiteral("no-answer=0") << SimFaults{};
}

void TestSimConfig::parseFaults_acceptsGoodSpecs()
{
    QFETCH(QString, spec);
    QFETCH(SimFaults, expected);
    const auto parsed = parseFaults(spec);
    QVERIFY2(parsed.has_value(), qPrintable(parsed ? QString() : parsed.error().message));
    QCOMPARE(*parsed, expected);
}

void TestSimConfig::parseFaults_rejectsBadSpecsNamingThePart_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("named"); // the part the message must quote

    QTest::newRow("unknown key") << QStringLiteral("boom=1") << QStringLiteral("boom");
    QTest::newRow("no value") << QStringLiteral("drop") << QStringLiteral("drop");
    QTest::newRow("empty value") << QStringLiteral("drop=") << QStringLiteral("drop");
    QTest::newRow("not a number") << QStringLiteral("garbage=lots") << QStringLiteral("lots");
    QTest::newRow("negative") << QStringLiteral("no-answer=-1") << QStringLiteral("-1");
    QTest::newRow("fraction") << QStringLiteral("drop=1.5") << QStringLiteral("1.5");
    QTest::newRow("hex") << QStringLiteral("disconnect-at=0x10") << QStringLiteral("0x10");
    QTest::newRow("twice") << QStringLiteral("drop=1,drop=2") << QStringLiteral("drop");
    QTest::newRow("bad after good")
        << QStringLiteral("drop=1,bad_checksum=1") << QStringLiteral("bad_checksum");
    QTest::newRow("wrong separator")
        << QStringLiteral("drop=1;garbage=1") << QStringLiteral("1;garbage=1");
    QTest::newRow("absurdly large")
        << QStringLiteral("drop=99999999999") << QStringLiteral("99999999999");
}

void TestSimConfig::parseFaults_rejectsBadSpecsNamingThePart()
{
    QFETCH(QString, spec);
    QFETCH(QString, named);
    const auto parsed = parseFaults(spec);
    QVERIFY(!parsed.has_value());
    QCOMPARE(parsed.error().code, provbench::Error::Code::InvalidArgument);
    QVERIFY2(parsed.error().message.contains(named), qPrintable(parsed.error().message));
}

void TestSimConfig::faultsToString_roundTrips_data()
{
    QTest::addColumn<SimFaults>("faults");
    QTest::addColumn<QString>("text");

    QTest::newRow("none") << SimFaults{} << QString();
    QTest::newRow("one") << makeFaults(0, 0, -1, 2, 0) << QStringLiteral("no-answer=2");
    QTest::newRow("all") << makeFaults(2, 3, 120, 1,
        1) << QStringLiteral("bad-checksum=2,drop=3,garbage=1,no-answer=1,disconnect-at=120");
    QTest::newRow("disconnect at zero")
        << makeFaults(0, 0, 0, 0, 0) << QStringLiteral("disconnect-at=0");
}

void TestSimConfig::faultsToString_roundTrips()
{
    QFETCH(SimFaults, faults);
    QFETCH(QString, text);
    QCOMPARE(faultsToString(faults), text);
    const auto back = parseFaults(text);
    QVERIFY(back.has_value());
    QCOMPARE(*back, faults);
}

void TestSimConfig::demoNetworks_matchTheDocumentedEnvironment()
{
    const QList<SimNetwork> nets = demoNetworks();
    QCOMPARE(nets.size(), 4);
    QCOMPARE(nets[0].ssid, QStringLiteral("ProvBench-Lab"));
    QCOMPARE(nets[0].rssi, -48);
    QCOMPARE(nets[0].password, QStringLiteral("correct-horse-42"));
    QCOMPARE(nets[1].ssid, QStringLiteral("Warehouse-2G"));
    QCOMPARE(nets[1].password, QStringLiteral("pallet-jack-7"));
    QCOMPARE(nets[2].ssid, QStringLiteral("Guest"));
    QVERIFY(nets[2].password.isEmpty());
    QCOMPARE(nets[3].ssid, QStringLiteral("Neighbour-5G"));
    QCOMPARE(nets[3].rssi, -88);
}

void TestSimConfig::demoConfig_firstThreeAreTheDocumentedDevices()
{
    const SimDeviceConfig c0 = demoConfig(0);
    QCOMPARE(c0.firmwareName, QStringLiteral("ESPHome"));
    QCOMPARE(c0.firmwareVersion, QStringLiteral("2024.6.1"));
    QCOMPARE(c0.hardware, QStringLiteral("ESP32-C3"));
    QCOMPARE(c0.deviceName, QStringLiteral("kitchen-sensor"));
    QVERIFY(!c0.fourStringInfo);
    QVERIFY(!c0.legacyFirmware);
    QCOMPARE(c0.seed, 1u);

    const SimDeviceConfig c1 = demoConfig(1);
    QCOMPARE(c1.firmwareName, QStringLiteral("WLED"));
    QCOMPARE(c1.firmwareVersion, QStringLiteral("0.14.4"));
    QCOMPARE(c1.hardware, QStringLiteral("ESP8266"));
    QCOMPARE(c1.deviceName, QStringLiteral("porch-lights"));
    QVERIFY(c1.fourStringInfo);
    QCOMPARE(c1.seed, 2u);

    const SimDeviceConfig c2 = demoConfig(2);
    QCOMPARE(c2.firmwareVersion, QStringLiteral("2023.2.0"));
    QCOMPARE(c2.hardware, QStringLiteral("ESP32"));
    QCOMPARE(c2.deviceName, QStringLiteral("garage-door"));
    QVERIFY(c2.legacyFirmware);

    for (int i = 0; i < 3; ++i) {
        QCOMPARE(demoConfig(i).networks.size(), demoNetworks().size());
        QCOMPARE(demoConfig(i).faults, SimFaults{});
    }
}

void TestSimConfig::demoConfig_furtherIndicesAreDistinctAndDeterministic()
{
    QSet<QString> names;
    QSet<QString> chips;
    for (int i = 0; i < 20; ++i) {
        const SimDeviceConfig c = demoConfig(i);
        QVERIFY2(!names.contains(c.deviceName), qPrintable(c.deviceName));
        names.insert(c.deviceName);
        chips.insert(c.hardware);
        QCOMPARE(c.seed, quint32(i + 1));
        QCOMPARE(c.hostname, c.deviceName);
        QCOMPARE(demoConfig(i).deviceName, c.deviceName);
        QCOMPARE(demoConfig(i).hardware, c.hardware);
    }
    QCOMPARE(demoConfig(7).deviceName, QStringLiteral("sim-node-07"));
    QVERIFY(chips.contains(QStringLiteral("ESP32-S3")));
    QVERIFY(chips.size() >= 4);
}

QTEST_GUILESS_MAIN(TestSimConfig)
#include "tst_simconfig.moc"
