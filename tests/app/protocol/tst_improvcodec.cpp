#include "app/protocol/improv/improvcodec.h"

#include <QRandomGenerator>
#include <QTest>

using namespace provbench;
using namespace provbench::improv;

namespace {

QByteArray hex(const char *spaced)
{
    return QByteArray::fromHex(QByteArray(spaced));
}

QByteArray packet(PacketType type, const QByteArray &data)
{
    return *encodePacket(type, data);
}

const QByteArray kStateReady = hex("49 4d 50 52 4f 56 01 01 01 02 e2");
const QByteArray kRequestState = hex("49 4d 50 52 4f 56 01 03 02 02 00 e5");
const QByteArray kWifiPacket
    = hex("49 4d 50 52 4f 56 01 03 20 01 1e 0c 4d 79 57 69 72 65 6c 65 73 73 "
          "41 50 10 6d 79 73 65 63 75 72 65 70 61 73 73 77 6f 72 64 c1");
const QByteArray kUrlResult
    = hex("49 4d 50 52 4f 56 01 04 16 01 14 13 68 74 74 70 3a 2f 2f 31 39 32 "
          "2e 31 36 38 2e 31 2e 35 30 d3");

// The error message of a failed result, for QVERIFY2 (which evaluates its
// message even when the check passes).
template<typename T> QByteArray why(const Result<T> &result)
{
    return result.has_value() ? QByteArray() : result.error().message.toUtf8();
}

// Printable form of bytes: ASCII as is, everything else as \xNN.
QString escaped(const QByteArray &bytes)
{
    QString out;
    for (char c : bytes) {
        const auto u = quint8(c);
        if (u >= 0x20 && u < 0x7f)
            out += QLatin1Char(c);
        else
            out += QStringLiteral("\\x%1").arg(u, 2, 16, QLatin1Char('0'));
    }
    return out;
}

// One event as a line a failing QCOMPARE can show:
//   "P <type> <data hex>", "N <text>", "C <raw hex>" (bad checksum), "V <raw hex>".
QString describe(const StreamParser::Event &e)
{
    using Kind = StreamParser::Event::Kind;
    switch (e.kind) {
    case Kind::Packet:
        return QStringLiteral("P %1 %2")
            .arg(int(e.packet.type), 2, 16, QLatin1Char('0'))
            .arg(QString::fromLatin1(e.packet.data.toHex(' ')));
    case Kind::Noise:
        return QStringLiteral("N ") + escaped(e.text);
    case Kind::BadChecksum:
        return QStringLiteral("C ") + QString::fromLatin1(e.text.toHex(' '));
    case Kind::BadVersion:
        return QStringLiteral("V ") + QString::fromLatin1(e.text.toHex(' '));
    }
    return QStringLiteral("?");
}

QStringList describeAll(const QList<StreamParser::Event> &events, bool withNoise = true)
{
    QStringList out;
    for (const auto &e : events) {
        if (withNoise || e.kind != StreamParser::Event::Kind::Noise)
            out.append(describe(e));
    }
    return out;
}

QList<StreamParser::Event> feedAndFlush(StreamParser &parser, QByteArrayView bytes)
{
    auto events = parser.feed(bytes);
    events.append(parser.flush());
    return events;
}

QString line(const char *packetLine)
{
    return QString::fromLatin1(packetLine);
}

// A realistic ESPHome log line, colour codes and CRLF included.
QByteArray logLine(const char *text)
{
    return QByteArray("\x1b[0;32m") + text + QByteArray("\x1b[0m\r\n");
}

QString logNoise(const char *text)
{
    return QStringLiteral("N \\x1b[0;32m") + QString::fromLatin1(text) + QStringLiteral("\\x1b[0m");
}

} // namespace

class tst_ImprovCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // --- encoding ---
    void checksum_isLowByteOfSum_data();
    void checksum_isLowByteOfSum();
    void encode_specVectors_areByteExact_data();
    void encode_specVectors_areByteExact();
    void encodeCommand_everyCommand_producesWireBytes_data();
    void encodeCommand_everyCommand_producesWireBytes();
    void encodeResult_producesWireBytes_data();
    void encodeResult_producesWireBytes();
    void encodeState_everyState_producesWireBytes_data();
    void encodeState_everyState_producesWireBytes();
    void encodeError_everyCode_producesWireBytes_data();
    void encodeError_everyCode_producesWireBytes();
    void encodeRpc_sizeLimits_rejectWithInvalidArgument_data();
    void encodeRpc_sizeLimits_rejectWithInvalidArgument();
    void encodePacket_moreThan255DataBytes_isRejected();

    // --- decoding ---
    void decodeRpc_wellFormed_yieldsCommandAndStrings_data();
    void decodeRpc_wellFormed_yieldsCommandAndStrings();
    void decodeRpc_malformed_failsWithProtocolError_data();
    void decodeRpc_malformed_failsWithProtocolError();
    void decodeRpc_ofEncodedRpc_roundTrips();
    void decodeDeviceInfo_fourOrSixStrings_data();
    void decodeDeviceInfo_fourOrSixStrings();
    void decodeScanEntry_data();
    void decodeScanEntry();
    void decodeNetworkState_data();
    void decodeNetworkState();

    // --- stream parser ---
    void feed_specVectors_yieldOnePacketEach_data();
    void feed_specVectors_yieldOnePacketEach();
    void feed_reportsPacketsAndLogLines_data();
    void feed_reportsPacketsAndLogLines();
    void feed_packetSplitAcrossTwoReads_isCompleted_data();
    void feed_packetSplitAcrossTwoReads_isCompleted();
    void feed_byteByByte_givesSameEventsAsOneRead();
    void feed_damagedInput_reportsItAndResyncsOnNextPacket_data();
    void feed_damagedInput_reportsItAndResyncsOnNextPacket();
    void feed_strayMagicInLogLine_keepsTheLogLineWhole();
    void feed_garbageBinary_isReportedAsNoiseOnly();
    void feed_megabytesOfGarbage_keepBufferBounded_data();
    void feed_megabytesOfGarbage_keepBufferBounded();
    void flush_emitsPartialLineAndForgetsPartialPacket();
    void reset_forgetsPartialPacket();

    // --- messages ---
    void names_coverEveryValue();
    void errorMessage_everyCode_isActionableSentence_data();
    void errorMessage_everyCode_isActionableSentence();
    void errorMessage_unableToConnectOnWifi_namesTheSsid();
    void errorMessage_badHostnameWithoutSubject_doesNotQuoteEmptyName();
    void errorMessage_none_isEmpty();
};

