// libFuzzer harness for inspection of user-supplied certificates and keys
// (app/crypto/inspect.h): PEM with any blocks, DER certificates and requests,
// PKCS#12.
//
// The input is inspected as given, without a password, and (when it is not
// PEM) once more with a fixed password so the PKCS#12 decryption path runs.
// The harness aborts when
//   - inspection fails without a message,
//   - a report lists a certificate without subject fingerprint, or an issuer or
//     key index out of range,
//   - inspecting the same input twice gives a different report (JSON),
//   - the size bound is not enforced.
#include "app/crypto/inspect.h"

#include <QJsonDocument>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace provbench;
using namespace provbench::crypto;

namespace {

[[noreturn]] void failCheck(const char *what)
{
    std::fprintf(stderr, "fuzz_pem: check failed: %s\n", what);
    std::abort();
}

void check(bool condition, const char *what)
{
    if (!condition)
        failCheck(what);
}

// A fixed clock keeps the report reproducible.
const QDateTime kNow(QDate(2030, 1, 1), QTime(0, 0), Qt::UTC);

void checkReport(const Result<InspectionReport> &report)
{
    if (!report) {
        check(!report.error().message.isEmpty(), "inspect failed without a message");
        return;
    }
    const auto &r = *report;
    check(!r.certificates.isEmpty() || !r.keys.isEmpty() || !r.requests.isEmpty(),
        "a successful report with nothing in it");
    for (const CertificateInfo &c : r.certificates) {
        check(c.fingerprint.size() == 95, "certificate without a SHA-256 fingerprint");
        check(c.issuerIndex >= -1 && c.issuerIndex < r.certificates.size(), "issuer index");
        check(c.keyIndex >= -1 && c.keyIndex < r.keys.size(), "key index");
        check(!c.signatureVerifies || c.issuerIndex >= 0, "verified without an issuer");
    }
    for (const QString &w : r.warnings)
        check(!w.isEmpty(), "empty warning");
}

QByteArray json(const Result<InspectionReport> &report)
{
    return report ? QJsonDocument(report->toJson()).toJson(QJsonDocument::Compact)
                  : report.error().message.toUtf8();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto first = inspect(input, std::nullopt, kNow);
    checkReport(first);
    check(json(first) == json(inspect(input, std::nullopt, kNow)), "inspection is not repeatable");
    if (!input.contains("-----BEGIN "))
        checkReport(inspect(input, QByteArray("fuzz"), kNow));
    if (size < 64) {
        // Padding past the bound must be refused, whatever the content.
        const auto big = inspect(input + QByteArray(kMaxInspectBytes, '\n'), std::nullopt, kNow);
        check(!big, "input over 1 MiB accepted");
    }
    return 0;
}
