// libFuzzer harness for SMP response bodies: the 8-byte header and the CBOR
// payload (app/protocol/smp/smpcodec.h, smpmessages.h).
//
// The input is one reassembled packet. Header decoding must round-trip; the
// payload goes through decodeCbor and, when it is a map, through every
// response reader and the error mapping, each of which must either succeed or
// fail with a message. Error messages must never be empty.
#include "app/protocol/smp/smpcodec.h"
#include "app/protocol/smp/smpmessages.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace provbench;
using namespace provbench::smp;

namespace {

void check(bool condition, const char *what)
{
    if (!condition) {
        std::fprintf(stderr, "fuzz_smpcbor: check failed: %s\n", what);
        std::abort();
    }
}

template<typename T> void checkResult(const Result<T> &r, const char *what)
{
    if (!r)
        check(!r.error().message.isEmpty(), what);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto header = decodeHeader(input);
    checkResult(header, "decodeHeader failed without a message");
    if (header) {
        const QByteArray again = encodeHeader(*header);
        const auto back = decodeHeader(again);
        check(back && *back == *header, "header round trip changed it");
        (void)commandName(header->op, header->group, header->id);
    }
    const auto packet = decodePacket(input);
    checkResult(packet, "decodePacket failed without a message");

    // The payload as sent, or the whole input when the header did not fit.
    const QByteArrayView payload = input.size() > kHeaderSize ? input.sliced(kHeaderSize) : input;
    const auto map = decodeCbor(payload);
    checkResult(map, "decodeCbor failed without a message");
    if (!map)
        return 0;
    if (const auto err = responseError(*map)) {
        check(!errorName(*err).isEmpty(), "empty error name");
        const Error e = toError(*err, QStringLiteral("fs upload"), QStringLiteral("/lfs/x"));
        check(!e.message.isEmpty(), "empty error message");
        check(responseError(errorBody(*err)) == err, "error body round trip changed it");
    }
    checkResult(readEcho(*map), "readEcho failed without a message");
    checkResult(readOsInfo(*map), "readOsInfo failed without a message");
    checkResult(readSettingValue(*map), "readSettingValue failed without a message");
    checkResult(readUploadOffset(*map), "readUploadOffset failed without a message");
    checkResult(readDownloadChunk(*map), "readDownloadChunk failed without a message");
    checkResult(readHash(*map), "readHash failed without a message");
    const QString secret = describeBody(*map, true);
    (void)describeBody(*map, false);
    const QByteArray val = map->value(QStringLiteral("val")).toByteArray();
    if (val.size() >= 8)
        check(!secret.contains(QString::fromLatin1(val.toHex())), "secret value described");
    return 0;
}
