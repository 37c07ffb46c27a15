// libFuzzer harness for the Improv-over-BLE codec (app/protocol/improv/improvble.h).
//
// The input is what a characteristic or an advertisement might hold. The
// harness aborts when
//   - a decoder fails without a message,
//   - a decoded RPC does not re-encode to exactly the input (when it fits),
//   - splitting for an MTU taken from the input loses, reorders or oversizes bytes.
#include "app/protocol/improv/improvble.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace provbench;
using namespace provbench::improv;

namespace {

[[noreturn]] void failCheck(const char *what)
{
    std::fprintf(stderr, "fuzz_improvble: check failed: %s\n", what);
    std::abort();
}

template<typename T> void checkResult(const Result<T> &r)
{
    if (!r && r.error().message.isEmpty())
        failCheck("a decoder failed without a message");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto rpc = ble::decodeRpc(input);
    checkResult(rpc);
    if (rpc) {
        const auto again = ble::encodeRpc(ble::Command(rpc->command), rpc->strings);
        if (again && *again != input.toByteArray())
            failCheck("a decoded RPC re-encodes to other bytes");
    }
    checkResult(ble::decodeServiceData(input));
    checkResult(ble::decodeState(input));
    checkResult(ble::decodeError(input));

    const int mtu = size > 0 ? int(data[0]) * 2 : 23;
    const QList<QByteArray> pieces = ble::splitForMtu(input, mtu);
    QByteArray joined;
    for (const QByteArray &p : pieces) {
        if (p.isEmpty() || p.size() > std::max(23, mtu) - 3)
            failCheck("a piece is empty or larger than the MTU allows");
        joined += p;
    }
    if (joined != input.toByteArray())
        failCheck("splitting for the MTU changed the bytes");
    return 0;
}
