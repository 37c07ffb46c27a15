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

    void probeOrder_fromUsbIds_data()
    {
        using P = onboarding::DeviceProtocol;
        QTest::addColumn<int>("vid");
        QTest::addColumn<int>("pid");
        QTest::addColumn<QList<P>>("order");
        const QList<P> fallback{P::Smp, P::Nrf91At, P::Improv};
        const QList<P> esp{P::Improv, P::Smp, P::Nrf91At};
        QTest::newRow("pty (no USB ids)") << -1 << -1 << fallback;
        QTest::newRow("ESP32 USB-Serial/JTAG") << 0x303a << 0x1001 << esp;
        QTest::newRow("CP2102") << 0x10c4 << 0xea60 << esp;
        QTest::newRow("CH340") << 0x1a86 << 0x7523 << esp;
        QTest::newRow("Thingy:91") << 0x1915 << 0x910a << QList<P>{P::Nrf91At, P::Smp, P::Improv};
        QTest::newRow("Nordic CDC") << 0x1915 << 0x520f << fallback;
        QTest::newRow("J-Link") << 0x1366 << 0x1015 << fallback;
        QTest::newRow("FTDI") << 0x0403 << 0x6001 << fallback;
    }
    void probeOrder_fromUsbIds()
    {
        QFETCH(int, vid);
        QFETCH(int, pid);
        QFETCH(QList<onboarding::DeviceProtocol>, order);
        PortInfo port;
        port.path = QStringLiteral("/dev/ttyUSB0");
        if (vid >= 0) {
            port.vendorId = quint16(vid);
            port.productId = quint16(pid);
        }
        QCOMPARE(onboarding::batch::probeOrder(port), order);
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