// --- encoding -----------------------------------------------------------------

void tst_ImprovCodec::checksum_isLowByteOfSum_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("expected");

    QTest::newRow("empty") << QByteArray() << 0x00;
    QTest::newRow("one byte") << hex("7f") << 0x7f;
    QTest::newRow("wraps past 0xff") << hex("ff 02") << 0x01;
    QTest::newRow("request-state header") << hex("49 4d 50 52 4f 56 01 03 02 02 00") << 0xe5;
    QTest::newRow("state-ready header") << hex("49 4d 50 52 4f 56 01 01 01 02") << 0xe2;
    QTest::newRow("1000 x 0xff") << QByteArray(1000, char(0xff)) << ((1000 * 0xff) & 0xff);
}

void tst_ImprovCodec::checksum_isLowByteOfSum()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, expected);
    QCOMPARE(int(checksum(bytes)), expected);
}

void tst_ImprovCodec::encode_specVectors_areByteExact_data()
{
    QTest::addColumn<QByteArray>("encoded");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("request current state")
        << *encodeCommand(Command::CurrentState) << kRequestState;
    QTest::newRow("state ready") << encodeState(State::Ready) << kStateReady;
    QTest::newRow("wifi MyWirelessAP/mysecurepassword") << *encodeCommand(Command::WifiSettings,
        {"MyWirelessAP", "mysecurepassword"}) << kWifiPacket;
}

void tst_ImprovCodec::encode_specVectors_areByteExact()
{
    QFETCH(QByteArray, encoded);
    QFETCH(QByteArray, expected);
    QCOMPARE(encoded.toHex(' '), expected.toHex(' '));
}

void tst_ImprovCodec::encodeCommand_everyCommand_producesWireBytes_data()
{
    QTest::addColumn<int>("command");
    QTest::addColumn<QByteArrayList>("strings");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("01 wifi settings")
        << 0x01 << QByteArrayList{"MyWirelessAP", "mysecurepassword"} << kWifiPacket;
    QTest::newRow("01 wifi settings, open network")
        << 0x01 << QByteArrayList{"Cafe", ""}
        << packet(PacketType::RpcCommand, hex("01 06 04 43 61 66 65 00"));
    QTest::newRow("02 current state") << 0x02 << QByteArrayList{} << kRequestState;
    QTest::newRow("03 device info")
        << 0x03 << QByteArrayList{} << hex("49 4d 50 52 4f 56 01 03 02 03 00 e6");
    QTest::newRow("04 wifi scan") << 0x04 << QByteArrayList{}
                                  << hex("49 4d 50 52 4f 56 01 03 02 04 00 e7");
    QTest::newRow("05 get hostname")
        << 0x05 << QByteArrayList{} << hex("49 4d 50 52 4f 56 01 03 02 05 00 e8");
    QTest::newRow("05 set hostname") << 0x05 << QByteArrayList{"my-host"}
                                     << hex("49 4d 50 52 4f 56 01 03 0a 05 08 07 6d 79 2d 68 6f "
                                            "73 74 d0");
    QTest::newRow("06 get device name")
        << 0x06 << QByteArrayList{} << hex("49 4d 50 52 4f 56 01 03 02 06 00 e9");
    QTest::newRow("06 set device name") << 0x06 << QByteArrayList{"Kitchen"}
                                        << hex("49 4d 50 52 4f 56 01 03 0a 06 08 07 4b 69 74 63 "
                                               "68 65 6e c6");
    QTest::newRow("07 network state")
        << 0x07 << QByteArrayList{} << hex("49 4d 50 52 4f 56 01 03 02 07 00 ea");
}

void tst_ImprovCodec::encodeCommand_everyCommand_producesWireBytes()
{
    QFETCH(int, command);
    QFETCH(QByteArrayList, strings);
    QFETCH(QByteArray, expected);

    const auto encoded = encodeCommand(Command(command), strings);
    QVERIFY2(encoded.has_value(), why(encoded).constData());
    QCOMPARE(encoded->toHex(' '), expected.toHex(' '));
}

