// libFuzzer harness for the nRF91 AT response parser and line parsers
// (app/protocol/atcmd/atparser.h, atcodec.h).
//
// The first input byte picks the command in flight (none, a query, a list, a
// read, a secret write); the rest is bytes arriving from a modem. They are fed
// to one ResponseParser in a single read and to another in pieces whose sizes
// come from the input itself. The harness aborts when
//   - the two parsers disagree (a split read must never change the events),
//   - the parser keeps more than its documented bound buffered,
//   - a Final event does not re-parse to the same result, or an Echo event is
//     not the command,
//   - a line parser fails without a message, or accepts a hash that is not
//     64 upper-case hex digits.
// Every Info line also goes through parseCmngLine/parseCfun/parseSingleValue,
// and every error code through cmeErrorMessage.
#include "app/protocol/atcmd/atcodec.h"
#include "app/protocol/atcmd/atparser.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace provbench;
using namespace provbench::at;

namespace {

void check(bool condition, const char *what)
{
    if (!condition) {
        std::fprintf(stderr, "fuzz_atresponse: check failed: %s\n", what);
        std::abort();
    }
}

template<typename T> void checkResult(const Result<T> &r, const char *what)
{
    if (!r.has_value())
        check(!r.error().message.isEmpty(), what);
}

bool sameEvent(const ResponseParser::Event &a, const ResponseParser::Event &b)
{
    return a.kind == b.kind && a.line == b.line && a.final == b.final;
}

const QByteArray kCommands[] = {
    QByteArray(),
    QByteArrayLiteral("AT+CFUN?"),
    QByteArrayLiteral("AT%CMNG=1"),
    QByteArrayLiteral("AT%CMNG=2,1,0"),
    QByteArrayLiteral("AT%CMNG=0,1,3,\"00ff\""),
    QByteArrayLiteral("AT+CGMM"),
};

constexpr qsizetype kBound = ResponseParser::kMaxLine + ResponseParser::kMaxQuoted + 2;

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const QByteArray &command = kCommands[data[0] % std::size(kCommands)];
    const QByteArrayView input(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));

    ResponseParser whole;
    whole.setCommand(command);
    QList<ResponseParser::Event> expected = whole.feed(input);
    check(whole.bufferedBytes() <= kBound, "buffer not bounded (one read)");
    expected.append(whole.flush());
    check(whole.bufferedBytes() == 0, "flush left bytes buffered");

    ResponseParser pieces;
    pieces.setCommand(command);
    QList<ResponseParser::Event> actual;
    qsizetype pos = 0;
    while (pos < input.size()) {
        const qsizetype len = std::min<qsizetype>(quint8(input[pos]) % 29 + 1, input.size() - pos);
        actual.append(pieces.feed(input.sliced(pos, len)));
        check(pieces.bufferedBytes() <= kBound, "buffer not bounded (pieces)");
        pos += len;
    }
    actual.append(pieces.flush());
    check(actual.size() == expected.size(), "split reads changed the number of events");
    for (qsizetype i = 0; i < actual.size(); ++i)
        check(sameEvent(actual[i], expected[i]), "split reads changed an event");

    QList<QByteArray> infoLines;
    const ErrorContext context{QString::fromLatin1(command), 1, CredentialType::Psk};
    for (const auto &ev : expected) {
        using Kind = ResponseParser::Event::Kind;
        switch (ev.kind) {
        case Kind::Final: {
            const auto again = ResponseParser::parseFinal(ev.line);
            check(again.has_value() && *again == ev.final, "final does not re-parse");
            if (ev.final.code >= 0)
                check(!cmeErrorMessage(ev.final.code, context).isEmpty(), "empty CME message");
            break;
        }
        case Kind::Echo:
            check(ev.line == command, "echo is not the command");
            break;
        case Kind::Info: {
            infoLines.append(ev.line);
            const auto entry = parseCmngLine(ev.line);
            checkResult(entry, "parseCmngLine failed without a message");
            if (entry && !entry->hash.isEmpty())
                check(entry->hash.size() == 64 && entry->hash == entry->hash.toUpper(),
                    "hash is not 64 upper-case hex digits");
            break;
        }
        case Kind::Notification:
        case Kind::Garbled:
        case Kind::Noise:
            check(!ev.line.isEmpty(), "empty event line");
            break;
        }
    }
    checkResult(parseCmngList(infoLines), "parseCmngList failed without a message");
    checkResult(parseCfun(infoLines), "parseCfun failed without a message");
    checkResult(parseSingleValue(infoLines, QStringLiteral("AT+CGMM")),
        "parseSingleValue failed without a message");
    (void)redactedCommand(input.first(std::min<qsizetype>(input.size(), 512)));
    return 0;
}
