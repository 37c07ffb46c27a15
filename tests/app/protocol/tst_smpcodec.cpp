#include "app/protocol/smp/smpcodec.h"
#include "app/protocol/smp/smpmessages.h"

#include <QTest>

using namespace provbench;
using namespace provbench::smp;

namespace {

const QByteArray kEchoBody = QByteArray::fromHex("0a00000600000000a16164626869");
const QByteArray kEchoLine = QByteArray("\x06\x09", 2) + "ABAKAAAGAAAAAKFhZGJoaeJ8\n";

QByteArray bodyOfSize(int size)
{
    // A valid SMP packet of exactly `size` bytes (header + opaque payload).
    Header h;
    h.op = Op::Write;
    h.group = GroupFs;
    QByteArray payload(size - kHeaderSize, 'x');
    return *encodePacket(h, payload);
}

QList<FrameDecoder::Event> packetsOf(const QList<FrameDecoder::Event> &events)
{
    QList<FrameDecoder::Event> out;
    for (const auto &e : events) {
        if (e.kind == FrameDecoder::Event::Kind::Packet)
            out.append(e);
    }
    return out;
}

} // namespace

class tst_SmpCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void header_roundTrip_data()
    {
        QTest::addColumn<Header>("header");
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("echo v2 write")
            << Header{Op::Write, 1, 0, 6, 0, 0, 0} << QByteArray::fromHex("0a00000600000000");
        QTest::newRow("settings read seq 7")
            << Header{Op::Read, 1, 0, 0x0102, 3, 7, 0} << QByteArray::fromHex("0800010200030700");
        QTest::newRow("fs hash response v1") << Header{Op::ReadResponse, 0, 0, 40, 8, 255, 2}
                                             << QByteArray::fromHex("010000280008ff02");
        QTest::newRow("flags and big group") << Header{Op::WriteResponse, 1, 0x80, 0xffff, 0xfffe,
            1, 9} << QByteArray::fromHex("0b80fffffffe0109");
    }
    void header_roundTrip()
    {
        QFETCH(Header, header);
        QFETCH(QByteArray, bytes);
        QCOMPARE(encodeHeader(header).toHex(), bytes.toHex());
        auto decoded = decodeHeader(bytes);
        QVERIFY(decoded);
        QCOMPARE(*decoded, header);
    }

    void decodeHeader_short_fails()
    {
        QVERIFY(!decodeHeader(QByteArray(7, '\0')));
        QVERIFY(!decodePacket(QByteArray::fromHex("0a00000600000000a1")));
    }

    void crc16_knownValues_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("crc");
        QTest::newRow("check value") << QByteArray("123456789") << 0x31C3;
        QTest::newRow("empty") << QByteArray() << 0;
        QTest::newRow("echo vector body") << kEchoBody << 0xe27c;
        QTest::newRow("one zero byte") << QByteArray(1, '\0') << 0;
        QTest::newRow("A") << QByteArray("A") << 0x58e5;
    }
    void crc16_knownValues()
    {
        QFETCH(QByteArray, input);
        QFETCH(int, crc);
        QCOMPARE(int(crc16(input)), crc);
    }

    void vector_echo_encodesToProtocolsLine()
    {
        Header h;
        h.op = Op::Write;
        const QByteArray payload = encodeCbor(echoRequest(QStringLiteral("hi")));
        auto body = encodePacket(h, payload);
        QVERIFY(body);
        QCOMPARE(body->toHex(' '), kEchoBody.toHex(' '));
        auto line = encodeSerial(*body);
        QVERIFY(line);
        QCOMPARE(*line, kEchoLine);
    }

    void vector_echo_decodesFromLine()
    {
        FrameDecoder d;
        const auto events = d.feed(kEchoLine);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].kind, FrameDecoder::Event::Kind::Packet);
        QCOMPARE(events[0].bytes, kEchoBody);
        auto packet = decodePacket(events[0].bytes);
        QVERIFY(packet);
        auto map = decodeCbor(packet->payload);
        QVERIFY(map);
        QCOMPARE(map->value(QStringLiteral("d")).toString(), QStringLiteral("hi"));
    }

    void fragmentation_frameCountAndSize_data()
    {
        QTest::addColumn<int>("bodySize");
        QTest::addColumn<int>("frames");
        // 93 raw bytes (length + body + CRC) fill one 127-byte frame exactly.
        QTest::newRow("smallest") << 8 << 1;
        QTest::newRow("one frame, exactly 127 bytes") << 89 << 1;
        QTest::newRow("one byte over: two frames") << 90 << 2;
        QTest::newRow("two full frames") << 182 << 2;
        QTest::newRow("two full frames + 1") << 183 << 3;
        QTest::newRow("384-byte mtu") << 384 << 5;
        QTest::newRow("largest") << kMaxPacket << (kMaxPacket + 4 + 92) / 93;
    }
    void fragmentation_frameCountAndSize()
    {
        QFETCH(int, bodySize);
        QFETCH(int, frames);
        const QByteArray body = bodyOfSize(bodySize);
        auto list = encodeFrames(body);
        QVERIFY(list);
        QCOMPARE(list->size(), frames);
        for (qsizetype i = 0; i < list->size(); ++i) {
            const QByteArray &f = list->at(i);
            QVERIFY2(f.size() <= kMaxFrame, qPrintable(QString::number(f.size())));
            QVERIFY(f.startsWith(i == 0 ? "\x06\x09" : "\x04\x14"));
            QVERIFY(f.endsWith('\n'));
        }
        if (bodySize == 89)
            QCOMPARE(list->first().size(), 127);
        // Fed whole and byte by byte, the frames reassemble to the body.
        FrameDecoder whole;
        auto events = packetsOf(whole.feed(*encodeSerial(body)));
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].bytes, body);
        FrameDecoder bytewise;
        QList<FrameDecoder::Event> collected;
        const QByteArray wire = *encodeSerial(body);
        for (char c : wire)
            collected.append(bytewise.feed(QByteArrayView(&c, 1)));
        QCOMPARE(packetsOf(collected).size(), 1);
        QCOMPARE(bytewise.bufferedBytes(), 0);
    }

    void encodeFrames_rejectsEmptyAndOversized()
    {
        QVERIFY(!encodeFrames(QByteArray()));
        QVERIFY(!encodeFrames(QByteArray(kMaxPacket + 1, 'x')));
        QVERIFY(!encodeFrames(bodyOfSize(20), 6));
    }

    void reassembly_consoleTextBetweenFrames_isReportedAndSkipped()
    {
        const QByteArray body = bodyOfSize(200);
        const auto frames = *encodeFrames(body);
        QByteArray wire = "[00:00:01.234,000] <inf> app: boot\r\n";
        for (const QByteArray &f : frames)
            wire += f + "[00:00:01.240,000] <dbg> net: tick\r\n";
        FrameDecoder d;
        const auto events = d.feed(wire);
        const auto packets = packetsOf(events);
        QCOMPARE(packets.size(), 1);
        QCOMPARE(packets[0].bytes, body);
        int text = 0;
        for (const auto &e : events) {
            if (e.kind == FrameDecoder::Event::Kind::ConsoleText) {
                ++text;
                QVERIFY(!e.bytes.endsWith('\r'));
            }
        }
        QCOMPARE(text, int(frames.size()) + 1);
    }

    void reassembly_garbageBeforeMarker_isText()
    {
        FrameDecoder d;
        const auto events = d.feed(QByteArray(QByteArray("\xfe\xff\x80junk", 7) + kEchoLine));
        QCOMPARE(events.size(), 2);
        QCOMPARE(events[0].kind, FrameDecoder::Event::Kind::ConsoleText);
        QCOMPARE(events[1].bytes, kEchoBody);
    }

    void resync_damagedInput_dropsPacketThenRecovers_data()
    {
        QTest::addColumn<QByteArray>("damaged");
        QTest::addColumn<QString>("reason");
        QByteArray badCrc = kEchoLine;
        badCrc[badCrc.size() - 5] = 'A';
        QTest::newRow("bad CRC") << badCrc << QStringLiteral("CRC");
        QTest::newRow("bad base64") << QByteArray("\x06\x09"
                                                  "AB*KAAAG\n",
            11) << QStringLiteral("base64");
        QTest::newRow("length too small") << QByteArray("\x06\x09"
                                                        "AAEA\n",
            7) << QStringLiteral("length");
        QTest::newRow("length too big") << QByteArray("\x06\x09"
                                                      "//8A\n",
            7) << QStringLiteral("length");
        QTest::newRow("continuation alone") << QByteArray("\x04\x14"
                                                          "ABAKAAAG\n",
            11) << QStringLiteral("continuation");
        QTest::newRow("more than the length") << QByteArray("\x06\x09")
                + QByteArray::fromHex("000a0a000000000000000000ffff").toBase64()
                + "\n" << QStringLiteral("length says");
        QTest::newRow("start replaces partial")
            << QByteArray("\x06\x09") + QByteArray::fromHex("00400a00").toBase64() + "\n"
            << QStringLiteral("new packet");
    }
    void resync_damagedInput_dropsPacketThenRecovers()
    {
        QFETCH(QByteArray, damaged);
        QFETCH(QString, reason);
        FrameDecoder d;
        const auto events = d.feed(QByteArray(damaged + kEchoLine));
        bool sawBad = false;
        for (const auto &e : events) {
            if (e.kind == FrameDecoder::Event::Kind::BadFrame)
                sawBad = sawBad || e.reason.contains(reason);
        }
        QVERIFY2(sawBad, qPrintable(reason));
        const auto packets = packetsOf(events);
        QCOMPARE(packets.size(), 1);
        QCOMPARE(packets[0].bytes, kEchoBody);
        QVERIFY(!d.inPacket());
    }

    void boundedMemory_endlessLine_staysBounded()
    {
        FrameDecoder d;
        const QByteArray chunk(100, 'z');
        for (int i = 0; i < 100; ++i) {
            d.feed(chunk);
            QVERIFY(d.bufferedBytes() <= FrameDecoder::kMaxLine);
        }
        QByteArray endlessFrame("\x06\x09");
        endlessFrame += QByteArray(2000, 'A');
        const auto events = d.feed(QByteArray(QByteArray("\n") + endlessFrame + "\n" + kEchoLine));
        QVERIFY(d.bufferedBytes() <= FrameDecoder::kMaxLine);
        QCOMPARE(packetsOf(events).size(), 1);
    }

    void responseError_shapes_data()
    {
        QTest::addColumn<QCborMap>("body");
        QTest::addColumn<bool>("isError");
        QTest::addColumn<bool>("legacy");
        QTest::addColumn<int>("group");
        QTest::addColumn<int>("rc");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("advice");
        auto k = [](const char *s) { return QString::fromLatin1(s); };
        QTest::newRow("success, empty")
            << QCborMap{} << false << false << 0 << 0 << QString() << QString();
        QTest::newRow("legacy rc 0")
            << QCborMap{{k("rc"), 0}} << false << false << 0 << 0 << QString() << QString();
        QTest::newRow("v2 rc 0") << QCborMap{{k("err"), QCborMap{{k("group"), 3}, {k("rc"), 0}}}}
                                 << false << false << 0 << 0 << QString() << QString();
        QTest::newRow("legacy ENOMEM") << QCborMap{{k("rc"), 2}} << true << true << 0 << 2
                                       << k("MGMT_ERR_ENOMEM") << k("out of memory");
        QTest::newRow("legacy ENOENT") << QCborMap{{k("rc"), 5}} << true << true << 0 << 5
                                       << k("MGMT_ERR_ENOENT") << k("no such setting/file");
        QTest::newRow("legacy EINVAL") << QCborMap{{k("rc"), 3}} << true << true << 0 << 3
                                       << k("MGMT_ERR_EINVAL") << k("invalid");
        QTest::newRow("legacy EACCESSDENIED") << QCborMap{{k("rc"), 11}} << true << true << 0 << 11
                                              << k("MGMT_ERR_EACCESSDENIED") << k("denied");
        QTest::newRow("legacy ENOTSUP") << QCborMap{{k("rc"), 8}} << true << true << 0 << 8
                                        << k("MGMT_ERR_ENOTSUP") << k("Kconfig");
        QTest::newRow("legacy EBUSY") << QCborMap{{k("rc"), 10}} << true << true << 0 << 10
                                      << k("MGMT_ERR_EBUSY") << k("busy");
        QTest::newRow("legacy unknown 300") << QCborMap{{k("rc"), 300}} << true << true << 0 << 300
                                            << k("EPERUSER") << k("unknown error");
        QTest::newRow("v2 settings not found")
            << QCborMap{{k("err"), QCborMap{{k("group"), 3}, {k("rc"), 3}}}} << true << false << 3
            << 3 << k("SETTINGS_MGMT_ERR_KEY_NOT_FOUND") << k("no such setting");
        QTest::newRow("v2 settings key too long")
            << QCborMap{{k("err"), QCborMap{{k("group"), 3}, {k("rc"), 2}}}} << true << false << 3
            << 2 << k("SETTINGS_MGMT_ERR_KEY_TOO_LONG") << k("shorter key");
        QTest::newRow("v2 fs not found")
            << QCborMap{{k("err"), QCborMap{{k("group"), 8}, {k("rc"), 3}}}} << true << false << 8
            << 3 << k("FS_MGMT_ERR_FILE_NOT_FOUND") << k("no such file");
        QTest::newRow("v2 fs read-only")
            << QCborMap{{k("err"), QCborMap{{k("group"), 8}, {k("rc"), 15}}}} << true << false << 8
            << 15 << k("FS_MGMT_ERR_READ_ONLY_FILESYSTEM") << k("read-only");
        QTest::newRow("v2 unknown group")
            << QCborMap{{k("err"), QCborMap{{k("group"), 64}, {k("rc"), 1}}}} << true << false << 64
            << 1 << k("group 64 error 1") << k("check its log");
        // A negative or oversized code is still an error, never "no error".
        QTest::newRow("v2 negative rc is an unknown error")
            << QCborMap{{k("err"), QCborMap{{k("group"), 3}, {k("rc"), -5}}}} << true << false << 3
            << 1 << QString() << QString();
        QTest::newRow("v2 float rc is an unknown error")
            << QCborMap{{k("err"), QCborMap{{k("group"), 8}, {k("rc"), -1.7e289}}}} << true << false
            << 8 << 1 << QString() << QString();
    }
    void responseError_shapes()
    {
        QFETCH(QCborMap, body);
        QFETCH(bool, isError);
        QFETCH(bool, legacy);
        QFETCH(int, group);
        QFETCH(int, rc);
        QFETCH(QString, name);
        QFETCH(QString, advice);
        const auto err = responseError(body);
        QCOMPARE(err.has_value(), isError);
        if (!err)
            return;
        QCOMPARE(err->legacy, legacy);
        QCOMPARE(int(err->group), group);
        QCOMPARE(err->rc, rc);
        QVERIFY2(errorName(*err).contains(name), qPrintable(errorName(*err)));
        const Error e = toError(*err, QStringLiteral("settings read"), QStringLiteral("app/x"));
        QVERIFY2(e.message.contains(advice), qPrintable(e.message));
        QVERIFY(e.message.contains(QStringLiteral("\"app/x\"")));
        QCOMPARE(e.deviceCode, rc);
        // The shape survives a round trip through errorBody().
        QCOMPARE(responseError(errorBody(*err)), err);
    }

    void decodeCbor_rejectsNonMapsAndGarbage()
    {
        QVERIFY(decodeCbor(QByteArray()));
        QVERIFY(!decodeCbor(QByteArray::fromHex("83010203")));
        QVERIFY(!decodeCbor(QByteArray::fromHex("a2")));
        QVERIFY(!decodeCbor(QByteArray::fromHex("ff")));
    }

    void uploadRequest_lenOnlyWithFirstChunk()
    {
        const auto first = uploadRequest(QStringLiteral("/lfs/a"), 0, "abc", 10);
        QCOMPARE(first.value(QStringLiteral("len")).toInteger(), 10);
        const auto next = uploadRequest(QStringLiteral("/lfs/a"), 3, "def", std::nullopt);
        QVERIFY(!next.contains(QStringLiteral("len")));
        QCOMPARE(next.value(QStringLiteral("off")).toInteger(), 3);
        QCOMPARE(next.value(QStringLiteral("data")).toByteArray(), QByteArray("def"));
    }

    void responseReaders_validateFields()
    {
        auto k = [](const char *s) { return QString::fromLatin1(s); };
        QVERIFY(readUploadOffset(QCborMap{{k("off"), 12}}));
        QVERIFY(!readUploadOffset(QCborMap{{k("off"), -1}}));
        QVERIFY(!readUploadOffset(QCborMap{{k("off"), k("12")}}));
        QVERIFY(!readSettingValue(QCborMap{{k("val"), k("text")}}));
        QCOMPARE(*readSettingValue(QCborMap{{k("val"), QByteArray("v")}}), QByteArray("v"));
        auto chunk = readDownloadChunk(
            QCborMap{{k("off"), 0}, {k("data"), QByteArray("ab")}, {k("len"), 4}});
        QVERIFY(chunk);
        QCOMPARE(chunk->totalLength, std::optional<qint64>(4));
        QVERIFY(!readDownloadChunk(QCborMap{{k("off"), 0}}));
        QVERIFY(!readHash(QCborMap{{k("type"), k("sha256")}}));
        QVERIFY(readEcho(QCborMap{{k("r"), k("hi")}}));
        QVERIFY(!readEcho(QCborMap{}));
        QCOMPARE(
            *readOsInfo(QCborMap{{k("output"), k("zephyr-a1b2")}}), QStringLiteral("zephyr-a1b2"));
        QVERIFY(!readOsInfo(QCborMap{{k("output"), 7}}));
        QVERIFY(!readOsInfo(QCborMap{}));
        QCOMPARE(osInfoRequest(QStringLiteral("n")), (QCborMap{{k("format"), k("n")}}));
        QCOMPARE(commandName(Op::Read, GroupOs, 7), QStringLiteral("os info"));
    }

    void isSecretName_matchesCredentialWords_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("secret");
        QTest::newRow("psk") << QStringLiteral("wifi/psk") << true;
        QTest::newRow("key file") << QStringLiteral("/lfs/client.key") << true;
        QTest::newRow("password") << QStringLiteral("mqtt/Password") << true;
        QTest::newRow("token") << QStringLiteral("cloud/TOKEN") << true;
        QTest::newRow("secret") << QStringLiteral("app/secret") << true;
        QTest::newRow("ssid") << QStringLiteral("wifi/ssid") << false;
        QTest::newRow("cert") << QStringLiteral("/lfs/cert.pem") << false;
    }
    void isSecretName_matchesCredentialWords()
    {
        QFETCH(QString, name);
        QFETCH(bool, secret);
        QCOMPARE(isSecretName(name), secret);
    }

    void commandName_namesKnownCommands()
    {
        QCOMPARE(commandName(Op::Write, 3, 0), QStringLiteral("settings write"));
        QCOMPARE(commandName(Op::ReadResponse, 3, 0), QStringLiteral("settings read"));
        QCOMPARE(commandName(Op::Read, 8, 0), QStringLiteral("fs download"));
        QCOMPARE(commandName(Op::Write, 3, 3), QStringLiteral("settings save"));
        QVERIFY(commandName(Op::Read, 9, 1).contains(QStringLiteral("group 9")));
    }

    // --- PacketReassembler: raw packets split at arbitrary points (BLE) ---------

    void reassembler_splitAtEveryPoint_yieldsTheSamePackets()
    {
        const QList<QByteArray> packets{kEchoBody, bodyOfSize(200), bodyOfSize(kHeaderSize)};
        const QByteArray stream = packets.join();
        for (qsizetype cut = 0; cut <= stream.size(); ++cut) {
            PacketReassembler r;
            auto events = r.feed(QByteArrayView(stream).first(cut));
            events += r.feed(QByteArrayView(stream).sliced(cut));
            QCOMPARE(events.size(), packets.size());
            for (qsizetype i = 0; i < packets.size(); ++i) {
                QCOMPARE(events.at(i).kind, FrameDecoder::Event::Kind::Packet);
                QCOMPARE(events.at(i).bytes, packets.at(i));
            }
            QCOMPARE(r.bufferedBytes(), 0);
        }
    }

    void reassembler_twoCutsAnywhere_yieldsTheSamePackets()
    {
        const QList<QByteArray> packets{bodyOfSize(30), kEchoBody, bodyOfSize(9), bodyOfSize(64)};
        const QByteArray stream = packets.join();
        for (qsizetype a = 0; a <= stream.size(); ++a) {
            for (qsizetype b = a; b <= stream.size(); ++b) {
                PacketReassembler r;
                QList<QByteArray> got;
                for (const auto &piece :
                    {QByteArrayView(stream).first(a), QByteArrayView(stream).sliced(a, b - a),
                        QByteArrayView(stream).sliced(b)}) {
                    for (const auto &e : r.feed(piece)) {
                        QCOMPARE(e.kind, FrameDecoder::Event::Kind::Packet);
                        got << e.bytes;
                    }
                }
                QCOMPARE(got, packets);
                QCOMPARE(r.bufferedBytes(), 0);
            }
        }
    }

    void reassembler_byteByByte_packetCompletesOnItsLastByte()
    {
        const QByteArray packet = bodyOfSize(40);
        PacketReassembler r;
        for (qsizetype i = 0; i < packet.size() - 1; ++i) {
            QVERIFY(r.feed(packet.sliced(i, 1)).isEmpty());
            QCOMPARE(r.bufferedBytes(), i + 1);
        }
        const auto events = r.feed(packet.right(1));
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().bytes, packet);
        QCOMPARE(r.bufferedBytes(), 0);
    }

    void reassembler_severalPacketsInOneFeed_keepsTheTail()
    {
        const QByteArray a = kEchoBody;
        const QByteArray b = bodyOfSize(100);
        const QByteArray c = bodyOfSize(8);
        const QByteArray d = bodyOfSize(50);
        PacketReassembler r;
        auto events = r.feed(QByteArray(a + b + c + d.left(5)));
        QCOMPARE(events.size(), 3);
        QCOMPARE(events.at(0).bytes, a);
        QCOMPARE(events.at(1).bytes, b);
        QCOMPARE(events.at(2).bytes, c);
        QCOMPARE(r.bufferedBytes(), 5);
        events = r.feed(d.mid(5, 10)); // header complete now, body not yet
        QVERIFY(events.isEmpty());
        QCOMPARE(r.bufferedBytes(), 15);
        events = r.feed(QByteArray(d.mid(15) + a));
        QCOMPARE(events.size(), 2);
        QCOMPARE(events.at(0).bytes, d);
        QCOMPARE(events.at(1).bytes, a);
        auto decoded = decodePacket(events.at(0).bytes);
        QVERIFY(decoded);
        QCOMPARE(decoded->payload.size(), 42);
        QVERIFY(r.feed(QByteArray()).isEmpty());
    }

    void reassembler_declaredLength_data()
    {
        QTest::addColumn<int>("length");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("0 (header only)") << 0 << true;
        QTest::newRow("kMaxPacket") << kMaxPacket << true;
        QTest::newRow("kMaxPacket + 1") << kMaxPacket + 1 << false;
        QTest::newRow("0x8000") << 0x8000 << false;
        QTest::newRow("0xffff") << 0xffff << false;
    }
    void reassembler_declaredLength()
    {
        QFETCH(int, length);
        QFETCH(bool, accepted);
        Header h;
        h.op = Op::ReadResponse;
        h.group = GroupFs;
        h.length = quint16(length);
        const QByteArray header = encodeHeader(h);
        PacketReassembler r;
        auto events = r.feed(header);
        if (!accepted) {
            QCOMPARE(events.size(), 1);
            QCOMPARE(events.first().kind, FrameDecoder::Event::Kind::BadFrame);
            QVERIFY(events.first().bytes.isEmpty());
            QVERIFY(events.first().reason.contains(QString::number(length)));
            QCOMPARE(r.bufferedBytes(), 0);
            return;
        }
        QCOMPARE(events.size(), length == 0 ? 1 : 0);
        events += r.feed(QByteArray(length, 'p'));
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().kind, FrameDecoder::Event::Kind::Packet);
        QCOMPARE(events.first().bytes.size(), kHeaderSize + length);
        QCOMPARE(r.bufferedBytes(), 0);
        // Memory stays bounded by one header plus kMaxPacket.
        QVERIFY(kHeaderSize + length <= kHeaderSize + kMaxPacket);
    }

    void reassembler_oversizeLength_badFrameThenRecovers()
    {
        Header h;
        h.length = 0xfff0;
        const QByteArray bad = encodeHeader(h) + QByteArray(30, 'j');
        const QByteArray good = bodyOfSize(20);
        PacketReassembler r;
        // A packet before the damage is delivered; the rest of that read is dropped.
        auto events = r.feed(QByteArray(good + bad + good));
        QCOMPARE(events.size(), 2);
        QCOMPARE(events.at(0).kind, FrameDecoder::Event::Kind::Packet);
        QCOMPARE(events.at(0).bytes, good);
        QCOMPARE(events.at(1).kind, FrameDecoder::Event::Kind::BadFrame);
        QVERIFY(!events.at(1).reason.isEmpty());
        QCOMPARE(r.bufferedBytes(), 0);
        // The next read starts afresh.
        events = r.feed(good);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().bytes, good);

        // A bad header that arrives in pieces is caught once it is complete.
        QVERIFY(r.feed(encodeHeader(h).left(3)).isEmpty());
        events = r.feed(encodeHeader(h).mid(3));
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().kind, FrameDecoder::Event::Kind::BadFrame);
        events = r.feed(good.left(4));
        QVERIFY(events.isEmpty());
        events = r.feed(good.mid(4));
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().bytes, good);
    }

    void reassembler_reset_dropsAPartialPacket()
    {
        const QByteArray good = bodyOfSize(60);
        PacketReassembler r;
        QVERIFY(r.feed(good.left(30)).isEmpty());
        QCOMPARE(r.bufferedBytes(), 30);
        r.reset();
        QCOMPARE(r.bufferedBytes(), 0);
        const auto events = r.feed(good);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().bytes, good);
    }
};

QTEST_GUILESS_MAIN(tst_SmpCodec)
#include "tst_smpcodec.moc"
