#include "comparisonfixtures.h"

#include <QTest>

using namespace provbench::profiles;
using namespace fixtures;

namespace {

QStringList differing(const QList<DiffRow> &rows)
{
    QStringList out;
    for (const DiffRow &r : rows) {
        if (r.differs)
            out.append(r.path);
    }
    return out;
}

const DiffRow *row(const QList<DiffRow> &rows, const QString &path)
{
    for (const DiffRow &r : rows) {
        if (r.path == path)
            return &r;
    }
    return nullptr;
}

// The canonical JSON order the rows must follow.
const QStringList kCanonical = QString::fromLatin1(
    "schema kind name description site naming.hostname naming.deviceName network.wifi.ssid "
    "network.wifi.security network.wifi.passphrase network.wifi.hidden network.ip.mode "
    "network.ip.address network.ip.prefixLength network.ip.gateway network.ip.dns endpoints.mqtt "
    "endpoints.https endpoints.coap ntp credentials.type credentials.identity credentials.psk "
    "credentials.username credentials.password credentials.certificate credentials.privateKey "
    "credentials.keyAlgorithm credentials.validityDays credentials.subject enrollment.method "
    "enrollment.url enrollment.trustAnchor enrollment.token.ttlMinutes "
    "enrollment.token.singleUse enrollment.manualApproval enrollment.broker "
    "enrollment.claimCertificate enrollment.claimKey enrollment.template "
    "enrollment.topics.request enrollment.topics.response enrollment.serverUri "
    "enrollment.pskIdentity enrollment.psk deviceKey.algorithm certificate.lifetimeDays "
    "certificate.renewBeforeDays")
                                   .split(QLatin1Char(' '));

} // namespace

class TestProfileDiff : public QObject
{
    Q_OBJECT

private slots:
    void identical_hasNoDifferences();
    void differences_flagged_data();
    void differences_flagged();
    void rows_followCanonicalOrder();
    void kindSpecificRows_emptyOnOtherSide();
    void secrets_neverShown_data();
    void secrets_neverShown();
};

void TestProfileDiff::identical_hasNoDifferences()
{
    for (const Profile &p : {sharedPsk(), cleanDynamic(), mqttFleet(), benchCertificate()}) {
        const QList<DiffRow> rows = diffProfiles(p, p);
        QVERIFY(!rows.isEmpty());
        QVERIFY2(differing(rows).isEmpty(), qPrintable(differing(rows).join(u',')));
        for (const DiffRow &r : rows)
            QVERIFY2(!r.label.isEmpty(), qPrintable(r.path));
    }
}

void TestProfileDiff::differences_flagged_data()
{
    QTest::addColumn<Profile>("left");
    QTest::addColumn<Profile>("right");
    QTest::addColumn<QStringList>("paths");

    Profile ssid = sharedPsk();
    ssid.network.wifi->ssid = QStringLiteral("Other-Net");
    QTest::newRow("ssid") << sharedPsk() << ssid
                          << QStringList{QStringLiteral("network.wifi.ssid")};

    Profile ip = withStaticIp(sharedPsk(), QStringLiteral("10.0.0.{seq+10}"));
    QTest::newRow("dhcp to static adds the address rows")
        << sharedPsk() << ip
        << QStringList{QStringLiteral("network.ip.mode"), QStringLiteral("network.ip.address"),
               QStringLiteral("network.ip.prefixLength"), QStringLiteral("network.ip.gateway"),
               QStringLiteral("network.ip.dns")};

    Profile ttl = cleanDynamic();
    ttl.dynamicSettings()->est.tokenTtlMinutes = 30;
    ttl.dynamicSettings()->renewBeforeDays = 0;
    QTest::newRow("token ttl and renewal")
        << cleanDynamic() << ttl
        << QStringList{QStringLiteral("enrollment.token.ttlMinutes"),
               QStringLiteral("certificate.renewBeforeDays")};

    QTest::newRow("credential type changes its fields")
        << sharedPsk() << benchCertificate()
        << QStringList{QStringLiteral("name"), QStringLiteral("credentials.type"),
               QStringLiteral("credentials.identity"), QStringLiteral("credentials.psk"),
               QStringLiteral("credentials.keyAlgorithm"),
               QStringLiteral("credentials.validityDays"), QStringLiteral("credentials.subject")};
}

void TestProfileDiff::differences_flagged()
{
    QFETCH(Profile, left);
    QFETCH(Profile, right);
    QFETCH(QStringList, paths);
    QCOMPARE(differing(diffProfiles(left, right)), paths);
}

