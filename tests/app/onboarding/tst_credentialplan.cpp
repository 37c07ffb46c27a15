#include "app/onboarding/credentialplan.h"

#include <QTest>

using namespace provbench;
using namespace provbench::onboarding;
using namespace provbench::profiles;

namespace {

Profile benchCertificate()
{
    Profile p = defaultProfile(ProfileKind::Static);
    p.network.wifi->ssid = QStringLiteral("Plant");
    p.network.wifi->passphrase.value = QStringLiteral("conveyor-belt-41");
    p.endpoints.mqtt = QStringLiteral("mqtts://broker:8883");
    p.staticSettings()->credentials.kind = StaticCredentialKind::BenchCertificate;
    return p;
}

Profile sharedPsk()
{
    Profile p = benchCertificate();
    StaticCredentials &c = p.staticSettings()->credentials;
    c.kind = StaticCredentialKind::SharedPsk;
    c.pskIdentity = QStringLiteral("office");
    c.psk.value = QStringLiteral("00112233445566778899aabbccddeeff");
    return p;
}

// "a b c" -> {"a", "b", "c"}
QStringList names(const char *spaceSeparated)
{
    return QString::fromLatin1(spaceSeparated).split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

QStringList ids(const QList<PlanItem> &items, bool supported)
{
    QStringList out;
    for (const PlanItem &i : items) {
        if ((i.source != PlanItem::Source::Unsupported) == supported)
            out << i.id;
    }
    return out;
}

const PlanItem *find(const QList<PlanItem> &items, const QString &id)
{
    for (const PlanItem &i : items) {
        if (i.id == id)
            return &i;
    }
    return nullptr;
}

} // namespace

class tst_CredentialPlan : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void plan_perProtocol_data()
    {
        QTest::addColumn<int>("protocol");
        QTest::addColumn<bool>("psk");
        QTest::addColumn<QStringList>("supported");
        QTest::addColumn<QStringList>("unsupported");
        QTest::newRow("Improv, bench certificate")
            << int(DeviceProtocol::Improv) << false << names("wifi hostname device-name")
            << names("ca-cert client-cert client-key");
        QTest::newRow("SMP, bench certificate")
            << int(DeviceProtocol::Smp) << false
            << names("wifi-ssid wifi-security wifi-passphrase hostname device-name mqtt-url ntp "
                     "ca-cert client-cert client-key")
            << names("");
        QTest::newRow("nRF91, bench certificate")
            << int(DeviceProtocol::Nrf91At) << false << names("ca-cert client-cert client-key")
            << names("wifi");
        QTest::newRow("nRF91, shared PSK")
            << int(DeviceProtocol::Nrf91At) << true << names("psk-identity psk") << names("wifi");
        QTest::newRow("Improv, shared PSK")
            << int(DeviceProtocol::Improv) << true << names("wifi hostname device-name")
            << names("psk-identity psk");
    }
    void plan_perProtocol()
    {
        QFETCH(int, protocol);
        QFETCH(bool, psk);
        QFETCH(QStringList, supported);
        QFETCH(QStringList, unsupported);
        const auto items
            = planCredentials(psk ? sharedPsk() : benchCertificate(), DeviceProtocol(protocol));
        QCOMPARE(ids(items, true), supported);
        QCOMPARE(ids(items, false), unsupported);
        for (const PlanItem &i : items) {
            if (i.source == PlanItem::Source::Unsupported)
                QVERIFY2(!i.note.isEmpty(), qPrintable(i.id)); // the user is told why
        }
    }

    void nrf91_usesTheSecTagAndCmngTypes()
    {
        PlanOptions options;
        options.secTag = 7;
        const auto items = planCredentials(benchCertificate(), DeviceProtocol::Nrf91At, options);
        QCOMPARE(find(items, QStringLiteral("ca-cert"))->cmngType, 0);
        QCOMPARE(find(items, QStringLiteral("client-cert"))->cmngType, 1);
        QCOMPARE(find(items, QStringLiteral("client-key"))->cmngType, 2);
        QCOMPARE(find(items, QStringLiteral("client-key"))->secTag, 7);
        QVERIFY(find(items, QStringLiteral("client-key"))->secret);
        QCOMPARE(find(items, QStringLiteral("client-key"))->source, PlanItem::Source::GeneratedKey);
        const auto pskItems = planCredentials(sharedPsk(), DeviceProtocol::Nrf91At, options);
        QCOMPARE(find(pskItems, QStringLiteral("psk"))->cmngType, 3);
        QCOMPARE(find(pskItems, QStringLiteral("psk-identity"))->cmngType, 4);
        // Wi-Fi is not a gap on a cellular modem, just not used.
        QVERIFY(find(items, QStringLiteral("wifi"))->notApplicable);
        const auto improv = planCredentials(benchCertificate(), DeviceProtocol::Improv);
        QVERIFY(!find(improv, QStringLiteral("client-key"))->notApplicable);
    }

