#include "app/protocol/smp/smpcodec.h"

#include <algorithm>

namespace provbench::smp {

namespace {

constexpr qsizetype kMarkerSize = 2;

quint16 readBe16(QByteArrayView b, qsizetype at)
{
    return quint16((quint8(b[at]) << 8) | quint8(b[at + 1]));
}

void appendBe16(QByteArray &out, quint16 v)
{
    out.append(char(v >> 8));
    out.append(char(v & 0xff));
}

qsizetype findMarker(QByteArrayView line, bool *first)
{
    const qsizetype a = line.indexOf(QByteArrayView(kFirstMarker, kMarkerSize));
    const qsizetype b = line.indexOf(QByteArrayView(kNextMarker, kMarkerSize));
    if (a < 0 && b < 0)
        return -1;
    if (b < 0 || (a >= 0 && a < b)) {
        *first = true;
        return a;
    }
    *first = false;
    return b;
}

} // namespace

QString opName(Op op)
{
    switch (op) {
    case Op::Read:
        return QStringLiteral("read");
    case Op::ReadResponse:
        return QStringLiteral("read response");
    case Op::Write:
        return QStringLiteral("write");
    case Op::WriteResponse:
        return QStringLiteral("write response");
    }
    return QStringLiteral("op %1").arg(int(op));
}

QString commandName(Op op, quint16 group, quint8 id)
{
    const bool write = op == Op::Write || op == Op::WriteResponse;
    if (group == GroupOs && id == 0)
        return QStringLiteral("echo");
    if (group == GroupOs && id == 5)
        return QStringLiteral("reset");
    if (group == GroupOs && id == 7)
        return QStringLiteral("os info");
    if (group == GroupSettings) {
        switch (id) {
        case 0:
            return write ? QStringLiteral("settings write") : QStringLiteral("settings read");
        case 1:
            return QStringLiteral("settings delete");
        case 2:
            return QStringLiteral("settings commit");
        case 3:
            return write ? QStringLiteral("settings save") : QStringLiteral("settings load");
        default:
            break;
        }
    }
    if (group == GroupFs && id == 0)
        return write ? QStringLiteral("fs upload") : QStringLiteral("fs download");
    if (group == GroupFs && id == 2)
        return QStringLiteral("fs hash");
    return QStringLiteral("group %1 command %2 (%3)").arg(group).arg(id).arg(opName(op));
}

// --- header and packet ----------------------------------------------------------

QByteArray encodeHeader(const Header &h)
{
    QByteArray out;
    out.reserve(kHeaderSize);
    out.append(char(((h.version & 0x03) << 3) | (quint8(h.op) & 0x07)));
    out.append(char(h.flags));
    appendBe16(out, h.length);
    appendBe16(out, h.group);
    out.append(char(h.seq));
    out.append(char(h.id));
    return out;
}

Result<Header> decodeHeader(QByteArrayView b)
{
    if (b.size() < kHeaderSize)
        return fail(Error::Code::Protocol,
            QStringLiteral("An SMP header has 8 bytes; the device sent %1.").arg(b.size()));
    Header h;
    h.op = Op(quint8(b[0]) & 0x07);
    h.version = (quint8(b[0]) >> 3) & 0x03;
    h.flags = quint8(b[1]);
    h.length = readBe16(b, 2);
    h.group = readBe16(b, 4);
    h.seq = quint8(b[6]);
    h.id = quint8(b[7]);
    return h;
}

Result<QByteArray> encodePacket(Header header, QByteArrayView payload)
{
    if (payload.size() > 0xffff)
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("An SMP payload has at most 65535 bytes; this one has %1: send "
                           "smaller chunks.")
                .arg(payload.size()));
    header.length = quint16(payload.size());
    QByteArray out = encodeHeader(header);
    out.append(payload);
    return out;
}

Result<Packet> decodePacket(QByteArrayView body)
{
    auto header = decodeHeader(body);
    if (!header)
        return std::unexpected(header.error());
    const qsizetype rest = body.size() - kHeaderSize;
    if (rest != header->length)
        return fail(Error::Code::Protocol,
            QStringLiteral("The SMP header announces %1 payload bytes but %2 follow it.")
                .arg(header->length)
                .arg(rest));
    return Packet{*header, body.sliced(kHeaderSize).toByteArray()};
}

// --- serial framing -------------------------------------------------------------

quint16 crc16(QByteArrayView bytes)
{
    quint16 crc = 0;
    for (char c : bytes) {
        crc ^= quint16(quint8(c)) << 8;
        for (int i = 0; i < 8; ++i)
            crc = (crc & 0x8000) ? quint16((crc << 1) ^ 0x1021) : quint16(crc << 1);
    }
    return crc;
}

Result<QList<QByteArray>> encodeFrames(QByteArrayView body, int maxFrame)
{
    if (body.isEmpty() || body.size() > kMaxPacket)
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("An SMP packet over serial has 1 to %1 bytes; this one has %2.")
                .arg(kMaxPacket)
                .arg(body.size()));
    const int chars = (maxFrame - int(kMarkerSize) - 1) / 4 * 4;
    if (chars < 4)
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("A frame of %1 bytes cannot carry SMP data; use at least 7.")
                .arg(maxFrame));
    const qsizetype rawPerFrame = chars / 4 * 3;

    QByteArray raw;
    raw.reserve(body.size() + 4);
    appendBe16(raw, quint16(body.size() + 2));
    raw.append(body);
    appendBe16(raw, crc16(body));

    QList<QByteArray> frames;
    for (qsizetype at = 0; at < raw.size(); at += rawPerFrame) {
        QByteArray frame(at == 0 ? kFirstMarker : kNextMarker, kMarkerSize);
        frame.append(raw.mid(at, rawPerFrame).toBase64());
        frame.append('\n');
        frames.append(frame);
    }
    return frames;
}

