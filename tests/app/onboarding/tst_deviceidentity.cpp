// Matching a device's identity against the CSV of expected devices: keys in
// order of preference, case and surrounding space ignored, first key wins.

#include "app/onboarding/batch/deviceidentity.h"

#include <QTest>

using namespace provbench;
using namespace provbench::onboarding::batch;

namespace {

journey::ExpectedDevice row(const QString &serial)
{
    journey::ExpectedDevice d;
    d.serialNumber = serial;
    return d;
}

} // namespace

class tst_DeviceIdentity : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void addKey_skipsEmptyAndRepeated()
    {
        DeviceIdentity id;
        id.addKey(QString());
        id.addKey(QStringLiteral("  "));
        id.addKey(QStringLiteral(" A1B2 "));
        id.addKey(QStringLiteral("a1b2"));
        id.addKey(QStringLiteral("kitchen"));
        QCOMPARE(id.keys, (QStringList{QStringLiteral("A1B2"), QStringLiteral("kitchen")}));
    }

    void matchExpected_data()
    {
        QTest::addColumn<QStringList>("keys");
        QTest::addColumn<QStringList>("csv");
        QTest::addColumn<int>("row");
        const QStringList csv{QStringLiteral("352656100367872"), QStringLiteral("kitchen-sensor"),
            QStringLiteral(" FT4TQ9A "), QStringLiteral("zephyr-1")};
        QTest::newRow("IMEI") << QStringList{QStringLiteral("352656100367872")} << csv << 0;
        QTest::newRow("name, other case")
            << QStringList{QStringLiteral("Kitchen-Sensor")} << csv << 1;
        QTest::newRow("csv cell with spaces") << QStringList{QStringLiteral("ft4tq9a")} << csv << 2;
        QTest::newRow("USB serial before name")
            << QStringList{QStringLiteral("FT4TQ9A"), QStringLiteral("kitchen-sensor")} << csv << 2;
        QTest::newRow("second key matches")
            << QStringList{QStringLiteral("0001"), QStringLiteral("zephyr-1")} << csv << 3;
        QTest::newRow("nothing matches") << QStringList{QStringLiteral("zephyr-2")} << csv << -1;
        QTest::newRow("no keys") << QStringList{} << csv << -1;
        QTest::newRow("empty CSV")
            << QStringList{QStringLiteral("zephyr-1")} << QStringList{} << -1;
        QTest::newRow("prefix is no match") << QStringList{QStringLiteral("kitchen")} << csv << -1;
    }
    void matchExpected()
    {
        QFETCH(QStringList, keys);
        QFETCH(QStringList, csv);
        QFETCH(int, row);
        DeviceIdentity id;
        for (const QString &k : keys)
            id.addKey(k);
        QList<journey::ExpectedDevice> expected;
        for (const QString &s : csv)
            expected << ::row(s);
        QCOMPARE(onboarding::batch::matchExpected(id, expected), row);
    }
};

QTEST_GUILESS_MAIN(tst_DeviceIdentity)
#include "tst_deviceidentity.moc"
