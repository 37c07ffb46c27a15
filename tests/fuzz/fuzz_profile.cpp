// libFuzzer harness for the profile parser (app/profiles/profilejson.h).
//
// The input is a candidate profile file. The harness aborts when
//   - parsing fails without an issue, or an issue has no message,
//   - a parsed profile does not survive writing and re-reading unchanged
//     (toJson with secrets included must round-trip exactly),
//   - a masked export still contains a secret value,
//   - validate() reports an issue without a message.
#include "app/profiles/profilejson.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace provbench::profiles;

namespace {

[[noreturn]] void failCheck(const char *what)
{
    std::fprintf(stderr, "fuzz_profile: check failed: %s\n", what);
    std::abort();
}

void checkIssues(const Issues &issues)
{
    for (const Issue &i : issues) {
        if (i.message.isEmpty())
            failCheck("an issue without a message");
    }
}

void checkSecretAbsent(const QByteArray &masked, const Secret &s)
{
    // Short values may occur elsewhere in the text by chance; longer ones not.
    if (s.value.size() >= 8 && masked.contains(s.value.toUtf8()))
        failCheck("a masked export contains a secret");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    auto parsed = parseProfile(input);
    if (!parsed) {
        if (parsed.error().isEmpty())
            failCheck("parsing failed without an issue");
        checkIssues(parsed.error());
        return 0;
    }
    const Profile &p = *parsed;
    checkIssues(validate(p));

    const bool anyMasked = (p.network.wifi && p.network.wifi->passphrase.masked)
        || (p.staticSettings()
            && (p.staticSettings()->credentials.psk.masked
                || p.staticSettings()->credentials.password.masked))
        || (p.dynamicSettings() && p.dynamicSettings()->lwm2m.psk.masked);
    auto again = parseProfile(toJson(p, SecretPolicy::Include));
    if (!again)
        failCheck("a parsed profile does not re-parse after writing");
    if (!anyMasked && !(*again == p))
        failCheck("a parsed profile changes when written and re-read");

    const QByteArray masked = toJson(p, SecretPolicy::Mask);
    if (p.network.wifi)
        checkSecretAbsent(masked, p.network.wifi->passphrase);
    if (const StaticSettings *s = p.staticSettings()) {
        checkSecretAbsent(masked, s->credentials.psk);
        checkSecretAbsent(masked, s->credentials.password);
    }
    if (const DynamicSettings *d = p.dynamicSettings())
        checkSecretAbsent(masked, d->lwm2m.psk);
    return 0;
}