void tst_ImprovCodec::encodeResult_producesWireBytes_data()
{
    QTest::addColumn<int>("command");
    QTest::addColumn<QByteArrayList>("strings");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("01 url after provisioning")
        << 0x01 << QByteArrayList{"http://192.168.1.50"} << kUrlResult;
    QTest::newRow("03 device info, 4 strings")
        << 0x03 << QByteArrayList{"ESPHome", "2024.6.0", "ESP32-C3", "kitchen-light"}
        << hex("49 4d 50 52 4f 56 01 04 2a 03 28 07 45 53 50 48 6f 6d 65 08 32 30 32 34 2e 36 2e "
               "30 08 45 53 50 33 32 2d 43 33 0d 6b 69 74 63 68 65 6e 2d 6c 69 67 68 74 71");
    QTest::newRow("03 device info, 6 strings")
        << 0x03 << QByteArrayList{"WLED", "0.15.0", "esp32", "WLED-Desk", "ESP-IDF", "v4.4.7"}
        << hex("49 4d 50 52 4f 56 01 04 2d 03 2b 04 57 4c 45 44 06 30 2e 31 35 2e 30 05 65 73 70 "
               "33 32 09 57 4c 45 44 2d 44 65 73 6b 07 45 53 50 2d 49 44 46 06 76 34 2e 34 2e 37 "
               "96");
    QTest::newRow("04 scan entry") << 0x04 << QByteArrayList{"HomeNet", "-52", "YES"}
                                   << hex("49 4d 50 52 4f 56 01 04 12 04 10 07 48 6f 6d 65 4e 65 "
                                          "74 03 2d 35 32 03 59 45 53 4a");
    QTest::newRow("04 scan end") << 0x04 << QByteArrayList{}
                                 << hex("49 4d 50 52 4f 56 01 04 02 04 00 e8");
    QTest::newRow("05 hostname") << 0x05 << QByteArrayList{"kitchen-light"}
                                 << hex("49 4d 50 52 4f 56 01 04 10 05 0e 0d 6b 69 74 63 68 65 6e "
                                        "2d 6c 69 67 68 74 3d");
    QTest::newRow("06 device name") << 0x06 << QByteArrayList{"Kitchen Light"}
                                    << hex("49 4d 50 52 4f 56 01 04 10 06 0e 0d 4b 69 74 63 68 65 "
                                           "6e 20 4c 69 67 68 74 f1");
    QTest::newRow("07 network state")
        << 0x07 << QByteArrayList{"3", "http://10.0.0.7"}
        << hex("49 4d 50 52 4f 56 01 04 14 07 12 01 33 0f 68 74 74 70 3a 2f 2f 31 30 2e 30 2e 30 "
               "2e 37 2c");
}

void tst_ImprovCodec::encodeResult_producesWireBytes()
{
    QFETCH(int, command);
    QFETCH(QByteArrayList, strings);
    QFETCH(QByteArray, expected);

    const auto encoded = encodeResult(quint8(command), strings);
    QVERIFY2(encoded.has_value(), why(encoded).constData());
    QCOMPARE(encoded->toHex(' '), expected.toHex(' '));
}

void tst_ImprovCodec::encodeState_everyState_producesWireBytes_data()
{
    QTest::addColumn<int>("state");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("00 stopped") << 0x00 << hex("49 4d 50 52 4f 56 01 01 01 00 e0");
    QTest::newRow("01 authorization required") << 0x01 << hex("49 4d 50 52 4f 56 01 01 01 01 e1");
    QTest::newRow("02 ready") << 0x02 << kStateReady;
    QTest::newRow("03 provisioning") << 0x03 << hex("49 4d 50 52 4f 56 01 01 01 03 e3");
    QTest::newRow("04 provisioned") << 0x04 << hex("49 4d 50 52 4f 56 01 01 01 04 e4");
}

void tst_ImprovCodec::encodeState_everyState_producesWireBytes()
{
    QFETCH(int, state);
    QFETCH(QByteArray, expected);
    QCOMPARE(encodeState(State(state)).toHex(' '), expected.toHex(' '));
}

void tst_ImprovCodec::encodeError_everyCode_producesWireBytes_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("00 none") << 0x00 << hex("49 4d 50 52 4f 56 01 02 01 00 e1");
    QTest::newRow("01 invalid rpc") << 0x01 << hex("49 4d 50 52 4f 56 01 02 01 01 e2");
    QTest::newRow("02 unknown rpc") << 0x02 << hex("49 4d 50 52 4f 56 01 02 01 02 e3");
    QTest::newRow("03 unable to connect") << 0x03 << hex("49 4d 50 52 4f 56 01 02 01 03 e4");
    QTest::newRow("04 not authorized") << 0x04 << hex("49 4d 50 52 4f 56 01 02 01 04 e5");
    QTest::newRow("05 bad hostname") << 0x05 << hex("49 4d 50 52 4f 56 01 02 01 05 e6");
    QTest::newRow("ff unknown") << 0xff << hex("49 4d 50 52 4f 56 01 02 01 ff e0");
}

void tst_ImprovCodec::encodeError_everyCode_producesWireBytes()
{
    QFETCH(int, code);
    QFETCH(QByteArray, expected);
    QCOMPARE(encodeError(ErrorCode(code)).toHex(' '), expected.toHex(' '));
}

void tst_ImprovCodec::encodeRpc_sizeLimits_rejectWithInvalidArgument_data()
{
    QTest::addColumn<QList<int>>("stringSizes");
    QTest::addColumn<bool>("fits");

    QTest::newRow("no strings") << QList<int>{} << true;
    QTest::newRow("32-byte SSID, 63-byte password") << QList<int>{32, 63} << true;
    QTest::newRow("one string filling the body (1+252 = 253)") << QList<int>{252} << true;
    QTest::newRow("one string one byte over (1+253 = 254)") << QList<int>{253} << false;
    QTest::newRow("255-byte string alone (body 256)") << QList<int>{255} << false;
    QTest::newRow("256-byte string") << QList<int>{256} << false;
    QTest::newRow("256-byte string among short ones") << QList<int>{1, 256, 1} << false;
    QTest::newRow("two strings totalling 253") << QList<int>{125, 126} << true;
    QTest::newRow("two strings totalling 254") << QList<int>{126, 126} << false;
    QTest::newRow("253 empty strings") << QList<int>(253, 0) << true;
    QTest::newRow("254 empty strings") << QList<int>(254, 0) << false;
}

void tst_ImprovCodec::encodeRpc_sizeLimits_rejectWithInvalidArgument()
{
    QFETCH(QList<int>, stringSizes);
    QFETCH(bool, fits);

    Rpc rpc{quint8(Command::WifiSettings), {}};
    for (int size : stringSizes)
        rpc.strings.append(QByteArray(size, 'x'));

    const auto encoded = encodeRpc(rpc);
    QCOMPARE(encoded.has_value(), fits);
    if (!fits) {
        QCOMPARE(encoded.error().code, Error::Code::InvalidArgument);
        QVERIFY(!encoded.error().message.isEmpty());
        QVERIFY(!encodeCommand(Command::WifiSettings, rpc.strings).has_value());
        return;
    }
    QVERIFY(encoded->size() <= kMaxData);
    QCOMPARE(quint8(encoded->at(1)), quint8(encoded->size() - 2));
    QVERIFY(encodePacket(PacketType::RpcCommand, *encoded).has_value());
    const auto decoded = decodeRpc(*encoded);
    QVERIFY(decoded.has_value());
    QCOMPARE(*decoded, rpc);
}

