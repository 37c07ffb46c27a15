// libFuzzer harness for per-device templates (app/profiles/profiletemplate.h).
//
// The input is UTF-8 text split at newlines: the template, then the device's
// serial, MAC, site, name and sequence number (missing lines are empty, seq is
// taken modulo 10^6 and may be negative). The harness aborts when
//   - a syntax problem or an expansion error has no message,
//   - checkTemplate and expansion for a device that has every value disagree
//     (well formed <=> that expansion succeeds, with the first problem as error),
//   - expansion for the fuzzed device succeeds although checkTemplate complains,
//     or fails for a reason other than a value that device lacks,
//   - the same device and random source give two different results,
//   - placeholders() names something unknown or twice, or isPerDevice() does
//     not follow from it,
//   - a template that is not per-device expands differently for two devices
//     that differ only in serial, MAC and seq, or findCollisions does not
//     report those devices as one collision.
#include "app/profiles/profiletemplate.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace provbench;
using namespace provbench::profiles;

namespace {

[[noreturn]] void failCheck(const char *what)
{
    std::fprintf(stderr, "fuzz_profiletemplate: check failed: %s\n", what);
    std::abort();
}

void check(bool condition, const char *what)
{
    if (!condition)
        failCheck(what);
}

// Deterministic {random:N}: the same N always gives the same characters.
QString fixedRandom(int length)
{
    QString out;
    for (int i = 0; i < length; ++i)
        out += QLatin1Char("0123456789abcdef"[(i * 7 + length) % 16]);
    return out;
}

QString line(const QStringList &lines, qsizetype i)
{
    return i < lines.size() ? lines[i] : QString();
}

bool lacks(const DeviceVars &device, const QString &name)
{
    if (name == u"serial")
        return device.serial.isEmpty();
    if (name == u"mac" || name == u"mac6")
        return true; // empty, or a MAC the device reported in a form that is not valid
    if (name == u"site")
        return device.site.isEmpty();
    if (name == u"name")
        return device.name.isEmpty();
    return false; // seq and random are always available
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString input = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const QStringList lines = input.split(QLatin1Char('\n'));
    const QString text = line(lines, 0);
    const DeviceVars fuzzed{line(lines, 1), line(lines, 2), line(lines, 3), line(lines, 4),
        int(line(lines, 5).left(12).toLongLong() % 1000000)};
    const DeviceVars complete{QStringLiteral("SN0001"), QStringLiteral("02:00:00:00:00:01"),
        QStringLiteral("site"), QStringLiteral("device"), 1};
    DeviceVars other = complete;
    other.serial = QStringLiteral("SN0002");
    other.mac = QStringLiteral("02-00-00-00-00-02");
    other.seq = 2;

    const QStringList problems = checkTemplate(text);
    for (const QString &problem : problems)
        check(!problem.isEmpty(), "empty syntax problem");
    if (text.size() > 1024)
        check(problems.size() == 1, "over-long template not refused with one message");

    const QStringList names = placeholders(text);
    const QStringList known = templateVariableNames();
    bool anyPerDevice = false;
    for (qsizetype i = 0; i < names.size(); ++i) {
        check(known.contains(names[i]), "placeholders() names an unknown variable");
        check(names.indexOf(names[i]) == i, "placeholders() lists a name twice");
        anyPerDevice = anyPerDevice || (names[i] != u"site" && names[i] != u"name");
    }
    check(isPerDevice(text) == anyPerDevice, "isPerDevice() disagrees with placeholders()");

    const auto full = expandTemplate(text, complete, &fixedRandom);
    check(full.has_value() == problems.isEmpty(),
        "expansion with every value present disagrees with checkTemplate");
    if (!full) {
        check(full.error().code == Error::Code::InvalidArgument, "syntax error with wrong code");
        check(full.error().message == problems.first(), "syntax error is not the first problem");
    }

    const auto result = expandTemplate(text, fuzzed, &fixedRandom);
    const auto again = expandTemplate(text, fuzzed, &fixedRandom);
    check(result.has_value() == again.has_value()
            && (result ? *result == *again : result.error().message == again.error().message),
        "the same input expanded twice differs");
    if (result) {
        check(problems.isEmpty(), "expansion succeeded although checkTemplate complains");
    } else {
        check(result.error().code == Error::Code::InvalidArgument, "expansion error, wrong code");
        check(!result.error().message.isEmpty(), "expansion error without a message");
        if (problems.isEmpty()) {
            // The message starts with the placeholder whose value is missing.
            bool explained = false;
            for (const QString &name : names) {
                if (result.error().message.startsWith(QStringLiteral("{") + name)
                    && lacks(fuzzed, name))
                    explained = true;
            }
            check(explained, "expansion of a well-formed template failed without a lacking value");
        }
    }

    if (problems.isEmpty() && !isPerDevice(text)) {
        const auto second = expandTemplate(text, other, &fixedRandom);
        check(second.has_value() && *second == *full,
            "a template that is not per-device differs between devices");
        const auto collisions
            = findCollisions(QStringLiteral("field"), text, {complete, other}, &fixedRandom);
        check(collisions.has_value() && collisions->size() == 1
                && collisions->first().devices
                    == QStringList{QStringLiteral("SN0001"), QStringLiteral("SN0002")}
                && collisions->first().value == *full,
            "findCollisions missed a shared value");
    }
    if (!problems.isEmpty()) {
        const auto collisions = findCollisions(QStringLiteral("field"), text, {}, &fixedRandom);
        check(!collisions.has_value(), "findCollisions accepted a malformed template");
    }
    return 0;
}
