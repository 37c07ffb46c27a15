#include "app/onboarding/devicevars.h"
#include "app/profiles/inventorycheck.h"

#include <QTest>

using namespace provbench;
using namespace provbench::profiles;

namespace {

QList<DeviceVars> devices(const QStringList &serials)
{
    QList<DeviceVars> out;
    int seq = 0;
    for (const QString &s : serials)
        out.append(DeviceVars{s, QString(), QString(), QString(), ++seq});
    return out;
}

} // namespace

class tst_InventoryCheck : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void collisions_data()
    {
        QTest::addColumn<QString>("hostname");
        QTest::addColumn<QString>("address"); // empty: DHCP
        QTest::addColumn<QStringList>("serials");
        QTest::addColumn<QStringList>("collidingFields");
        QTest::newRow("per-device hostname, DHCP")
            << QStringLiteral("s-{serial}") << QString()
            << QStringList{QStringLiteral("A"), QStringLiteral("B")} << QStringList{};
        QTest::newRow("fixed hostname") << QStringLiteral("sensor") << QString()
                                        << QStringList{QStringLiteral("A"), QStringLiteral("B")}
                                        << QStringList{QStringLiteral("hostname")};
        QTest::newRow("fixed static address")
            << QStringLiteral("s-{seq}") << QStringLiteral("10.0.0.5")
            << QStringList{QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("C")}
            << QStringList{QStringLiteral("static IP address")};
        QTest::newRow("address from seq")
            << QStringLiteral("s-{seq}") << QStringLiteral("10.0.0.{seq+10}")
            << QStringList{QStringLiteral("A"), QStringLiteral("B")} << QStringList{};
        QTest::newRow("hostname from a serial two devices share")
            << QStringLiteral("s-{serial}") << QString()
            << QStringList{QStringLiteral("A"), QStringLiteral("A")}
            << QStringList{QStringLiteral("hostname")};
    }
    void collisions()
    {
        QFETCH(QString, hostname);
        QFETCH(QString, address);
        QFETCH(QStringList, serials);
        QFETCH(QStringList, collidingFields);
        Profile p = defaultProfile(ProfileKind::Static);
        p.naming.hostname = hostname;
        p.naming.deviceName = QStringLiteral("Device {seq}");
        p.network.ip.dhcp = address.isEmpty();
        p.network.ip.address = address;
        const InventoryCheck check = checkInventory(p, devices(serials));
        QCOMPARE(check.rows.size(), serials.size());
        QStringList fields;
        for (const Collision &c : check.collisions)
            fields.append(c.field);
        QCOMPARE(fields, collidingFields);
        for (const Collision &c : check.collisions)
            QCOMPARE(c.devices.size(), serials.size());
    }

    void missingValue_isReportedPerDeviceNotGuessed()
    {
        Profile p = defaultProfile(ProfileKind::Static);
        p.naming.hostname = QStringLiteral("s-{mac6}");
        const InventoryCheck check = checkInventory(p, devices({QStringLiteral("A")}));
        QVERIFY(check.rows.first().hostname.isEmpty());
        QVERIFY2(
            check.rows.first().error.contains(u"{mac6}"), qPrintable(check.rows.first().error));
    }

    void siteFallsBackToTheProfile()
    {
        Profile p = defaultProfile(ProfileKind::Static);
        p.site = QStringLiteral("plant-2");
        p.naming.hostname = QStringLiteral("{site}-{seq}");
        const InventoryCheck check = checkInventory(p, devices({QStringLiteral("A")}));
        QCOMPARE(check.rows.first().hostname, QStringLiteral("plant-2-1"));
    }

    void deviceVarsFor_usesUsbSerialAndReportedName()
    {
        DeviceRecord rec;
        rec.port.serialNumber = QStringLiteral("0001A2B3");
        rec.info = improv::DeviceInfo{};
        rec.info->deviceName = QStringLiteral("kitchen-sensor");
        const DeviceVars v = deviceVarsFor(rec, 4);
        QCOMPARE(v.serial, QStringLiteral("0001A2B3"));
        QCOMPARE(v.name, QStringLiteral("kitchen-sensor"));
        QCOMPARE(v.seq, 4);
        QVERIFY(v.mac.isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_InventoryCheck)
#include "tst_inventorycheck.moc"