void tst_ImprovCodec::encodePacket_moreThan255DataBytes_isRejected()
{
    const auto full = encodePacket(PacketType::RpcResult, QByteArray(255, 'a'));
    QVERIFY(full.has_value());
    QCOMPARE(full->size(), kHeaderSize + 255 + 1);
    QCOMPARE(quint8(full->at(kHeaderSize - 1)), quint8(0xff));

    const auto over = encodePacket(PacketType::RpcResult, QByteArray(256, 'a'));
    QVERIFY(!over.has_value());
    QCOMPARE(over.error().code, Error::Code::InvalidArgument);
    QVERIFY(!over.error().message.isEmpty());
}

// --- decoding -----------------------------------------------------------------

void tst_ImprovCodec::decodeRpc_wellFormed_yieldsCommandAndStrings_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<int>("command");
    QTest::addColumn<QByteArrayList>("strings");

    QTest::newRow("command without data") << hex("02 00") << 0x02 << QByteArrayList{};
    QTest::newRow("wifi settings of the spec vector")
        << kWifiPacket.mid(kHeaderSize, kWifiPacket.size() - kHeaderSize - 1) << 0x01
        << QByteArrayList{"MyWirelessAP", "mysecurepassword"};
    QTest::newRow("empty strings are kept")
        << hex("04 03 00 00 00") << 0x04 << QByteArrayList{"", "", ""};
    QTest::newRow("bytes after the declared length are ignored")
        << hex("07 02 01 33 ff ff") << 0x07 << QByteArrayList{"3"};
    QTest::newRow("non-UTF-8 bytes are kept raw")
        << hex("01 04 03 ff fe 00") << 0x01 << QByteArrayList{hex("ff fe 00")};
    QTest::newRow("unknown command byte") << hex("99 02 01 41") << 0x99 << QByteArrayList{"A"};
}

void tst_ImprovCodec::decodeRpc_wellFormed_yieldsCommandAndStrings()
{
    QFETCH(QByteArray, data);
    QFETCH(int, command);
    QFETCH(QByteArrayList, strings);

    const auto rpc = decodeRpc(data);
    QVERIFY2(rpc.has_value(), why(rpc).constData());
    QCOMPARE(int(rpc->command), command);
    QCOMPARE(rpc->strings, strings);
}

void tst_ImprovCodec::decodeRpc_malformed_failsWithProtocolError_data()
{
    QTest::addColumn<QByteArray>("data");

    QTest::newRow("empty") << QByteArray();
    QTest::newRow("command byte only (truncated)") << hex("03");
    QTest::newRow("declared length longer than the data") << hex("03 05 01 41");
    QTest::newRow("string overruns the data") << hex("03 03 05 41 42");
    QTest::newRow("string length byte with no bytes after it") << hex("03 01 05");
    QTest::newRow("string overruns the declared length, data continues") << hex("03 02 02 41 42");
    QTest::newRow("second string overruns") << hex("03 05 01 41 03 42 43");
}

void tst_ImprovCodec::decodeRpc_malformed_failsWithProtocolError()
{
    QFETCH(QByteArray, data);

    const auto rpc = decodeRpc(data);
    QVERIFY(!rpc.has_value());
    QCOMPARE(rpc.error().code, Error::Code::Protocol);
    QVERIFY(!rpc.error().message.isEmpty());
}

void tst_ImprovCodec::decodeRpc_ofEncodedRpc_roundTrips()
{
    const Rpc rpc{0x03, {"ESPHome", "", QByteArray(100, '\0'), "\xff\xfe"}};
    const auto encoded = encodeRpc(rpc);
    QVERIFY(encoded.has_value());
    const auto decoded = decodeRpc(*encoded);
    QVERIFY(decoded.has_value());
    QCOMPARE(*decoded, rpc);
}

void tst_ImprovCodec::decodeDeviceInfo_fourOrSixStrings_data()
{
    QTest::addColumn<QByteArrayList>("strings");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QStringList>("fields"); // name, version, hardware, device, os, os version

    QTest::newRow("4 strings (older firmware)")
        << QByteArrayList{"ESPHome", "2024.6.0", "ESP32-C3", "kitchen-light"} << true
        << QStringList{QStringLiteral("ESPHome"), QStringLiteral("2024.6.0"),
               QStringLiteral("ESP32-C3"), QStringLiteral("kitchen-light"), QString(), QString()};
    QTest::newRow("6 strings with OS name and version")
        << QByteArrayList{"WLED", "0.15.0", "esp32", "WLED-Desk", "ESP-IDF", "v4.4.7"} << true
        << QStringList{QStringLiteral("WLED"), QStringLiteral("0.15.0"), QStringLiteral("esp32"),
               QStringLiteral("WLED-Desk"), QStringLiteral("ESP-IDF"), QStringLiteral("v4.4.7")};
    QTest::newRow("5 strings: OS fields stay empty")
        << QByteArrayList{"fw", "1", "hw", "dev", "lonely"} << true
        << QStringList{QStringLiteral("fw"), QStringLiteral("1"), QStringLiteral("hw"),
               QStringLiteral("dev"), QString(), QString()};
    QTest::newRow("7 strings: extra ignored")
        << QByteArrayList{"fw", "1", "hw", "dev", "os", "2", "extra"} << true
        << QStringList{QStringLiteral("fw"), QStringLiteral("1"), QStringLiteral("hw"),
               QStringLiteral("dev"), QStringLiteral("os"), QStringLiteral("2")};
    QTest::newRow("UTF-8 device name") << QByteArrayList{"fw", "1", "hw",
        "K\xc3\xbc"
        "che"} << true
                                       << QStringList{QStringLiteral("fw"), QStringLiteral("1"),
                                              QStringLiteral("hw"), QStringLiteral("K\u00fcche"),
                                              QString(), QString()};
    QTest::newRow("3 strings is an error")
        << QByteArrayList{"ESPHome", "2024.6.0", "ESP32"} << false << QStringList{};
    QTest::newRow("no strings is an error") << QByteArrayList{} << false << QStringList{};
}

