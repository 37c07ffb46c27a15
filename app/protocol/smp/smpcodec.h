#pragma once

#include "app/core/error.h"

#include <QByteArray>
#include <QList>
#include <QString>

// MCUmgr SMP over a serial line: a pure codec for the 8-byte header and the
// console framing. No I/O, no timers; SmpClient and sim::SimulatedSmpDevice
// sit on top of it. See docs/protocols/smp.md.
//
// Header (big-endian): res:3|version:2|op:3, flags, length (of the CBOR
// payload), group (2 bytes), sequence, command id; then the CBOR payload.
//
// Serial packet: base64 of [length (2, BE) = body + 2 | body | CRC-16/XMODEM
// of body], cut into frames of at most kMaxFrame bytes: a first frame starts
// with 06 09, continuation frames with 04 14, every frame ends in '\n'. Each
// frame carries its own complete base64 text (as Zephyr sends it).
namespace provbench::smp {

inline constexpr int kHeaderSize = 8;
inline constexpr quint8 kVersion2 = 1; // the header's version field for SMP v2
inline constexpr int kMaxFrame = 127;  // whole frame: marker, base64 text and '\n'
// Largest SMP packet (header + CBOR) the decoder reassembles; bounds memory.
inline constexpr int kMaxPacket = 8192;
inline constexpr char kFirstMarker[] = "\x06\x09";
inline constexpr char kNextMarker[] = "\x04\x14";

enum class Op : quint8 {
    Read = 0,
    ReadResponse = 1,
    Write = 2,
    WriteResponse = 3,
};

enum Group : quint16 {
    GroupOs = 0,
    GroupSettings = 3,
    GroupFs = 8,
};

struct Header
{
    Op op = Op::Read;
    quint8 version = kVersion2;
    quint8 flags = 0;
    quint16 length = 0; // of the CBOR payload
    quint16 group = 0;
    quint8 seq = 0;
    quint8 id = 0;

    bool operator==(const Header &) const = default;
};

// One command of the groups this client speaks: the op of the request, group
// and id. A response has op + 1.
struct Command
{
    Op op = Op::Read;
    quint16 group = 0;
    quint8 id = 0;
};

inline constexpr Command kEcho{Op::Write, GroupOs, 0};
inline constexpr Command kReset{Op::Write, GroupOs, 5};
// OS/application information (uname-like; CONFIG_MCUMGR_GRP_OS_INFO).
inline constexpr Command kOsInfo{Op::Read, GroupOs, 7};
inline constexpr Command kSettingRead{Op::Read, GroupSettings, 0};
inline constexpr Command kSettingWrite{Op::Write, GroupSettings, 0};
inline constexpr Command kSettingDelete{Op::Write, GroupSettings, 1};
inline constexpr Command kSettingCommit{Op::Write, GroupSettings, 2};
inline constexpr Command kSettingLoad{Op::Read, GroupSettings, 3};
inline constexpr Command kSettingSave{Op::Write, GroupSettings, 3};
inline constexpr Command kFsDownload{Op::Read, GroupFs, 0};
inline constexpr Command kFsUpload{Op::Write, GroupFs, 0};
inline constexpr Command kFsHash{Op::Read, GroupFs, 2};

// "settings write", "fs upload", ... or "group 9 command 1 (write)".
QString commandName(Op op, quint16 group, quint8 id);
QString opName(Op op);

struct Packet
{
    Header header;
    QByteArray payload; // CBOR

    bool operator==(const Packet &) const = default;
};

// --- header and packet ------------------------------------------------------

QByteArray encodeHeader(const Header &header);
// Fails on fewer than 8 bytes. Reserved bits are ignored.
Result<Header> decodeHeader(QByteArrayView bytes);
// Header (with length set from the payload) + payload. Fails when the
// payload is longer than 65535 bytes.
Result<QByteArray> encodePacket(Header header, QByteArrayView payload);
// Splits a reassembled body into header and payload; fails when the header's
// length disagrees with the bytes that follow it.
Result<Packet> decodePacket(QByteArrayView body);

// --- serial framing -----------------------------------------------------------

// CRC-16/XMODEM: poly 0x1021, init 0, no reflection, no final xor.
quint16 crc16(QByteArrayView bytes);
// The frames of one packet, each a complete line (marker, base64, '\n') of at
// most maxFrame bytes. Fails for an empty body, a body above kMaxPacket or a
// maxFrame too small to carry one base64 quantum.
Result<QList<QByteArray>> encodeFrames(QByteArrayView body, int maxFrame = kMaxFrame);
// The same frames joined, ready to write.
Result<QByteArray> encodeSerial(QByteArrayView body, int maxFrame = kMaxFrame);

// Line-oriented reassembly of what a serial console carries: SMP frames mixed
// with log text. Feed bytes as they arrive. A line is split at '\n'; a marker
// anywhere in it starts a frame (what precedes the marker is console text).
// A first frame (06 09) always starts a new packet, dropping a partial one; a
// continuation (04 14) without a packet in progress is discarded. Bad base64,
// a length outside [kHeaderSize + 2, kMaxPacket + 2], more data than the
// length promised, or a CRC mismatch discard the packet with a BadFrame event;
// decoding resumes with the next line. Memory stays bounded: a line longer
// than kMaxLine is cut into console text pieces (or discarded as a bad frame).
class FrameDecoder
{
public:
    static constexpr qsizetype kMaxLine = 512;

    struct Event
    {
        enum class Kind { Packet, ConsoleText, BadFrame };
        Kind kind = Kind::ConsoleText;
        QByteArray bytes; // Packet: the body (header + CBOR); ConsoleText: one line
        QString reason;   // BadFrame: what was wrong
    };

    QList<Event> feed(QByteArrayView bytes);
    // Emits a pending partial console line and forgets partial state.
    QList<Event> flush();
    void reset();
    qsizetype bufferedBytes() const { return m_line.size() + m_text.size() + m_data.size(); }
    bool inPacket() const { return m_inPacket; }

private:
    void handleLine(QByteArrayView line, bool complete, QList<Event> &out);
    void handleFrame(QByteArrayView frame, bool first, QList<Event> &out);
    void drop(const QString &reason, QList<Event> &out);

    QByteArray m_line;         // an incomplete line
    bool m_lineIsText = false; // the current line was already cut as console text
    bool m_inPacket = false;
    QByteArray m_text; // base64 carried over between frames (not a multiple of 4)
    QByteArray m_data; // decoded bytes of the packet so far, length field included
};

// --- packet transports (BLE) -------------------------------------------------

// Reassembles SMP packets from a transport that carries raw packets split at
// arbitrary points (SMP over BLE: one packet may span several notifications,
// and one notification may end one packet and start the next). The header's
// length field says where a packet ends. A length above kMaxPacket cannot be a
// real packet: the buffer is discarded with a BadFrame event and reassembly
// restarts with the next bytes fed. Memory stays bounded by kMaxPacket plus
// one header.
class PacketReassembler
{
public:
    QList<FrameDecoder::Event> feed(QByteArrayView bytes);
    void reset() { m_buffer.clear(); }
    qsizetype bufferedBytes() const { return m_buffer.size(); }

private:
    QByteArray m_buffer;
};

} // namespace provbench::smp
