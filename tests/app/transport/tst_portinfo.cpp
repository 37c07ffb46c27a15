#include "app/transport/portinfo.h"

#include <QTest>

using namespace provbench;

class tst_PortInfo : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void bridgeName_knownBridges_data()
    {
        QTest::addColumn<int>("vid");
        QTest::addColumn<int>("pid");
        QTest::addColumn<QString>("name");
        QTest::newRow("CP2102") << 0x10c4 << 0xea60 << QStringLiteral("Silicon Labs CP210x");
        QTest::newRow("CH340") << 0x1a86 << 0x7523 << QStringLiteral("WCH CH340");
        QTest::newRow("CH9102") << 0x1a86 << 0x55d4 << QStringLiteral("WCH CH9102");
        QTest::newRow("FT232R") << 0x0403 << 0x6001 << QStringLiteral("FTDI FT232R");
        QTest::newRow("PL2303") << 0x067b << 0x2303 << QStringLiteral("Prolific PL2303");
        QTest::newRow("ESP32 USB-Serial/JTAG")
            << 0x303a << 0x1001 << QStringLiteral("Espressif ESP32 USB-Serial/JTAG");
        QTest::newRow("J-Link on an nRF DK")
            << 0x1366 << 0x1015 << QStringLiteral("SEGGER J-Link CDC (nRF DK)");
        QTest::newRow("unknown FTDI product falls back to vendor")
            << 0x0403 << 0x1234 << QStringLiteral("FTDI bridge");
        QTest::newRow("unknown vendor") << 0xdead << 0xbeef << QString();
    }
    void bridgeName_knownBridges()
    {
        QFETCH(int, vid);
        QFETCH(int, pid);
        QFETCH(QString, name);
        QCOMPARE(bridgeName(quint16(vid), quint16(pid)), name);
    }

    void vidPid_formatsLowerHexOrEmpty()
    {
        PortInfo p;
        QCOMPARE(p.vidPid(), QString());
        p.vendorId = 0x10c4;
        p.productId = 0xea60;
        QCOMPARE(p.vidPid(), QStringLiteral("10c4:ea60"));
        p.vendorId = 0x0403;
        p.productId = 0x0001;
        QCOMPARE(p.vidPid(), QStringLiteral("0403:0001"));
    }
};

QTEST_GUILESS_MAIN(tst_PortInfo)
#include "tst_portinfo.moc"
