// libFuzzer harness for the Improv serial codec (app/protocol/improv/improvcodec.h).
//
// The input is treated as bytes arriving on a serial line. It is fed to one
// StreamParser in a single read and to another in pieces whose sizes are taken
// from the input itself, so packets get split at arbitrary points. The harness
// aborts when
//   - the two parsers disagree (splitting a read must never change the events),
//   - the parser keeps 1 KiB or more buffered,
//   - a packet's bytes do not re-encode to what was on the wire,
//   - a decoded RPC does not re-encode to its own bytes and decode back equal,
//   - a decoder fails without a message.
// Every packet also goes through decodeDeviceInfo, decodeScanEntry and
// decodeNetworkState, and error packets through errorMessage.
#include "app/protocol/improv/improvcodec.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace provbench;
using namespace provbench::improv;

namespace {

constexpr qsizetype kMaxBuffered = 1024;

[[noreturn]] void failCheck(const char *what)
{
    std::fprintf(stderr, "fuzz_improv: check failed: %s\n", what);
    std::abort();
}

void check(bool condition, const char *what)
{
    if (!condition)
        failCheck(what);
}

template<typename T> void checkResult(const Result<T> &result, const char *what)
{
    if (!result.has_value())
        check(!result.error().message.isEmpty(), what);
}

bool sameEvent(const StreamParser::Event &a, const StreamParser::Event &b)
{
    return a.kind == b.kind && a.packet == b.packet && a.text == b.text;
}

void checkRpc(const Packet &packet)
{
    const auto rpc = decodeRpc(packet.data);
    checkResult(rpc, "decodeRpc failed without a message");
    if (!rpc)
        return;

    // A decoded RPC came out of at most 255 bytes, so it always fits again,
    // and its encoding is exactly the declared part of the packet data.
    const auto reencoded = encodeRpc(*rpc);
    check(reencoded.has_value(), "encodeRpc rejected a decoded RPC");
    check(*reencoded == packet.data.first(2 + quint8(packet.data[1])),
        "re-encoded RPC differs from the wire bytes");
    const auto again = decodeRpc(*reencoded);
    check(again.has_value() && *again == *rpc, "RPC round trip changed the RPC");

    checkResult(decodeDeviceInfo(*rpc), "decodeDeviceInfo failed without a message");
    checkResult(decodeScanEntry(*rpc), "decodeScanEntry failed without a message");
    checkResult(decodeNetworkState(*rpc), "decodeNetworkState failed without a message");
    (void)commandName(rpc->command);
}

void checkPacket(const Packet &packet)
{
    check(packet.data.size() <= kMaxData, "packet data longer than 255 bytes");

    // The packet as parsed must encode back to a packet the parser accepts.
    const auto wire = encodePacket(packet.type, packet.data);
    check(wire.has_value(), "encodePacket rejected a parsed packet");
    StreamParser reparse;
    const auto events = reparse.feed(*wire);
    check(events.size() == 1 && events[0].kind == StreamParser::Event::Kind::Packet
            && events[0].packet == packet,
        "re-encoded packet does not parse back to itself");

    switch (packet.type) {
    case PacketType::CurrentState:
        if (!packet.data.isEmpty())
            (void)stateName(State(quint8(packet.data[0])));
        break;
    case PacketType::ErrorState:
        if (!packet.data.isEmpty()) {
            const auto code = ErrorCode(quint8(packet.data[0]));
            (void)errorName(code);
            const QString message
                = errorMessage(code, Command::WifiSettings, QString::fromUtf8(packet.data));
            check(code == ErrorCode::None || !message.isEmpty(), "empty error message");
        }
        break;
    case PacketType::RpcCommand:
    case PacketType::RpcResult:
    default:
        checkRpc(packet);
        break;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));

    StreamParser whole;
    QList<StreamParser::Event> expected = whole.feed(input);
    check(whole.bufferedBytes() < kMaxBuffered, "buffer not bounded (one read)");
    expected.append(whole.flush());
    check(whole.bufferedBytes() == 0, "flush left bytes buffered");

    // The byte at the start of each piece decides how long that piece is, so
    // the fuzzer controls the split points without a separate header.
    StreamParser pieces;
    QList<StreamParser::Event> actual;
    qsizetype pos = 0;
    while (pos < input.size()) {
        const qsizetype len = std::min<qsizetype>(quint8(input[pos]) % 23 + 1, input.size() - pos);
        actual.append(pieces.feed(input.sliced(pos, len)));
        check(pieces.bufferedBytes() < kMaxBuffered, "buffer not bounded (pieces)");
        pos += len;
    }
    actual.append(pieces.flush());

    check(actual.size() == expected.size(), "split reads changed the number of events");
    for (qsizetype i = 0; i < actual.size(); ++i)
        check(sameEvent(actual[i], expected[i]), "split reads changed an event");

    for (const auto &event : expected) {
        switch (event.kind) {
        case StreamParser::Event::Kind::Packet:
            checkPacket(event.packet);
            break;
        case StreamParser::Event::Kind::Noise:
            check(!event.text.isEmpty() && !event.text.contains('\n') && !event.text.contains('\r'),
                "noise event is not one non-empty line");
            break;
        case StreamParser::Event::Kind::BadChecksum:
        case StreamParser::Event::Kind::BadVersion:
            check(event.text.startsWith(kMagic), "bad candidate does not start with the magic");
            break;
        }
    }

    // The raw input, read as one RPC body, exercises the decoders directly too.
    const auto rpc = decodeRpc(input.first(std::min<qsizetype>(input.size(), kMaxData)));
    checkResult(rpc, "decodeRpc failed without a message");
    if (rpc)
        checkPacket(Packet{PacketType::RpcResult, *encodeRpc(*rpc)});
    return 0;
}