void tst_ImprovCodec::decodeDeviceInfo_fourOrSixStrings()
{
    QFETCH(QByteArrayList, strings);
    QFETCH(bool, ok);
    QFETCH(QStringList, fields);

    const auto info = decodeDeviceInfo(Rpc{quint8(Command::DeviceInfo), strings});
    QCOMPARE(info.has_value(), ok);
    if (!ok) {
        QCOMPARE(info.error().code, Error::Code::Protocol);
        QVERIFY(!info.error().message.isEmpty());
        return;
    }
    const QStringList actual{info->firmwareName, info->firmwareVersion, info->hardware,
        info->deviceName, info->osName, info->osVersion};
    QCOMPARE(actual, fields);
}

void tst_ImprovCodec::decodeScanEntry_data()
{
    QTest::addColumn<QByteArrayList>("strings");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<bool>("endOfList");
    QTest::addColumn<QString>("ssid");
    QTest::addColumn<int>("rssi");
    QTest::addColumn<bool>("secured");

    QTest::newRow("secured network") << QByteArrayList{"HomeNet", "-52", "YES"} << true << false
                                     << QStringLiteral("HomeNet") << -52 << true;
    QTest::newRow("open network") << QByteArrayList{"Cafe", "-80", "NO"} << true << false
                                  << QStringLiteral("Cafe") << -80 << false;
    QTest::newRow("lower-case yes counts as secured")
        << QByteArrayList{"HomeNet", "-52", "yes"} << true << false << QStringLiteral("HomeNet")
        << -52 << true;
    QTest::newRow("lower-case no")
        << QByteArrayList{"x", "-1", "no"} << true << false << QStringLiteral("x") << -1 << false;
    QTest::newRow("RSSI with spaces") << QByteArrayList{"x", " -70 ", "NO"} << true << false
                                      << QStringLiteral("x") << -70 << false;
    QTest::newRow("security named WPA2 counts as secured")
        << QByteArrayList{"x", "-60", "WPA2"} << true << false << QStringLiteral("x") << -60
        << true;
    QTest::newRow("security named WPA/WPA2 counts as secured")
        << QByteArrayList{"x", "-60", "WPA/WPA2"} << true << false << QStringLiteral("x") << -60
        << true;
    QTest::newRow("OPEN is open") << QByteArrayList{"x", "-60", "OPEN"} << true << false
                                  << QStringLiteral("x") << -60 << false;
    QTest::newRow("extra strings ignored") << QByteArrayList{"x", "-60", "YES", "WPA3"} << true
                                           << false << QStringLiteral("x") << -60 << true;
    QTest::newRow("empty result ends the scan")
        << QByteArrayList{} << true << true << QString() << 0 << false;
    QTest::newRow("RSSI not a number")
        << QByteArrayList{"x", "strong", "YES"} << false << false << QString() << 0 << false;
    QTest::newRow("RSSI empty") << QByteArrayList{"x", "", "YES"} << false << false << QString()
                                << 0 << false;
    QTest::newRow("two strings") << QByteArrayList{"x", "-50"} << false << false << QString() << 0
                                 << false;
    QTest::newRow("one string") << QByteArrayList{"x"} << false << false << QString() << 0 << false;
}

void tst_ImprovCodec::decodeScanEntry()
{
    QFETCH(QByteArrayList, strings);
    QFETCH(bool, ok);
    QFETCH(bool, endOfList);
    QFETCH(QString, ssid);
    QFETCH(int, rssi);
    QFETCH(bool, secured);

    const auto entry = improv::decodeScanEntry(Rpc{quint8(Command::WifiScan), strings});
    QCOMPARE(entry.has_value(), ok);
    if (!ok) {
        QCOMPARE(entry.error().code, Error::Code::Protocol);
        QVERIFY(!entry.error().message.isEmpty());
        return;
    }
    QCOMPARE(!entry->has_value(), endOfList);
    if (endOfList)
        return;
    QCOMPARE((*entry)->ssid, ssid);
    QCOMPARE((*entry)->rssi, rssi);
    QCOMPARE((*entry)->secured, secured);
}

void tst_ImprovCodec::decodeNetworkState_data()
{
    QTest::addColumn<QByteArrayList>("strings");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<uint>("flags");
    QTest::addColumn<QStringList>("urls");

    QTest::newRow("online over Wi-Fi with a URL")
        << QByteArrayList{"3", "http://10.0.0.7"} << true << uint(NetOnline | NetWifi)
        << QStringList{QStringLiteral("http://10.0.0.7")};
    QTest::newRow("offline, no URL") << QByteArrayList{"0"} << true << 0u << QStringList{};
    QTest::newRow("every flag, two URLs")
        << QByteArrayList{"31", "http://a.local", "http://10.0.0.8"} << true << 0x1fu
        << QStringList{QStringLiteral("http://a.local"), QStringLiteral("http://10.0.0.8")};
    QTest::newRow("flags with spaces")
        << QByteArrayList{" 5 "} << true << uint(NetOnline | NetEthernet) << QStringList{};
    QTest::newRow("no strings") << QByteArrayList{} << false << 0u << QStringList{};
    QTest::newRow("empty flags") << QByteArrayList{""} << false << 0u << QStringList{};
    QTest::newRow("hex flags are not decimal")
        << QByteArrayList{"0x03"} << false << 0u << QStringList{};
    QTest::newRow("words instead of flags")
        << QByteArrayList{"online"} << false << 0u << QStringList{};
    QTest::newRow("negative flags") << QByteArrayList{"-1"} << false << 0u << QStringList{};
}

