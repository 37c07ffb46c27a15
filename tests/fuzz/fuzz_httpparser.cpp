// libFuzzer harness for the EST HTTP/1.1 request parser. The first byte picks
// how the rest is cut into feeds, so the fuzzer explores split points too.
// Checks: a split never changes the outcome; every limit holds for what the
// parser accepts.
#include "app/protocol/est/httpparser.h"

#include <cstdint>
#include <cstdlib>

using provbench::est::HttpLimits;
using provbench::est::HttpParser;

namespace {

struct Outcome
{
    QList<provbench::est::HttpRequest> requests;
    int error = 0;
};

Outcome run(QByteArrayView input, qsizetype chunk, const HttpLimits &limits)
{
    HttpParser parser(limits);
    Outcome o;
    for (qsizetype i = 0; i < input.size() && !o.error; i += chunk) {
        auto r = parser.feed(input.sliced(i, std::min(chunk, input.size() - i)));
        o.requests += r.requests;
        if (r.error)
            o.error = r.error->status;
    }
    return o;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    HttpLimits limits;
    limits.maxRequestLine = 256;
    limits.maxHeaderBytes = 512;
    limits.maxHeaders = 8;
    limits.maxBody = 1024;
    const qsizetype chunk = 1 + data[0] % 17;
    const QByteArrayView input(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const Outcome whole = run(input, input.size() + 1, limits);
    const Outcome split = run(input, chunk, limits);
    if (whole.error != split.error || whole.requests.size() != split.requests.size())
        std::abort();
    for (qsizetype i = 0; i < whole.requests.size(); ++i) {
        const auto &a = whole.requests[i];
        const auto &b = split.requests[i];
        if (a.method != b.method || a.target != b.target || a.body != b.body
            || a.headers != b.headers || a.keepAlive != b.keepAlive)
            std::abort();
        if (a.body.size() > limits.maxBody || a.headers.size() > limits.maxHeaders
            || a.target.size() > limits.maxRequestLine || !a.target.startsWith('/'))
            std::abort();
        for (const auto &[name, value] : a.headers) {
            if (name != name.toLower() || value.contains('\r') || value.contains('\n'))
                std::abort();
        }
    }
    if (whole.error != 0 && (whole.error < 400 || whole.error > 505))
        std::abort();
    return 0;
}
