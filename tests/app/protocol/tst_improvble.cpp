#include "app/protocol/improv/improvble.h"

#include <QTest>

using namespace provbench;
using namespace provbench::improv;

namespace {

QByteArray hex(const char *spaced)
{
    return QByteArray::fromHex(QByteArray(spaced).replace(' ', ""));
}

// Computed independently (Python) from the spec's framing rules.
const char kWifiRpc[]
    = "01 1e 0c 4d 79 57 69 72 65 6c 65 73 73 41 50 10 6d 79 73 65 63 75 72 65 70 "
      "61 73 73 77 6f 72 64 c0";
const char kInfoResult[]
    = "03 1f 07 45 53 50 48 6f 6d 65 08 32 30 32 34 2e 36 2e 31 08 45 53 50 33 32 "
      "2d 43 33 04 6c 61 6d 70 d3";

} // namespace

class tst_ImprovBle : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void uuids_matchTheSpec()
    {
        QCOMPARE(ble::serviceUuid(),
            QBluetoothUuid(QStringLiteral("00467768-6228-2272-4663-277478268000")));
        QCOMPARE(ble::currentStateUuid(),
            QBluetoothUuid(QStringLiteral("00467768-6228-2272-4663-277478268001")));
        QCOMPARE(ble::rpcCommandUuid(),
            QBluetoothUuid(QStringLiteral("00467768-6228-2272-4663-277478268003")));
        QCOMPARE(ble::capabilitiesUuid(),
            QBluetoothUuid(QStringLiteral("00467768-6228-2272-4663-277478268005")));
    }

    void encodeWifiSettings_isTheRpcWithItsChecksum()
    {
        auto rpc = ble::encodeWifiSettings("MyWirelessAP", "mysecurepassword");
        QVERIFY(rpc);
        QCOMPARE(*rpc, hex(kWifiRpc));
        QVERIFY(!ble::encodeWifiSettings("", "x"));
        QVERIFY(!ble::encodeWifiSettings(QByteArray(33, 's'), "x"));
    }

    void encodeRpc_commandWithoutData()
    {
        auto rpc = ble::encodeRpc(ble::Command::Identify);
        QVERIFY(rpc);
        QCOMPARE(*rpc, hex("02 00 02"));
    }

    void decodeRpc_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<int>("strings");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("device info result") << hex(kInfoResult) << true << 4 << QString();
        QTest::newRow("empty scan end") << hex("04 00 04") << true << 0 << QString();
        QByteArray bad = hex(kInfoResult);
        bad.back() = char(bad.back() ^ 1);
        QTest::newRow("bad checksum") << bad << false << 0 << QStringLiteral("checksum");
        QTest::newRow("cut write")
            << hex(kInfoResult).chopped(5) << false << 0 << QStringLiteral("cut or merged");
        QTest::newRow("merged writes")
            << hex(kInfoResult) + hex("04 00 04") << false << 0 << QStringLiteral("cut or merged");
        QTest::newRow("too short") << hex("03 00") << false << 0 << QStringLiteral("at least 3");
        // The declared length is right and the checksum too, but a string overruns.
        QByteArray overrun = hex("03 02 09 41");
        overrun.append(char(improv::checksum(overrun)));
        QTest::newRow("string overruns") << overrun << false << 0 << QStringLiteral("claims");
    }
    void decodeRpc()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, ok);
        QFETCH(int, strings);
        QFETCH(QString, fragment);
        auto rpc = ble::decodeRpc(bytes);
        QCOMPARE(bool(rpc), ok);
        if (ok)
            QCOMPARE(rpc->strings.size(), strings);
        else
            QVERIFY2(rpc.error().message.contains(fragment), qPrintable(rpc.error().message));
    }

    void decodeRpc_ofEncodedRpc_roundTrips()
    {
        auto rpc = ble::encodeRpc(ble::Command::DeviceInfo, {"a", "", QByteArray(40, 'x')});
        QVERIFY(rpc);
        auto back = ble::decodeRpc(*rpc);
        QVERIFY(back);
        QCOMPARE(back->command, quint8(ble::Command::DeviceInfo));
        QCOMPARE(back->strings.size(), 3);
    }

    void serviceData_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<int>("state");
        QTest::addColumn<int>("capabilities");
        QTest::newRow("authorized, all capabilities") << hex("02 07 00 00 00 00") << true << 2 << 7;
        QTest::newRow("authorization required") << hex("01 01 00 00 00 00") << true << 1 << 1;
        QTest::newRow("two bytes are enough") << hex("04 00") << true << 4 << 0;
        QTest::newRow("one byte") << hex("02") << false << 0 << 0;
        QTest::newRow("state 0 is not a BLE state") << hex("00 00 00 00 00 00") << false << 0 << 0;
        QTest::newRow("state 9") << hex("09 00 00 00 00 00") << false << 0 << 0;
    }
    void serviceData()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, ok);
        QFETCH(int, state);
        QFETCH(int, capabilities);
        auto ad = ble::decodeServiceData(bytes);
        QCOMPARE(bool(ad), ok);
        if (ok) {
            QCOMPARE(int(ad->state), state);
            QCOMPARE(int(ad->capabilities), capabilities);
        }
    }

    void stateAndErrorCharacteristics_holdOneByte()
    {
        QCOMPARE(*ble::decodeState(hex("03")), State::Provisioning);
        QVERIFY(!ble::decodeState(hex("03 00")));
        QCOMPARE(*ble::decodeError(hex("04")), ErrorCode::NotAuthorized);
        QVERIFY(!ble::decodeError({}));
    }

    void splitForMtu_data()
    {
        QTest::addColumn<int>("size");
        QTest::addColumn<int>("mtu");
        QTest::addColumn<int>("pieces");
        QTest::newRow("fits the minimum MTU") << 20 << 23 << 1;
        QTest::newRow("one byte over") << 21 << 23 << 2;
        QTest::newRow("Wi-Fi RPC at the minimum MTU") << 33 << 23 << 2;
        QTest::newRow("large MTU") << 200 << 247 << 1;
        QTest::newRow("nonsense MTU means the minimum") << 41 << 5 << 3;
        QTest::newRow("nothing") << 0 << 23 << 0;
    }
    void splitForMtu()
    {
        QFETCH(int, size);
        QFETCH(int, mtu);
        QFETCH(int, pieces);
        QByteArray bytes(size, Qt::Uninitialized);
        for (int i = 0; i < size; ++i)
            bytes[i] = char(i);
        const QList<QByteArray> parts = ble::splitForMtu(bytes, mtu);
        QCOMPARE(parts.size(), pieces);
        QByteArray joined;
        for (const QByteArray &p : parts) {
            QVERIFY(p.size() <= std::max(23, mtu) - 3);
            joined += p;
        }
        QCOMPARE(joined, bytes);
    }
};

QTEST_APPLESS_MAIN(tst_ImprovBle)
#include "tst_improvble.moc"
