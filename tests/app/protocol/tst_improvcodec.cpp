#include "improvfixtures.h"

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
