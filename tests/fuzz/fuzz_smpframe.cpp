// libFuzzer harness for the SMP serial frame decoder (app/protocol/smp/smpcodec.h).
//
// The input is what a console UART could carry. It is fed to one FrameDecoder
// in one read and to another in pieces sized by the input itself; the harness
// aborts when the two disagree, when more than a line's worth stays buffered,
// when a reassembled packet does not re-frame into frames of at most 127 bytes
// that decode back to itself, or when a decoder error has no reason.
#include "app/protocol/smp/smpcodec.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace provbench::smp;

namespace {

void check(bool condition, const char *what)
{
    if (!condition) {
        std::fprintf(stderr, "fuzz_smpframe: check failed: %s\n", what);
        std::abort();
    }
}

bool same(const FrameDecoder::Event &a, const FrameDecoder::Event &b)
{
    return a.kind == b.kind && a.bytes == b.bytes && a.reason == b.reason;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype bound = FrameDecoder::kMaxLine + kMaxPacket + 8;

    FrameDecoder whole;
    QList<FrameDecoder::Event> expected = whole.feed(input);
    check(whole.bufferedBytes() <= bound, "buffer not bounded (one read)");
    expected.append(whole.flush());
    check(whole.bufferedBytes() == 0, "flush left bytes buffered");

    FrameDecoder pieces;
    QList<FrameDecoder::Event> actual;
    qsizetype pos = 0;
    while (pos < input.size()) {
        const qsizetype len = std::min<qsizetype>(quint8(input[pos]) % 31 + 1, input.size() - pos);
        actual.append(pieces.feed(input.sliced(pos, len)));
        check(pieces.bufferedBytes() <= bound, "buffer not bounded (pieces)");
        pos += len;
    }
    actual.append(pieces.flush());
    check(actual.size() == expected.size(), "split reads changed the number of events");
    for (qsizetype i = 0; i < actual.size(); ++i)
        check(same(actual[i], expected[i]), "split reads changed an event");

    for (const auto &ev : expected) {
        switch (ev.kind) {
        case FrameDecoder::Event::Kind::Packet: {
            check(ev.bytes.size() >= kHeaderSize && ev.bytes.size() <= kMaxPacket,
                "packet size out of range");
            const auto frames = encodeFrames(ev.bytes);
            check(frames.has_value(), "a decoded packet cannot be framed again");
            QByteArray wire;
            for (const QByteArray &f : *frames) {
                check(f.size() <= kMaxFrame, "frame longer than 127 bytes");
                wire += f;
            }
            FrameDecoder again;
            const auto back = again.feed(wire);
            check(back.size() == 1 && back[0].kind == FrameDecoder::Event::Kind::Packet
                    && back[0].bytes == ev.bytes,
                "re-framed packet does not decode to itself");
            (void)decodePacket(ev.bytes);
            break;
        }
        case FrameDecoder::Event::Kind::ConsoleText:
            check(!ev.bytes.isEmpty() && !ev.bytes.contains('\n'), "text is not one line");
            break;
        case FrameDecoder::Event::Kind::BadFrame:
            check(!ev.reason.isEmpty(), "bad frame without a reason");
            break;
        }
    }
    return 0;
}
