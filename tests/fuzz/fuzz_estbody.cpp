// libFuzzer harness for EST bodies: base64 decoding, DER CSR and certs-only
// PKCS#7 parsing, and HTTP Basic credentials. The first byte picks the
// decoder. Checks: what decodes re-encodes to the same bytes.
#include "app/protocol/est/estcodec.h"

#include <cstdint>
#include <cstdlib>

using namespace provbench::est;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const QByteArrayView input(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    switch (data[0] % 4) {
    case 0:
        if (auto decoded = decodeBase64Body(input)) {
            if (*decodeBase64Body(encodeBase64Body(*decoded)) != *decoded)
                std::abort();
        }
        break;
    case 1:
        if (auto csr = decodeCsrBody(input)) {
            auto again = decodeCsrBody(encodeCsrBody(*csr));
            if (!again || *again->toDer() != *csr->toDer())
                std::abort();
            (void)csr->verifySignature();
            (void)csr->subject();
        }
        break;
    case 2:
        if (auto certs = decodeCertsOnlyBody(input)) {
            if (certs->isEmpty())
                std::abort();
            for (const auto &c : *certs)
                (void)c.fingerprint();
        }
        break;
    default:
        if (auto basic = parseBasicAuth(input)) {
            if (basic->user.contains(u':') && !basic->user.contains(QChar::ReplacementCharacter))
                std::abort();
        }
        break;
    }
    return 0;
}