void tst_ImprovCodec::decodeNetworkState()
{
    QFETCH(QByteArrayList, strings);
    QFETCH(bool, ok);
    QFETCH(uint, flags);
    QFETCH(QStringList, urls);

    const auto st = improv::decodeNetworkState(Rpc{quint8(Command::NetworkState), strings});
    QCOMPARE(st.has_value(), ok);
    if (!ok) {
        QCOMPARE(st.error().code, Error::Code::Protocol);
        QVERIFY(!st.error().message.isEmpty());
        return;
    }
    QCOMPARE(uint(st->flags), flags);
    QCOMPARE(st->urls, urls);
}

// --- stream parser --------------------------------------------------------------

void tst_ImprovCodec::feed_specVectors_yieldOnePacketEach_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<int>("type");
    QTest::addColumn<QByteArray>("data");

    QTest::newRow("request current state") << kRequestState << 0x03 << hex("02 00");
    QTest::newRow("state ready") << kStateReady << 0x01 << hex("02");
    QTest::newRow("wifi settings") << kWifiPacket << 0x03 << kWifiPacket.mid(kHeaderSize, 0x20);
}

void tst_ImprovCodec::feed_specVectors_yieldOnePacketEach()
{
    QFETCH(QByteArray, wire);
    QFETCH(int, type);
    QFETCH(QByteArray, data);

    StreamParser parser;
    const auto events = parser.feed(wire);
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].kind, StreamParser::Event::Kind::Packet);
    QCOMPARE(int(events[0].packet.type), type);
    QCOMPARE(events[0].packet.data.toHex(' '), data.toHex(' '));
    QCOMPARE(parser.bufferedBytes(), 0);
}

void tst_ImprovCodec::feed_reportsPacketsAndLogLines_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<QStringList>("events");

    const QString ready = line("P 01 02");
    const QString url
        = line("P 04 01 14 13 68 74 74 70 3a 2f 2f 31 39 32 2e 31 36 38 2e 31 2e 35 30");

    QTest::newRow("a packet alone") << kStateReady << QStringList{ready};
    QTest::newRow("a packet with a trailing newline") << kStateReady + "\n" << QStringList{ready};
    QTest::newRow("a packet with a trailing CRLF") << kStateReady + "\r\n" << QStringList{ready};
    QTest::newRow("two packets back to back")
        << kStateReady + kUrlResult << QStringList{ready, url};
    QTest::newRow("two packets, each with a newline") << kStateReady + "\n" + kUrlResult + "\n"
                                                      << QStringList{ready, url};
    QTest::newRow("packet with no data")
        << packet(PacketType::CurrentState, {}) << QStringList{line("P 01 ")};
    QTest::newRow("log lines before, between and after packets")
        << logLine("[I][app:102]: ESPHome version 2024.6.0") + kStateReady + "\n"
            + logLine("[D][wifi:290]: Connected") + logLine("[D][wifi:291]: IP 192.168.1.50")
            + kUrlResult + logLine("[I][improv_serial:130]: done")
        << QStringList{logNoise("[I][app:102]: ESPHome version 2024.6.0"), ready,
               logNoise("[D][wifi:290]: Connected"), logNoise("[D][wifi:291]: IP 192.168.1.50"),
               url, logNoise("[I][improv_serial:130]: done")};
    QTest::newRow("log text without a newline right before a packet")
        << QByteArray("boot: rst:0x1") + kStateReady << QStringList{line("N boot: rst:0x1"), ready};
    QTest::newRow("log line without an end is reported on flush") << kStateReady
            + "[W][component:237]: slow" << QStringList{ready, line("N [W][component:237]: slow")};
    QTest::newRow("blank lines produce no events")
        << QByteArray("\r\n\n\r\n") + kStateReady << QStringList{ready};
    QTest::newRow("a partial magic at the end is log text")
        << QByteArray("ok IMPRO") << QStringList{line("N ok IMPRO")};
}

void tst_ImprovCodec::feed_reportsPacketsAndLogLines()
{
    QFETCH(QByteArray, wire);
    QFETCH(QStringList, events);

    StreamParser parser;
    QCOMPARE(describeAll(feedAndFlush(parser, wire)), events);
    QCOMPARE(parser.bufferedBytes(), 0);
}

// The same stream, split into two reads at every byte position.
void tst_ImprovCodec::feed_packetSplitAcrossTwoReads_isCompleted_data()
{
    QTest::addColumn<int>("splitAt");

    const QByteArray stream = logLine("[I][app:102]: boot") + kWifiPacket + "\n" + kStateReady;
    for (int i = 0; i <= stream.size(); ++i)
        QTest::addRow("split at %d", i) << i;
}

void tst_ImprovCodec::feed_packetSplitAcrossTwoReads_isCompleted()
{
    QFETCH(int, splitAt);

    const QByteArray stream = logLine("[I][app:102]: boot") + kWifiPacket + "\n" + kStateReady;
    const QStringList expected{logNoise("[I][app:102]: boot"),
        QStringLiteral("P 03 ")
            + QString::fromLatin1(kWifiPacket.mid(kHeaderSize, 0x20).toHex(' ')),
        line("P 01 02")};

    StreamParser parser;
    auto events = parser.feed(QByteArrayView(stream).first(splitAt));
    QVERIFY(parser.bufferedBytes() < 1024);
    events.append(parser.feed(QByteArrayView(stream).sliced(splitAt)));
    QCOMPARE(parser.bufferedBytes(), 0);
    events.append(parser.flush());
    QCOMPARE(describeAll(events), expected);
}

