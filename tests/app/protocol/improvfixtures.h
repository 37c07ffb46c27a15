#pragma once

// Shared by the Improv codec and stream parser tests: wire vectors and
// helpers to build packets and read events.

#include "app/protocol/improv/improvcodec.h"

#include <QRandomGenerator>
#include <QTest>

using namespace provbench;
using namespace provbench::improv;

namespace provbench::improvtest {

inline QByteArray hex(const char *spaced)
{
    return QByteArray::fromHex(QByteArray(spaced));
}

inline QByteArray packet(PacketType type, const QByteArray &data)
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
inline QString escaped(const QByteArray &bytes)
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
inline QString describe(const StreamParser::Event &e)
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

inline QStringList describeAll(const QList<StreamParser::Event> &events, bool withNoise = true)
{
    QStringList out;
    for (const auto &e : events) {
        if (withNoise || e.kind != StreamParser::Event::Kind::Noise)
            out.append(describe(e));
    }
    return out;
}

inline QList<StreamParser::Event> feedAndFlush(StreamParser &parser, QByteArrayView bytes)
{
    auto events = parser.feed(bytes);
    events.append(parser.flush());
    return events;
}

inline QString line(const char *packetLine)
{
    return QString::fromLatin1(packetLine);
}

// A realistic ESPHome log line, colour codes and CRLF included.
inline QByteArray logLine(const char *text)
{
    return QByteArray("\x1b[0;32m") + text + QByteArray("\x1b[0m\r\n");
}

inline QString logNoise(const char *text)
{
    return QStringLiteral("N \\x1b[0;32m") + QString::fromLatin1(text) + QStringLiteral("\\x1b[0m");
}

} // namespace provbench::improvtest

using namespace provbench::improvtest;
