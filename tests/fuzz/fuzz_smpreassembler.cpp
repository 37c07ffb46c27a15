// libFuzzer harness for the SMP packet reassembler of packet transports such
// as BLE (PacketReassembler in app/protocol/smp/smpcodec.h).
//
// The input is a byte stream as GATT notifications carry it. It is fed to one
// reassembler in one read, to another in pieces sized by the input itself and
// to a third byte by byte. The harness aborts when
//   - the split reads disagree with the single read on the events up to and
//     including the first BadFrame (after one, the rest of that read is
//     discarded by contract, so later events may differ),
//   - a packet is not its header plus the length the header declares, that
//     length exceeds kMaxPacket, or the packet does not decode and re-encode
//     to itself (up to the header's reserved bits),
//   - a BadFrame carries bytes, has no reason, or is followed by anything
//     else from the same read (the rest of that read is discarded),
//   - more than one header plus kMaxPacket stays buffered after a read,
//   - without a BadFrame, the packets and the buffered tail do not add up to
//     the input, the tail is not the start of one incomplete packet, or
//     reset() leaves bytes behind.
#include "app/protocol/smp/smpcodec.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace provbench::smp;

namespace {

using Event = FrameDecoder::Event;

void check(bool condition, const char *what)
{
    if (!condition) {
        std::fprintf(stderr, "fuzz_smpreassembler: check failed: %s\n", what);
        std::abort();
    }
}

bool same(const Event &a, const Event &b)
{
    return a.kind == b.kind && a.bytes == b.bytes && a.reason == b.reason;
}

constexpr qsizetype kBound = kHeaderSize + kMaxPacket;

qsizetype firstBadFrame(const QList<Event> &events)
{
    for (qsizetype i = 0; i < events.size(); ++i) {
        if (events[i].kind == Event::Kind::BadFrame)
            return i;
    }
    return events.size();
}

// A BadFrame discards the rest of its read: it is that read's last event and
// nothing stays buffered.
void checkRead(const QList<Event> &events, const PacketReassembler &r)
{
    const qsizetype bad = firstBadFrame(events);
    if (bad < events.size()) {
        check(bad == events.size() - 1, "events after a bad frame in the same read");
        check(r.bufferedBytes() == 0, "bytes kept after a bad frame");
    }
}

// Feeds `input` in pieces of the sizes `next` returns.
template<typename NextSize> QList<Event> feedInPieces(QByteArrayView input, NextSize next)
{
    PacketReassembler r;
    QList<Event> events;
    qsizetype pos = 0;
    while (pos < input.size()) {
        const qsizetype len = std::min<qsizetype>(next(pos), input.size() - pos);
        const QList<Event> read = r.feed(input.sliced(pos, len));
        check(r.bufferedBytes() <= kBound, "buffer not bounded (pieces)");
        checkRead(read, r);
        events.append(read);
        pos += len;
    }
    return events;
}

void checkAgrees(const QList<Event> &whole, const QList<Event> &split, const char *what)
{
    const qsizetype bad = firstBadFrame(whole);
    check(firstBadFrame(split) == bad, what);
    const qsizetype n = std::min(bad + 1, whole.size());
    check(split.size() >= n, what);
    for (qsizetype i = 0; i < n; ++i)
        check(same(whole[i], split[i]), what);
    if (bad == whole.size())
        check(split.size() == whole.size(), what);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));

    PacketReassembler whole;
    const QList<Event> expected = whole.feed(input);
    check(whole.bufferedBytes() <= kBound, "buffer not bounded (one read)");
    checkRead(expected, whole);

    qsizetype packetBytes = 0;
    for (const Event &ev : expected) {
        switch (ev.kind) {
        case Event::Kind::Packet: {
            check(ev.bytes.size() >= kHeaderSize, "packet shorter than a header");
            const auto packet = decodePacket(ev.bytes);
            check(packet.has_value(), "a reassembled packet does not decode");
            check(packet->header.length <= kMaxPacket, "packet longer than kMaxPacket");
            check(ev.bytes.size() == kHeaderSize + packet->header.length,
                "packet size is not header + declared length");
            auto again = encodePacket(packet->header, packet->payload);
            check(again.has_value(), "a decoded packet cannot be encoded");
            again->data()[0] = char(quint8(again->at(0)) | (quint8(ev.bytes.at(0)) & 0xe0));
            check(*again == ev.bytes, "a packet does not re-encode to itself");
            packetBytes += ev.bytes.size();
            break;
        }
        case Event::Kind::BadFrame:
            check(ev.bytes.isEmpty(), "a bad frame carries bytes");
            check(!ev.reason.isEmpty(), "bad frame without a reason");
            break;
        case Event::Kind::ConsoleText:
            check(false, "a packet transport has no console text");
            break;
        }
    }
    if (firstBadFrame(expected) == expected.size()) {
        check(packetBytes + whole.bufferedBytes() == input.size(),
            "packets and buffered bytes do not add up to the input");
        // What stays buffered is the start of one packet that is not complete yet.
        const QByteArrayView tail = input.last(whole.bufferedBytes());
        if (tail.size() >= kHeaderSize) {
            const qsizetype declared = (quint8(tail[2]) << 8) | quint8(tail[3]);
            check(declared <= kMaxPacket, "an oversize header is kept buffered");
            check(tail.size() < kHeaderSize + declared, "a complete packet is kept buffered");
        }
    }
    whole.reset();
    check(whole.bufferedBytes() == 0, "reset left bytes buffered");

    // Notification-sized pieces (as a BLE MTU cuts them), sized by the input.
    checkAgrees(expected,
        feedInPieces(input, [&](qsizetype pos) { return qsizetype(quint8(input[pos]) % 64 + 1); }),
        "pieces changed the events");
    if (size <= 4096)
        checkAgrees(expected, feedInPieces(input, [](qsizetype) { return qsizetype(1); }),
            "byte-by-byte reads changed the events");
    return 0;
}
