// libFuzzer harness for the CSV of expected devices
// (app/onboarding/journey/expecteddevices.h).
//
// The input is the file's bytes; the first byte picks options (bit 0: a list
// of known profiles, bit 1: a default profile). The harness aborts when
//   - a problem has no message, a line below 1 or a negative column,
//   - a device has an empty serial number or profile, a line below 2, or its
//     serial number (case-folded) appears twice,
//   - parsing the same bytes twice gives a different result,
//   - an import without problems does not survive writeExpectedDevices and a
//     second parse unchanged.
#include "app/onboarding/journey/expecteddevices.h"

#include <QSet>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace provbench::journey;

namespace {

void check(bool condition, const char *what)
{
    if (!condition) {
        std::fprintf(stderr, "fuzz_expecteddevices: check failed: %s\n", what);
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    ExpectedDevicesOptions options;
    if (data[0] & 1)
        options.knownProfiles = {QStringLiteral("office"), QStringLiteral("est")};
    if (data[0] & 2)
        options.defaultProfile = QStringLiteral("office");
    const QByteArray csv(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));

    const ExpectedDevicesImport result = parseExpectedDevices(csv, options);
    for (const CsvProblem &p : result.problems) {
        check(!p.message.isEmpty(), "problem without a message");
        check(p.line >= 1 && p.column >= 0, "problem without a place");
        check(p.text().startsWith(QStringLiteral("line ")), "problem text does not name the line");
    }
    QSet<QString> serials;
    for (const ExpectedDevice &d : result.devices) {
        check(!d.serialNumber.isEmpty(), "device with an empty serial number");
        check(!d.profile.isEmpty(), "device with an empty profile");
        check(d.line >= 2, "device on the header line");
        check(options.knownProfiles.isEmpty() || options.knownProfiles.contains(d.profile),
            "device with an unknown profile");
        const QString key = d.serialNumber.toCaseFolded();
        check(!serials.contains(key), "serial number twice");
        serials.insert(key);
    }

    const ExpectedDevicesImport again = parseExpectedDevices(csv, options);
    check(again.devices == result.devices && again.problems.size() == result.problems.size(),
        "the same bytes parsed twice differ");

    if (result.ok()) {
        const ExpectedDevicesImport back
            = parseExpectedDevices(writeExpectedDevices(result.devices), options);
        check(back.ok(), "written devices do not parse");
        check(back.devices == result.devices, "written devices parse differently");
    }
    return 0;
}