    void smp_secretsAreMarkedAndFilesLiveUnderProvbench()
    {
        const auto items = planCredentials(benchCertificate(), DeviceProtocol::Smp);
        QVERIFY(find(items, QStringLiteral("wifi-passphrase"))->secret);
        QVERIFY(!find(items, QStringLiteral("wifi-ssid"))->secret);
        QCOMPARE(find(items, QStringLiteral("wifi-passphrase"))->settingKey,
            QStringLiteral("provbench/wifi/psk"));
        QCOMPARE(find(items, QStringLiteral("client-key"))->remotePath,
            QStringLiteral("/lfs/provbench/client.key"));
    }

    void dynamicEst_plansTheTrustAnchorNotAKey()
    {
        Profile p = defaultProfile(ProfileKind::Dynamic);
        p.dynamicSettings()->est.trustAnchorFile = QStringLiteral("ca/est.pem");
        const auto items = planCredentials(p, DeviceProtocol::Smp);
        QVERIFY(find(items, QStringLiteral("est-url")));
        QCOMPARE(find(items, QStringLiteral("trust-anchor"))->file, QStringLiteral("ca/est.pem"));
        // The device makes its own key: nothing secret leaves the bench.
        QVERIFY(!find(items, QStringLiteral("client-key")));
        for (const PlanItem &i : items)
            QVERIFY2(i.source != PlanItem::Source::GeneratedKey, qPrintable(i.id));
    }

    void dynamicEst_smpGetsTheBootstrapWithTheTokenLast()
    {
        Profile p = defaultProfile(ProfileKind::Dynamic);
        p.dynamicSettings()->est.trustAnchorFile = QStringLiteral("ca/ca.pem");
        const auto items = planCredentials(p, DeviceProtocol::Smp);
        const PlanItem *id = find(items, QStringLiteral("est-id"));
        QVERIFY(id);
        QCOMPARE(id->source, PlanItem::Source::DeviceId);
        QCOMPARE(id->settingKey, QStringLiteral("provbench/est/id"));
        QCOMPARE(items.last().id, QStringLiteral("est-token"));
        QCOMPARE(items.last().source, PlanItem::Source::EnrollmentToken);
        QCOMPARE(items.last().settingKey, QStringLiteral("provbench/est/token"));
        QVERIFY(items.last().secret);
    }

    void dynamicEst_improvSaysItCannotCarryTheBootstrap()
    {
        Profile p = defaultProfile(ProfileKind::Dynamic);
        p.dynamicSettings()->est.trustAnchorFile = QStringLiteral("ca/ca.pem");
        p.dynamicSettings()->est.url = QStringLiteral("https://127.0.0.1:8443/.well-known/est");
        p.network.wifi = WifiConfig{QStringLiteral("Lab"), WifiSecurity::Wpa2Psk,
            Secret{QStringLiteral("correct-horse-42")}, false};
        const auto items = planCredentials(p, DeviceProtocol::Improv);
        QVERIFY(find(items, QStringLiteral("wifi")));
        QCOMPARE(find(items, QStringLiteral("wifi"))->source, PlanItem::Source::ProfileValue);
        for (const char *name : {"est-url", "trust-anchor", "est-id", "est-token"}) {
            const PlanItem *item = find(items, QLatin1String(name));
            QVERIFY2(item, name);
            QCOMPARE(item->source, PlanItem::Source::Unsupported);
            QVERIFY(!item->notApplicable);
            QVERIFY2(item->note.contains(QLatin1String("cannot receive the EST bootstrap")),
                qPrintable(item->note));
        }
    }
};

QTEST_GUILESS_MAIN(tst_CredentialPlan)
#include "tst_credentialplan.moc"