void tst_ImprovCodec::feed_byteByByte_givesSameEventsAsOneRead()
{
    const QByteArray stream = logLine("[I][app:102]: boot") + kWifiPacket + "\n"
        + hex("49 4d 50 52 4f 56 01 01 01 02 00") // bad checksum
        + logLine("[D][improv_serial:77]: IMPROV state") + kStateReady + kUrlResult + "IMPROV\x02"
        + "tail";

    StreamParser whole;
    const QStringList expected = describeAll(feedAndFlush(whole, stream));
    QVERIFY(expected.contains(line("P 01 02")));

    StreamParser parser;
    QList<StreamParser::Event> events;
    for (char c : stream) {
        events.append(parser.feed(QByteArrayView(&c, 1)));
        QVERIFY(parser.bufferedBytes() < 1024);
    }
    events.append(parser.flush());
    QCOMPARE(describeAll(events), expected);
}

// Noise is left out of the comparison: what matters is that the damage is
// reported and that the good packet behind it still arrives.
void tst_ImprovCodec::feed_damagedInput_reportsItAndResyncsOnNextPacket_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<QStringList>("events");

    const QString ready = line("P 01 02");
    const QByteArray badChecksum = hex("49 4d 50 52 4f 56 01 01 01 02 00");
    const QByteArray badVersion = hex("49 4d 50 52 4f 56 02 01 01 02 e3");

    QTest::newRow("bad checksum, then a good packet") << badChecksum
            + kStateReady << QStringList{line("C 49 4d 50 52 4f 56 01 01 01 02 00"), ready};
    QTest::newRow("bad checksum in a log line, then a good packet")
        << QByteArray("[D] x ") + badChecksum + "\r\n" + kStateReady
        << QStringList{line("C 49 4d 50 52 4f 56 01 01 01 02 00"), ready};
    QTest::newRow("bad version, then a good packet")
        << badVersion + kStateReady << QStringList{line("V 49 4d 50 52 4f 56 02 01 01"), ready};
    QTest::newRow("stray IMPROV in a log line, then a good packet")
        << QByteArray("[I][improv_serial:042]: IMPROV serial ready\r\n") + kStateReady
        << QStringList{line("V 49 4d 50 52 4f 56 20 73 65"), ready};
    QTest::newRow("truncated packet whose length swallows the next packet")
        << hex("49 4d 50 52 4f 56 01 04 10 03") + kStateReady + QByteArray(16, '\n')
        << QStringList{line("C 49 4d 50 52 4f 56 01 04 10 03 49 4d 50 52 4f 56 01 01 01 02 e2 0a "
                            "0a 0a 0a 0a"),
               ready};
    QTest::newRow("doubled magic") << QByteArray("IMPROV") + kStateReady
                                   << QStringList{line("V 49 4d 50 52 4f 56 49 4d 50"), ready};
    QTest::newRow("garbage binary around a packet")
        << hex("00 ff 13 49 4d 50 9a") + kStateReady + hex("fe 49 4d") << QStringList{ready};
}

void tst_ImprovCodec::feed_damagedInput_reportsItAndResyncsOnNextPacket()
{
    QFETCH(QByteArray, wire);
    QFETCH(QStringList, events);

    StreamParser parser;
    QCOMPARE(describeAll(feedAndFlush(parser, wire), false), events);
}

// A log line that merely mentions "IMPROV" is not a packet: its text should
// reach the trace panel as one line, like any other log line.
void tst_ImprovCodec::feed_strayMagicInLogLine_keepsTheLogLineWhole()
{
    const QByteArray logText("[I][improv_serial:042]: IMPROV serial ready");
    StreamParser parser;
    const auto events = feedAndFlush(parser, QByteArray(logText + "\r\n" + kStateReady));

    QStringList noise;
    for (const auto &e : events) {
        if (e.kind == StreamParser::Event::Kind::Noise)
            noise.append(escaped(e.text));
    }
    QCOMPARE(events.last().kind, StreamParser::Event::Kind::Packet);
    QCOMPARE(noise, QStringList{escaped(logText)});
}

void tst_ImprovCodec::feed_garbageBinary_isReportedAsNoiseOnly()
{
    QRandomGenerator rng(20240611);
    QByteArray garbage(64 * 1024, '\0');
    for (char &c : garbage)
        c = char(rng.bounded(256));
    QVERIFY(!garbage.contains("IMPROV"));

    StreamParser parser;
    qsizetype reported = 0;
    for (const auto &e : feedAndFlush(parser, garbage)) {
        QCOMPARE(e.kind, StreamParser::Event::Kind::Noise);
        QVERIFY(!e.text.isEmpty());
        QVERIFY(e.text.size() <= 512);
        reported += e.text.size();
    }
    // Every byte comes back as log text, except the line ends that split it.
    QCOMPARE(reported, garbage.size() - garbage.count('\n') - garbage.count('\r'));
    QCOMPARE(parser.bufferedBytes(), 0);
}

void tst_ImprovCodec::feed_megabytesOfGarbage_keepBufferBounded_data()
{
    QTest::addColumn<QByteArray>("pattern");

    QRandomGenerator rng(7);
    QByteArray random(4096, '\0');
    for (char &c : random)
        c = char(rng.bounded(256));
    QTest::newRow("random bytes") << random;
    QTest::newRow("one endless line") << QByteArray(4096, 'a');
    QTest::newRow("headers that promise 255 bytes")
        << QByteArray("IMPROV\x01\x04\xff", 9).repeated(50);
    QTest::newRow("repeated magic") << QByteArray("IMPROV").repeated(100);
    QTest::newRow("partial magics") << QByteArray("IMPRO").repeated(100);
}

void tst_ImprovCodec::feed_megabytesOfGarbage_keepBufferBounded()
{
    QFETCH(QByteArray, pattern);

    StreamParser parser;
    qsizetype fed = 0;
    qsizetype maxBuffered = 0;
    while (fed < 8 * 1024 * 1024) {
        const auto events = parser.feed(pattern);
        for (const auto &e : events)
            QVERIFY(e.kind != StreamParser::Event::Kind::Packet);
        maxBuffered = std::max(maxBuffered, parser.bufferedBytes());
        fed += pattern.size();
    }
    QVERIFY2(maxBuffered < 1024, qPrintable(QString::number(maxBuffered)));

    // The parser still works: after a flush the next packet arrives at once.
    parser.flush();
    QCOMPARE(parser.bufferedBytes(), 0);
    QCOMPARE(describeAll(parser.feed(kStateReady)), QStringList{line("P 01 02")});
}

