#include "improvfixtures.h"

class tst_ImprovStreamParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
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
};

void tst_ImprovStreamParser::feed_specVectors_yieldOnePacketEach_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<int>("type");
    QTest::addColumn<QByteArray>("data");

    QTest::newRow("request current state") << kRequestState << 0x03 << hex("02 00");
    QTest::newRow("state ready") << kStateReady << 0x01 << hex("02");
    QTest::newRow("wifi settings") << kWifiPacket << 0x03 << kWifiPacket.mid(kHeaderSize, 0x20);
}

void tst_ImprovStreamParser::feed_specVectors_yieldOnePacketEach()
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

void tst_ImprovStreamParser::feed_reportsPacketsAndLogLines_data()
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

void tst_ImprovStreamParser::feed_reportsPacketsAndLogLines()
{
    QFETCH(QByteArray, wire);
    QFETCH(QStringList, events);

    StreamParser parser;
    QCOMPARE(describeAll(feedAndFlush(parser, wire)), events);
    QCOMPARE(parser.bufferedBytes(), 0);
}

// The same stream, split into two reads at every byte position.
void tst_ImprovStreamParser::feed_packetSplitAcrossTwoReads_isCompleted_data()
{
    QTest::addColumn<int>("splitAt");

    const QByteArray stream = logLine("[I][app:102]: boot") + kWifiPacket + "\n" + kStateReady;
    for (int i = 0; i <= stream.size(); ++i)
        QTest::addRow("split at %d", i) << i;
}

void tst_ImprovStreamParser::feed_packetSplitAcrossTwoReads_isCompleted()
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

void tst_ImprovStreamParser::feed_byteByByte_givesSameEventsAsOneRead()
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
void tst_ImprovStreamParser::feed_damagedInput_reportsItAndResyncsOnNextPacket_data()
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

void tst_ImprovStreamParser::feed_damagedInput_reportsItAndResyncsOnNextPacket()
{
    QFETCH(QByteArray, wire);
    QFETCH(QStringList, events);

    StreamParser parser;
    QCOMPARE(describeAll(feedAndFlush(parser, wire), false), events);
}

// A log line that merely mentions "IMPROV" is not a packet: its text should
// reach the trace panel as one line, like any other log line.
void tst_ImprovStreamParser::feed_strayMagicInLogLine_keepsTheLogLineWhole()
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

void tst_ImprovStreamParser::feed_garbageBinary_isReportedAsNoiseOnly()
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

void tst_ImprovStreamParser::feed_megabytesOfGarbage_keepBufferBounded_data()
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

void tst_ImprovStreamParser::feed_megabytesOfGarbage_keepBufferBounded()
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

void tst_ImprovStreamParser::flush_emitsPartialLineAndForgetsPartialPacket()
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

void tst_ImprovStreamParser::reset_forgetsPartialPacket()
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

QTEST_APPLESS_MAIN(tst_ImprovStreamParser)
#include "tst_improvstreamparser.moc"