void TestProfileDiff::rows_followCanonicalOrder()
{
    const QList<DiffRow> rows = diffProfiles(withStaticIp(sharedPsk(), QStringLiteral("10.0.0.9")),
        lwm2m(QStringLiteral("{random:32}")));
    qsizetype last = -1;
    for (const DiffRow &r : rows) {
        const qsizetype at = kCanonical.indexOf(r.path);
        QVERIFY2(at > last, qPrintable(r.path));
        last = at;
    }
}

void TestProfileDiff::kindSpecificRows_emptyOnOtherSide()
{
    const QList<DiffRow> rows = diffProfiles(sharedPsk(), cleanDynamic());
    const DiffRow *type = row(rows, QStringLiteral("credentials.type"));
    QVERIFY(type);
    QCOMPARE(type->left, credentialKindLabel(StaticCredentialKind::SharedPsk));
    QVERIFY(type->right.isEmpty());
    QVERIFY(type->differs);

    const DiffRow *method = row(rows, QStringLiteral("enrollment.method"));
    QVERIFY(method);
    QVERIFY(method->left.isEmpty());
    QCOMPARE(method->right, enrollmentMethodLabel(EnrollmentMethod::Est));

    const DiffRow *kind = row(rows, QStringLiteral("kind"));
    QVERIFY(kind && kind->differs);
    QCOMPARE(kind->left, QStringLiteral("static"));

    // Fields of other credential types and other methods do not appear at all.
    QVERIFY(!row(rows, QStringLiteral("credentials.username")));
    QVERIFY(!row(rows, QStringLiteral("enrollment.broker")));
    QVERIFY(!row(rows, QStringLiteral("network.ip.address")));
    // Shared fields that match are present and not flagged.
    const DiffRow *ssid = row(rows, QStringLiteral("network.wifi.ssid"));
    QVERIFY(ssid && !ssid->differs);
}

void TestProfileDiff::secrets_neverShown_data()
{
    QTest::addColumn<QString>("leftSecret");
    QTest::addColumn<QString>("rightSecret");
    QTest::addColumn<QString>("leftText");
    QTest::addColumn<QString>("rightText");
    QTest::addColumn<bool>("differs");

    const QString same = QStringLiteral("set (same)");
    const QString differ = QStringLiteral("set (differs)");
    const QString unset = QStringLiteral("not set");
    QTest::newRow("same") << QStringLiteral("lantern-river-88")
                          << QStringLiteral("lantern-river-88") << same << same << false;
    QTest::newRow("different") << QStringLiteral("lantern-river-88")
                               << QStringLiteral("harbour-tram-31") << differ << differ << true;
    QTest::newRow("one missing") << QStringLiteral("lantern-river-88") << QString() << differ
                                 << unset << true;
    QTest::newRow("both missing") << QString() << QString() << unset << unset << false;
}

void TestProfileDiff::secrets_neverShown()
{
    QFETCH(QString, leftSecret);
    QFETCH(QString, rightSecret);
    QFETCH(QString, leftText);
    QFETCH(QString, rightText);
    QFETCH(bool, differs);

    Profile l = sharedPsk();
    Profile r = sharedPsk();
    l.network.wifi->passphrase.value = leftSecret;
    r.network.wifi->passphrase.value = rightSecret;
    l.staticSettings()->credentials.psk.value = leftSecret;
    r.staticSettings()->credentials.psk.value = rightSecret;
    const QList<DiffRow> rows = diffProfiles(l, r);
    for (const char *path : {"network.wifi.passphrase", "credentials.psk"}) {
        const DiffRow *d = row(rows, QLatin1String(path));
        QVERIFY2(d, path);
        QVERIFY(d->secret);
        QCOMPARE(d->left, leftText);
        QCOMPARE(d->right, rightText);
        QCOMPARE(d->differs, differs);
    }
    for (const DiffRow &d : rows) {
        if (!leftSecret.isEmpty())
            QVERIFY(!d.left.contains(leftSecret) && !d.right.contains(leftSecret));
        if (!rightSecret.isEmpty())
            QVERIFY(!d.left.contains(rightSecret) && !d.right.contains(rightSecret));
        QCOMPARE(d.secret,
            d.path == QLatin1String("network.wifi.passphrase")
                || d.path == QLatin1String("credentials.psk"));
    }
}

QTEST_GUILESS_MAIN(TestProfileDiff)
#include "tst_profilediff.moc"