Result<QByteArray> encodeSerial(QByteArrayView body, int maxFrame)
{
    auto frames = encodeFrames(body, maxFrame);
    if (!frames)
        return std::unexpected(frames.error());
    QByteArray out;
    for (const QByteArray &f : *frames)
        out.append(f);
    return out;
}

// --- FrameDecoder ----------------------------------------------------------------

QList<FrameDecoder::Event> FrameDecoder::feed(QByteArrayView bytes)
{
    QList<Event> out;
    qsizetype pos = 0;
    while (pos < bytes.size()) {
        if (bytes[pos] == '\n') {
            handleLine(m_line, true, out);
            m_line.clear();
            ++pos;
            continue;
        }
        if (m_line.size() >= kMaxLine) {
            handleLine(m_line, false, out);
            m_line.clear();
            continue;
        }
        const auto it = std::find(bytes.begin() + pos, bytes.end(), '\n');
        const qsizetype end = it - bytes.begin();
        const qsizetype take = std::min(end - pos, kMaxLine - m_line.size());
        m_line.append(bytes.sliced(pos, take));
        pos += take;
    }
    return out;
}

QList<FrameDecoder::Event> FrameDecoder::flush()
{
    QList<Event> out;
    if (!m_line.isEmpty())
        handleLine(m_line, false, out);
    reset();
    return out;
}

void FrameDecoder::reset()
{
    m_line.clear();
    m_lineIsText = false;
    m_inPacket = false;
    m_text.clear();
    m_data.clear();
}

void FrameDecoder::drop(const QString &reason, QList<Event> &out)
{
    out.append(Event{Event::Kind::BadFrame, {}, reason});
    m_inPacket = false;
    m_text.clear();
    m_data.clear();
}

void FrameDecoder::handleLine(QByteArrayView line, bool complete, QList<Event> &out)
{
    if (complete && line.endsWith('\r'))
        line.chop(1);
    auto text = [&out](QByteArrayView t) {
        if (!t.isEmpty())
            out.append(Event{Event::Kind::ConsoleText, t.toByteArray(), {}});
    };
    if (m_lineIsText) {
        // The rest of an over-long line: console text whatever it contains.
        text(line);
        m_lineIsText = !complete;
        return;
    }
    bool first = false;
    const qsizetype at = findMarker(line, &first);
    if (at < 0) {
        text(line);
    } else {
        text(line.first(at));
        if (complete)
            handleFrame(line.sliced(at + kMarkerSize), first, out);
        else
            drop(QStringLiteral("a frame longer than %1 bytes").arg(kMaxLine), out);
    }
    m_lineIsText = !complete;
}

void FrameDecoder::handleFrame(QByteArrayView frame, bool first, QList<Event> &out)
{
    if (first) {
        if (m_inPacket)
            drop(QStringLiteral("a new packet started before the previous one was complete"), out);
        m_inPacket = true;
    } else if (!m_inPacket) {
        drop(QStringLiteral("a continuation frame without a packet"), out);
        return;
    }
    m_text.append(frame);
    const qsizetype usable = m_text.size() - m_text.size() % 4;
    if (usable > 0) {
        auto decoded = QByteArray::fromBase64Encoding(
            m_text.first(usable), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            return drop(QStringLiteral("invalid base64"), out);
        m_data.append(*decoded);
        m_text.remove(0, usable);
    }
    if (m_data.size() < 2)
        return;
    const qsizetype total = readBe16(m_data, 0);
    if (total < kHeaderSize + 2 || total > kMaxPacket + 2)
        return drop(QStringLiteral("a packet length of %1").arg(total), out);
    const qsizetype have = m_data.size() - 2;
    if (have > total)
        return drop(QStringLiteral("%1 bytes where the length says %2").arg(have).arg(total), out);
    if (have < total)
        return;
    if (!m_text.isEmpty())
        return drop(QStringLiteral("stray base64 after the packet"), out);
    const QByteArray body = m_data.sliced(2, total - 2);
    const quint16 crc = readBe16(m_data, m_data.size() - 2);
    m_inPacket = false;
    m_data.clear();
    if (crc16(body) != crc)
        return drop(QStringLiteral("a CRC mismatch"), out);
    out.append(Event{Event::Kind::Packet, body, {}});
}

QList<FrameDecoder::Event> PacketReassembler::feed(QByteArrayView bytes)
{
    QList<FrameDecoder::Event> out;
    m_buffer.append(bytes.data(), bytes.size());
    while (m_buffer.size() >= kHeaderSize) {
        const int length = (quint8(m_buffer.at(2)) << 8) | quint8(m_buffer.at(3));
        if (length > kMaxPacket) {
            out.append({FrameDecoder::Event::Kind::BadFrame, {},
                QStringLiteral("a packet header declares %1 bytes, more than any SMP packet "
                               "(%2); the rest of this transfer was discarded")
                    .arg(length)
                    .arg(kMaxPacket)});
            m_buffer.clear();
            break;
        }
        const qsizetype total = kHeaderSize + length;
        if (m_buffer.size() < total)
            break;
        out.append({FrameDecoder::Event::Kind::Packet, m_buffer.left(total), {}});
        m_buffer.remove(0, total);
    }
    return out;
}

} // namespace provbench::smp