void tst_ImprovCodec::flush_emitsPartialLineAndForgetsPartialPacket()
{
    StreamParser parser;
    QVERIFY(parser.feed("[I] no newline yet").isEmpty());
    QCOMPARE(describeAll(parser.flush()), QStringList{line("N [I] no newline yet")});
    QCOMPARE(parser.bufferedBytes(), 0);
    QVERIFY(parser.flush().isEmpty());

    // Half a packet: flush reports its bytes as log text and starts clean.
    QVERIFY(parser.feed(kWifiPacket.first(20)).isEmpty());
    QVERIFY(parser.bufferedBytes() > 0);
    const auto flushed = parser.flush();
    QCOMPARE(flushed.size(), 1);
    QCOMPARE(flushed[0].kind, StreamParser::Event::Kind::Noise);
    QCOMPARE(parser.bufferedBytes(), 0);
    QVERIFY(parser.feed(kWifiPacket.sliced(20)).size() <= 1); // the tail is noise, never a packet
    parser.flush();
    QCOMPARE(describeAll(parser.feed(kStateReady)), QStringList{line("P 01 02")});
}

void tst_ImprovCodec::reset_forgetsPartialPacket()
{
    StreamParser parser;
    parser.feed(QByteArray(QByteArray("log ") + kStateReady.first(8)));
    QVERIFY(parser.bufferedBytes() > 0);
    parser.reset();
    QCOMPARE(parser.bufferedBytes(), 0);
    QVERIFY(parser.flush().isEmpty());
    QCOMPARE(describeAll(parser.feed(kStateReady)), QStringList{line("P 01 02")});
}

// --- messages -----------------------------------------------------------------

void tst_ImprovCodec::names_coverEveryValue()
{
    for (int v = 0; v < 256; ++v) {
        QVERIFY(!stateName(State(v)).isEmpty());
        QVERIFY(!commandName(quint8(v)).isEmpty());
        QVERIFY(!errorName(ErrorCode(v)).isEmpty());
    }
    QCOMPARE(stateName(State::Ready), QStringLiteral("ready"));
    QVERIFY(commandName(0x42).contains(QStringLiteral("42")));
    QVERIFY(errorName(ErrorCode(0x42)).contains(QStringLiteral("42")));
}

void tst_ImprovCodec::errorMessage_everyCode_isActionableSentence_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<int>("command");
    QTest::addColumn<QString>("subject");

    const QList<int> codes{0x01, 0x02, 0x03, 0x04, 0x05, 0xff, 0x42};
    for (int code : codes) {
        for (int command = 0x01; command <= 0x07; ++command) {
            const QString subject = command == 0x01 ? QStringLiteral("HomeNet")
                : command == 0x05                   ? QStringLiteral("kitchen-light")
                                                    : QString();
            QTest::addRow("error %02x on command %02x", code, command)
                << code << command << subject;
        }
    }
}

void tst_ImprovCodec::errorMessage_everyCode_isActionableSentence()
{
    QFETCH(int, code);
    QFETCH(int, command);
    QFETCH(QString, subject);

    const QString message = errorMessage(ErrorCode(code), Command(command), subject);
    QVERIFY(message.size() > 40);
    QVERIFY2(message.endsWith(QLatin1Char('.')), qPrintable(message));
    QVERIFY2(message.contains(QLatin1Char(':')) || message.contains(QStringLiteral(". ")),
        qPrintable(message)); // says what happened, then what to do
    switch (ErrorCode(code)) {
    case ErrorCode::InvalidRpc:
    case ErrorCode::UnknownRpc:
    case ErrorCode::Unknown:
        QVERIFY2(message.contains(commandName(quint8(command))), qPrintable(message));
        break;
    case ErrorCode::BadHostname:
        // Without a subject, see errorMessage_badHostnameWithoutSubject_doesNotQuoteEmptyName.
        QVERIFY2(subject.isEmpty() || message.contains(subject), qPrintable(message));
        break;
    default:
        QVERIFY2(!message.contains(QStringLiteral("\"\"")), qPrintable(message));
        break;
    }
    if (code == 0x42 || code == 0xff)
        QVERIFY2(message.contains(QStringLiteral("0x%1").arg(code, 2, 16, QLatin1Char('0'))),
            qPrintable(message));
}

void tst_ImprovCodec::errorMessage_unableToConnectOnWifi_namesTheSsid()
{
    const QString withSsid
        = errorMessage(ErrorCode::UnableToConnect, Command::WifiSettings, QStringLiteral("X"));
    QVERIFY2(withSsid.contains(QStringLiteral("could not join \"X\"")), qPrintable(withSsid));

    const QString withoutSsid = errorMessage(ErrorCode::UnableToConnect, Command::WifiSettings);
    QVERIFY(!withoutSsid.isEmpty());
    QVERIFY(!withoutSsid.contains(QStringLiteral("\"\"")));
}

void tst_ImprovCodec::errorMessage_badHostnameWithoutSubject_doesNotQuoteEmptyName()
{
    // A hostname *read* that fails with 05 has no hostname to name.
    const QString message = errorMessage(ErrorCode::BadHostname, Command::Hostname);
    QVERIFY(!message.isEmpty());
    QVERIFY2(!message.contains(QStringLiteral("\"\"")), qPrintable(message));
}

void tst_ImprovCodec::errorMessage_none_isEmpty()
{
    for (int command = 0x01; command <= 0x07; ++command)
        QVERIFY(errorMessage(ErrorCode::None, Command(command), QStringLiteral("x")).isEmpty());
}

QTEST_APPLESS_MAIN(tst_ImprovCodec)

#include "tst_improvcodec.moc"
