#include "app/profiles/profiletemplate.h"

#include <QRegularExpression>
#include <QTest>

using namespace provbench;
using namespace provbench::profiles;
using namespace Qt::StringLiterals;

namespace {

// A device written as "serial|mac|site|name|seq", so tables stay readable.
DeviceVars device(const QString &spec)
{
    const QStringList f = spec.split(QLatin1Char('|'));
    Q_ASSERT(f.size() == 5);
    return DeviceVars{f[0], f[1], f[2], f[3], f[4].toInt()};
}

QList<DeviceVars> devices(const QStringList &specs)
{
    QList<DeviceVars> out;
    for (const QString &spec : specs)
        out.append(device(spec));
    return out;
}

// One collision as "value <- device, device", for QCOMPARE on string lists.
QStringList describe(const QList<Collision> &collisions)
{
    QStringList out;
    for (const Collision &c : collisions)
        out.append(QStringLiteral("%1: %2 <- %3").arg(c.field, c.value, c.devices.join(u", ")));
    return out;
}

template<typename T> QByteArray why(const Result<T> &result)
{
    return result.has_value() ? QByteArray() : result.error().message.toUtf8();
}

// Deterministic {random:N}: "r" followed by the lengths asked for so far.
struct CountingRandom
{
    QList<int> *asked;
    QString operator()(int length) const
    {
        asked->append(length);
        return QString(length, QLatin1Char('0' + char(asked->size() % 10)));
    }
};

const QString kAllowed = QStringLiteral("use one of serial, mac, mac6, seq, site, name, random");

} // namespace

class tst_ProfileTemplate : public QObject
{
    Q_OBJECT

private slots:
    void expand_substitutesEveryPlaceholderAndFormat_data();
    void expand_substitutesEveryPlaceholderAndFormat();
    void expand_normalisesMacFromAnyNotation_data();
    void expand_normalisesMacFromAnyNotation();
    void expand_invalidMac_failsNamingTheMac_data();
    void expand_invalidMac_failsNamingTheMac();
    void expand_random_takesCharactersFromInjectedSource_data();
    void expand_random_takesCharactersFromInjectedSource();
    void expand_random_withSystemCsprng_isLowerHexOfTheLengthAndDiffers_data();
    void expand_random_withSystemCsprng_isLowerHexOfTheLengthAndDiffers();
    void expand_missingValue_failsSayingWhichAndWhatToDo_data();
    void expand_missingValue_failsSayingWhichAndWhatToDo();
    void expand_malformedTemplate_failsWithTheFirstSyntaxError();

    void checkTemplate_wellFormed_hasNoProblems_data();
    void checkTemplate_wellFormed_hasNoProblems();
    void checkTemplate_syntaxError_namesThePlaceholderAndWhatIsAllowed_data();
    void checkTemplate_syntaxError_namesThePlaceholderAndWhatIsAllowed();

    void lengthBound_over1024Characters_isRefusedByCheckAndExpand_data();
    void lengthBound_over1024Characters_isRefusedByCheckAndExpand();

    void isPerDevice_trueOnlyForValuesThatDifferPerDevice_data();
    void isPerDevice_trueOnlyForValuesThatDifferPerDevice();
    void placeholders_listsNamesUsedOnceInOrder_data();
    void placeholders_listsNamesUsedOnceInOrder();
    void templateVariableNames_matchesTheAllowedList();

    void findCollisions_reportsValuesSharedByDevices_data();
    void findCollisions_reportsValuesSharedByDevices();
    void findCollisions_expansionError_isReturnedForTheFirstFailingDevice();
    void findCollisions_syntaxError_isReturnedEvenWithoutDevices();
};

void tst_ProfileTemplate::expand_substitutesEveryPlaceholderAndFormat_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("device");
    QTest::addColumn<QString>("expected");

    const QString d = QStringLiteral("SN0042|AA:BB:CC:DD:EE:0F|plant-2|kitchen|7");
    QTest::newRow("no placeholders") << u"sensor"_s << d << u"sensor"_s;
    QTest::newRow("empty template") << QString() << d << QString();
    QTest::newRow("serial") << u"gw-{serial}"_s << d << u"gw-SN0042"_s;
    QTest::newRow("mac") << u"{mac}"_s << d << u"aabbccddee0f"_s;
    QTest::newRow("mac:colons") << u"{mac:colons}"_s << d << u"aa:bb:cc:dd:ee:0f"_s;
    QTest::newRow("mac6") << u"sensor-{mac6}"_s << d << u"sensor-ddee0f"_s;
    QTest::newRow("seq") << u"{seq}"_s << d << u"7"_s;
    QTest::newRow("seq:04") << u"{seq:04}"_s << d << u"0007"_s;
    QTest::newRow("seq:01") << u"{seq:01}"_s << d << u"7"_s;
    QTest::newRow("seq:09") << u"{seq:09}"_s << d << u"000000007"_s;
    QTest::newRow("seq:02 wider value is not cut") << u"{seq:02}"_s << u"S|||n|1234"_s << u"1234"_s;
    QTest::newRow("seq 0") << u"{seq}"_s << u"S|||n|0"_s << u"0"_s;
    QTest::newRow("seq+100") << u"10.0.0.{seq+100}"_s << d << u"10.0.0.107"_s;
    QTest::newRow("seq+0") << u"{seq+0}"_s << d << u"7"_s;
    QTest::newRow("seq+100:03") << u"{seq+100:03}"_s << u"S|||n|1"_s << u"101"_s;
    QTest::newRow("seq+1:05") << u"{seq+1:05}"_s << d << u"00008"_s;
    QTest::newRow("seq+999999999 does not overflow")
        << u"{seq+999999999}"_s << u"S|||n|2147483647"_s << u"3147483646"_s;
    QTest::newRow("negative seq pads like printf") << u"{seq:04}"_s << u"S|||n|-5"_s << u"-005"_s;
    QTest::newRow("site") << u"{site}-gw"_s << d << u"plant-2-gw"_s;
    QTest::newRow("name") << u"Sensor {name}"_s << d << u"Sensor kitchen"_s;
    QTest::newRow("everything") << u"{site}/{name}/{serial}/{mac6}/{seq:03}"_s << d
                                << u"plant-2/kitchen/SN0042/ddee0f/007"_s;
    QTest::newRow("same placeholder twice") << u"{seq}-{seq}"_s << d << u"7-7"_s;
    QTest::newRow("literal braces") << u"{{seq}}"_s << d << u"{seq}"_s;
    QTest::newRow("literal braces around a placeholder") << u"{{{seq}}}"_s << d << u"{7}"_s;
    QTest::newRow("literal braces alone") << u"}}{{"_s << d << u"}{"_s;
    QTest::newRow("literal empty braces") << u"a{{}}b"_s << d << u"a{}b"_s;
    QTest::newRow("non-ASCII literal text") << u"Fühler-{seq}"_s << d << u"Fühler-7"_s;
    QTest::newRow("percent signs are not arg markers")
        << u"%1-{serial}-%2"_s << u"%2%1|||n|1"_s << u"%1-%2%1-%2"_s;
}

void tst_ProfileTemplate::expand_substitutesEveryPlaceholderAndFormat()
{
    QFETCH(QString, text);
    QFETCH(QString, device);
    QFETCH(QString, expected);

    const auto result = expandTemplate(text, ::device(device));
    QVERIFY2(result.has_value(), why(result).constData());
    QCOMPARE(*result, expected);
}

void tst_ProfileTemplate::expand_normalisesMacFromAnyNotation_data()
{
    QTest::addColumn<QString>("mac");

    QTest::newRow("colons upper") << u"AA:BB:CC:0D:0E:FF"_s;
    QTest::newRow("colons lower") << u"aa:bb:cc:0d:0e:ff"_s;
    QTest::newRow("hyphens") << u"aa-bb-cc-0d-0e-ff"_s;
    QTest::newRow("hyphens upper") << u"AA-BB-CC-0D-0E-FF"_s;
    QTest::newRow("cisco dots") << u"aabb.cc0d.0eff"_s;
    QTest::newRow("bare upper") << u"AABBCC0D0EFF"_s;
    QTest::newRow("bare mixed case") << u"aAbBcC0d0EfF"_s;
    QTest::newRow("surrounding whitespace") << u"  aa:bb:cc:0d:0e:ff\n"_s;
}

void tst_ProfileTemplate::expand_normalisesMacFromAnyNotation()
{
    QFETCH(QString, mac);

    DeviceVars vars;
    vars.mac = mac;
    const auto result = expandTemplate(u"{mac} {mac:colons} {mac6}"_s, vars);
    QVERIFY2(result.has_value(), why(result).constData());
    QCOMPARE(*result, u"aabbcc0d0eff aa:bb:cc:0d:0e:ff 0d0eff"_s);
}

void tst_ProfileTemplate::expand_invalidMac_failsNamingTheMac_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("mac");

    QTest::newRow("not hex") << u"{mac}"_s << u"zz:bb:cc:dd:ee:ff"_s;
    QTest::newRow("five octets") << u"{mac}"_s << u"aa:bb:cc:dd:ee"_s;
    QTest::newRow("seven octets") << u"{mac:colons}"_s << u"aa:bb:cc:dd:ee:ff:00"_s;
    QTest::newRow("mixed separators") << u"{mac6}"_s << u"aa:bb-cc:dd:ee:ff"_s;
    QTest::newRow("single-digit octets") << u"{mac}"_s << u"a:b:c:d:e:f"_s;
    QTest::newRow("eleven digits") << u"{mac}"_s << u"aabbccddeef"_s;
    QTest::newRow("dots in pairs") << u"{mac}"_s << u"aa.bb.cc.dd.ee.ff"_s;
    QTest::newRow("a serial by mistake") << u"{mac}"_s << u"SN0001"_s;
}

void tst_ProfileTemplate::expand_invalidMac_failsNamingTheMac()
{
    QFETCH(QString, text);
    QFETCH(QString, mac);

    DeviceVars vars;
    vars.mac = mac;
    const auto result = expandTemplate(text, vars);
    QVERIFY(!result.has_value());
    QCOMPARE(result.error().code, Error::Code::InvalidArgument);
    QCOMPARE(result.error().message,
        QStringLiteral("%1: the device's MAC address \"%2\" is not valid; expected 12 hex digits "
                       "such as aa:bb:cc:dd:ee:ff; identify the device again or use {serial}")
            .arg(text, mac));
}

void tst_ProfileTemplate::expand_random_takesCharactersFromInjectedSource_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QList<int>>("lengthsAsked");

    QTest::newRow("random:1") << u"{random:1}"_s << u"1"_s << QList<int>{1};
    QTest::newRow("random:8") << u"pw-{random:8}"_s << u"pw-11111111"_s << QList<int>{8};
    QTest::newRow("random:64") << u"{random:64}"_s << QString(64, QLatin1Char('1'))
                               << QList<int>{64};
    QTest::newRow("one call per occurrence, in order")
        << u"{random:2}-{random:3}"_s << u"11-222"_s << QList<int>{2, 3};
    QTest::newRow("no random, no call") << u"{seq}"_s << u"0"_s << QList<int>{};
}

void tst_ProfileTemplate::expand_random_takesCharactersFromInjectedSource()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QFETCH(QList<int>, lengthsAsked);

    QList<int> asked;
    const auto result = expandTemplate(text, DeviceVars{}, CountingRandom{&asked});
    QVERIFY2(result.has_value(), why(result).constData());
    QCOMPARE(*result, expected);
    QCOMPARE(asked, lengthsAsked);
}

void tst_ProfileTemplate::expand_random_withSystemCsprng_isLowerHexOfTheLengthAndDiffers_data()
{
    QTest::addColumn<int>("length");

    QTest::newRow("1") << 1;
    QTest::newRow("8") << 8;
    QTest::newRow("16") << 16;
    QTest::newRow("64") << 64;
}

void tst_ProfileTemplate::expand_random_withSystemCsprng_isLowerHexOfTheLengthAndDiffers()
{
    QFETCH(int, length);

    const QString text = QStringLiteral("{random:%1}").arg(length);
    const QRegularExpression lowerHex(QStringLiteral("^[0-9a-f]{%1}$").arg(length));
    const auto first = expandTemplate(text, DeviceVars{});
    const auto second = expandTemplate(text, DeviceVars{});
    QVERIFY2(first.has_value(), why(first).constData());
    QVERIFY2(second.has_value(), why(second).constData());
    QVERIFY2(lowerHex.match(*first).hasMatch(), qPrintable(*first));
    QVERIFY2(lowerHex.match(*second).hasMatch(), qPrintable(*second));
    // Equal 16 hex digits from a CSPRNG have a chance of 2^-64.
    if (length >= 16)
        QVERIFY(*first != *second);
}

void tst_ProfileTemplate::expand_missingValue_failsSayingWhichAndWhatToDo_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("device");
    QTest::addColumn<QString>("message");

    const QString noMac = QStringLiteral("this device has not reported a MAC address yet; identify "
                                         "it first or use {serial}");
    QTest::newRow("serial") << u"gw-{serial}"_s << u"|aabbccddeeff|s|n|1"_s
                            << u"{serial}: this device has not reported a serial number yet; "
                               "identify it first or use {mac} or {seq}"_s;
    QTest::newRow("mac") << u"{mac}"_s << u"SN1||s|n|1"_s << (u"{mac}: "_s + noMac);
    QTest::newRow("mac:colons") << u"{mac:colons}"_s << u"SN1||s|n|1"_s
                                << (u"{mac:colons}: "_s + noMac);
    QTest::newRow("mac6") << u"x-{mac6}"_s << u"SN1||s|n|1"_s << (u"{mac6}: "_s + noMac);
    QTest::newRow("site") << u"{site}"_s << u"SN1|aabbccddeeff||n|1"_s
                          << u"{site}: neither this device nor the profile has a site; set the "
                             "profile's site or remove {site}"_s;
    QTest::newRow("name") << u"{name}"_s << u"SN1|aabbccddeeff|s||1"_s
                          << u"{name}: this device has not reported a name yet; identify it "
                             "first or use {serial}"_s;
    QTest::newRow("first missing value wins")
        << u"{serial}-{name}-{mac}"_s << u"SN1|||n|1"_s << (u"{mac}: "_s + noMac);
}

void tst_ProfileTemplate::expand_missingValue_failsSayingWhichAndWhatToDo()
{
    QFETCH(QString, text);
    QFETCH(QString, device);
    QFETCH(QString, message);

    const auto result = expandTemplate(text, ::device(device));
    QVERIFY(!result.has_value());
    QCOMPARE(result.error().code, Error::Code::InvalidArgument);
    QCOMPARE(result.error().message, message);
}

void tst_ProfileTemplate::expand_malformedTemplate_failsWithTheFirstSyntaxError()
{
    const QString text = u"{sequence}-{seq:4}"_s;
    const auto result = expandTemplate(text, device(u"SN1|aabbccddeeff|s|n|1"_s));
    QVERIFY(!result.has_value());
    QCOMPARE(result.error().code, Error::Code::InvalidArgument);
    QCOMPARE(result.error().message, checkTemplate(text).first());
}

void tst_ProfileTemplate::checkTemplate_wellFormed_hasNoProblems_data()
{
    QTest::addColumn<QString>("text");

    for (const char *text :
        {"", "plain-text", "{serial}", "{mac}", "{mac:colons}", "{mac6}", "{seq}", "{seq:01}",
            "{seq:09}", "{seq+0}", "{seq+999999999}", "{seq+100:03}", "{site}", "{name}",
            "{random:1}", "{random:64}", "{{}}", "{{serial}}", "a}}b{{c", "10.0.0.{seq+100}"})
        QTest::newRow(*text ? text : "empty") << QString::fromUtf8(text);
}

void tst_ProfileTemplate::checkTemplate_wellFormed_hasNoProblems()
{
    QFETCH(QString, text);
    QCOMPARE(checkTemplate(text), QStringList());
}

void tst_ProfileTemplate::checkTemplate_syntaxError_namesThePlaceholderAndWhatIsAllowed_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("problems");

    const auto one = [](const QString &message) { return QStringList{message}; };
    const QString seqFormats = QStringLiteral(
        "bad sequence format; write {seq}, {seq:04} (zero-padded to 1-9 digits), {seq+100} "
        "(plus an offset) or {seq+100:03}");
    const QString randomLength
        = QStringLiteral("random needs a length from 1 to 64; write {random:N}, e.g. {random:8}");

    QTest::newRow("unknown name") << u"host-{sequence}"_s
                                  << one(u"{sequence}: unknown placeholder; "_s + kAllowed);
    QTest::newRow("names are case-sensitive")
        << u"{SERIAL}"_s << one(u"{SERIAL}: unknown placeholder; "_s + kAllowed);
    QTest::newRow("spaces inside")
        << u"{ seq }"_s << one(u"{ seq }: unknown placeholder; "_s + kAllowed);
    QTest::newRow("long unknown name is shortened")
        << (u"{"_s + QString(100, QLatin1Char('x')) + u"}"_s)
        << one(u"{"_s + QString(40, QLatin1Char('x')) + u"...}: unknown placeholder; "_s
               + kAllowed);
    QTest::newRow("empty") << u"a{}b"_s
                           << one(u"{}: empty placeholder; use one of serial, mac, mac6, seq, "
                                  "site, name, random (write {{}} for literal braces)"_s);
    QTest::newRow("serial with argument")
        << u"{serial:x}"_s << one(u"{serial:x}: {serial} takes no argument; write {serial}"_s);
    QTest::newRow("site with argument")
        << u"{site+1}"_s << one(u"{site+1}: {site} takes no argument; write {site}"_s);
    QTest::newRow("name with argument")
        << u"{name:04}"_s << one(u"{name:04}: {name} takes no argument; write {name}"_s);
    QTest::newRow("mac6 with argument")
        << u"{mac6:colons}"_s << one(u"{mac6:colons}: {mac6} takes no argument; write {mac6}"_s);
    QTest::newRow("unknown mac format")
        << u"{mac:dots}"_s
        << one(u"{mac:dots}: unknown MAC format; write {mac} for aabbccddeeff or {mac:colons} "
               "for aa:bb:cc:dd:ee:ff"_s);
    QTest::newRow("seq padding without zero") << u"{seq:4}"_s << one(u"{seq:4}: "_s + seqFormats);
    QTest::newRow("seq padding 0") << u"{seq:00}"_s << one(u"{seq:00}: "_s + seqFormats);
    QTest::newRow("seq padding 10") << u"{seq:010}"_s << one(u"{seq:010}: "_s + seqFormats);
    QTest::newRow("seq offset without number") << u"{seq+}"_s << one(u"{seq+}: "_s + seqFormats);
    QTest::newRow("seq negative offset") << u"{seq-1}"_s << one(u"{seq-1}: "_s + seqFormats);
    QTest::newRow("seq offset of 10 digits")
        << u"{seq+1000000000}"_s << one(u"{seq+1000000000}: "_s + seqFormats);
    QTest::newRow("seq padding before offset")
        << u"{seq:03+1}"_s << one(u"{seq:03+1}: "_s + seqFormats);
    QTest::newRow("seq with non-ASCII digit")
        << u"{seq:0\u0664}"_s << one(u"{seq:0\u0664}: "_s + seqFormats);
    QTest::newRow("random without length") << u"{random}"_s << one(u"{random}: "_s + randomLength);
    QTest::newRow("random:0") << u"{random:0}"_s << one(u"{random:0}: "_s + randomLength);
    QTest::newRow("random:65") << u"{random:65}"_s << one(u"{random:65}: "_s + randomLength);
    QTest::newRow("random:x") << u"{random:x}"_s << one(u"{random:x}: "_s + randomLength);
    QTest::newRow("random:100") << u"{random:100}"_s << one(u"{random:100}: "_s + randomLength);
    QTest::newRow("unclosed at end")
        << u"host-{seq"_s
        << one(u"{seq: the placeholder is not closed; end it with }, or write {{ for a literal {"_s);
    QTest::newRow("lone opening brace")
        << u"a{"_s
        << one(u"{: the placeholder is not closed; end it with }, or write {{ for a literal {"_s);
    QTest::newRow("unclosed before another placeholder")
        << u"{se{q}"_s
        << QStringList{
               u"{se: the placeholder is not closed; end it with }, or write {{ for a literal {"_s,
               u"{q}: unknown placeholder; "_s + kAllowed};
    QTest::newRow("stray closing brace")
        << u"abc}"_s
        << one(u"}: the } at character 4 has no opening {; write }} for a literal }"_s);
    QTest::newRow("one problem per placeholder")
        << u"{serial}{foo}{seq:4}"_s
        << QStringList{u"{foo}: unknown placeholder; "_s + kAllowed, u"{seq:4}: "_s + seqFormats};
}

void tst_ProfileTemplate::checkTemplate_syntaxError_namesThePlaceholderAndWhatIsAllowed()
{
    QFETCH(QString, text);
    QFETCH(QStringList, problems);
    QCOMPARE(checkTemplate(text), problems);
}

void tst_ProfileTemplate::lengthBound_over1024Characters_isRefusedByCheckAndExpand_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("accepted");

    const QString tail = QStringLiteral("{seq}");
    QTest::newRow("1024 with a placeholder")
        << QString(1024 - tail.size(), QLatin1Char('a')) + tail << true;
    QTest::newRow("1025 with a placeholder")
        << QString(1025 - tail.size(), QLatin1Char('a')) + tail << false;
    QTest::newRow("1025 plain text") << QString(1025, QLatin1Char('a')) << false;
    QTest::newRow("100000 braces") << QString(100000, QLatin1Char('{')) << false;
}

void tst_ProfileTemplate::lengthBound_over1024Characters_isRefusedByCheckAndExpand()
{
    QFETCH(QString, text);
    QFETCH(bool, accepted);

    const auto result = expandTemplate(text, DeviceVars{});
    if (accepted) {
        QCOMPARE(checkTemplate(text), QStringList());
        QVERIFY2(result.has_value(), why(result).constData());
        return;
    }
    const QString message = QStringLiteral("the template is %1 characters long; templates are "
                                           "limited to 1024 characters")
                                .arg(text.size());
    QCOMPARE(checkTemplate(text), QStringList{message});
    QVERIFY(!result.has_value());
    QCOMPARE(result.error().code, Error::Code::InvalidArgument);
    QCOMPARE(result.error().message, message);
}

void tst_ProfileTemplate::isPerDevice_trueOnlyForValuesThatDifferPerDevice_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("perDevice");

    QTest::newRow("plain text") << u"sensor"_s << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("serial") << u"gw-{serial}"_s << true;
    QTest::newRow("mac") << u"{mac}"_s << true;
    QTest::newRow("mac:colons") << u"{mac:colons}"_s << true;
    QTest::newRow("mac6") << u"{mac6}"_s << true;
    QTest::newRow("seq") << u"{seq}"_s << true;
    QTest::newRow("seq+100:03") << u"10.0.0.{seq+100:03}"_s << true;
    QTest::newRow("random") << u"{random:8}"_s << true;
    QTest::newRow("site is shared") << u"{site}-gw"_s << false;
    QTest::newRow("name may be shared") << u"{name}"_s << false;
    QTest::newRow("site and seq") << u"{site}-{seq}"_s << true;
    QTest::newRow("escaped placeholder is text") << u"{{serial}}"_s << false;
    QTest::newRow("malformed placeholder does not count") << u"{serial:x}"_s << false;
}

void tst_ProfileTemplate::isPerDevice_trueOnlyForValuesThatDifferPerDevice()
{
    QFETCH(QString, text);
    QFETCH(bool, perDevice);
    QCOMPARE(isPerDevice(text), perDevice);
}

void tst_ProfileTemplate::placeholders_listsNamesUsedOnceInOrder_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("names");

    QTest::newRow("none") << u"sensor"_s << QStringList();
    QTest::newRow("serial and seq") << u"{serial}-{seq}"_s << QStringList{u"serial"_s, u"seq"_s};
    QTest::newRow("formats give the bare name") << u"{mac:colons} {seq+100:03} {random:8}"_s
                                                << QStringList{u"mac"_s, u"seq"_s, u"random"_s};
    QTest::newRow("repeats listed once, order of first use")
        << u"{seq}{site}{seq:02}{mac6}{site}"_s << QStringList{u"seq"_s, u"site"_s, u"mac6"_s};
    QTest::newRow("all") << u"{serial}{mac}{mac6}{seq}{site}{name}{random:1}"_s
                         << templateVariableNames();
    QTest::newRow("escaped braces are text") << u"{{name}}"_s << QStringList();
    QTest::newRow("malformed ones are left out")
        << u"{site}{foo}{seq:4}{name"_s << QStringList{u"site"_s};
    QTest::newRow("over the length bound")
        << QString(1100, QLatin1Char('a')) + u"{seq}"_s << QStringList();
}

void tst_ProfileTemplate::placeholders_listsNamesUsedOnceInOrder()
{
    QFETCH(QString, text);
    QFETCH(QStringList, names);
    QCOMPARE(placeholders(text), names);
}

void tst_ProfileTemplate::templateVariableNames_matchesTheAllowedList()
{
    QCOMPARE(templateVariableNames(),
        (QStringList{
            u"serial"_s, u"mac"_s, u"mac6"_s, u"seq"_s, u"site"_s, u"name"_s, u"random"_s}));
}

void tst_ProfileTemplate::findCollisions_reportsValuesSharedByDevices_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("devices");
    QTest::addColumn<QStringList>("collisions");

    const QStringList three{u"SN1|aa:00:00:00:00:01|lab|a|1"_s, u"SN2|aa:00:00:00:00:02|lab|b|2"_s,
        u"SN3|aa:00:00:00:00:03|lab|c|3"_s};

    QTest::newRow("fixed hostname: all three share it")
        << u"hostname"_s << u"sensor"_s << three
        << QStringList{u"hostname: sensor <- SN1, SN2, SN3"_s};
    QTest::newRow("site only: all three share it")
        << u"hostname"_s << u"{site}-gw"_s << three
        << QStringList{u"hostname: lab-gw <- SN1, SN2, SN3"_s};
    QTest::newRow("serial: none") << u"hostname"_s << u"gw-{serial}"_s << three << QStringList();
    QTest::newRow("mac6: none") << u"hostname"_s << u"gw-{mac6}"_s << three << QStringList();
    QTest::newRow("static IP with a duplicate seq")
        << u"static IP address"_s << u"10.0.0.{seq}"_s
        << QStringList{u"SN1|||n|1"_s, u"SN2|||n|2"_s, u"SN3|||n|1"_s}
        << QStringList{u"static IP address: 10.0.0.1 <- SN1, SN3"_s};
    QTest::newRow("collisions ordered by first occurrence, devices in input order")
        << u"static IP address"_s << u"10.0.0.{seq+100}"_s
        << QStringList{u"A|||n|5"_s, u"B|||n|3"_s, u"C|||n|9"_s, u"D|||n|3"_s, u"E|||n|5"_s,
               u"F|||n|3"_s}
        << QStringList{u"static IP address: 10.0.0.105 <- A, E"_s,
               u"static IP address: 10.0.0.103 <- B, D, F"_s};
    QTest::newRow("devices without serial are labelled by seq")
        << u"hostname"_s << u"{name}"_s
        << QStringList{u"|||pump|4"_s, u"SN9|||valve|5"_s, u"|||pump|6"_s}
        << QStringList{u"hostname: pump <- #4, #6"_s};
    QTest::newRow("same MAC in different notations collides")
        << u"hostname"_s << u"{mac}"_s
        << QStringList{u"SN1|AA:BB:CC:DD:EE:FF|||1"_s, u"SN2|aabb.ccdd.eeff|||2"_s}
        << QStringList{u"hostname: aabbccddeeff <- SN1, SN2"_s};
    QTest::newRow("one device: none")
        << u"hostname"_s << u"sensor"_s << QStringList{three.first()} << QStringList();
    QTest::newRow("no devices: none")
        << u"hostname"_s << u"sensor"_s << QStringList() << QStringList();
}

void tst_ProfileTemplate::findCollisions_reportsValuesSharedByDevices()
{
    QFETCH(QString, field);
    QFETCH(QString, text);
    QFETCH(QStringList, devices);
    QFETCH(QStringList, collisions);

    const auto result = findCollisions(field, text, ::devices(devices));
    QVERIFY2(result.has_value(), why(result).constData());
    QCOMPARE(describe(*result), collisions);
}

void tst_ProfileTemplate::findCollisions_expansionError_isReturnedForTheFirstFailingDevice()
{
    const auto result = findCollisions(u"hostname"_s, u"sensor-{mac6}"_s,
        devices({u"SN1|aa:00:00:00:00:01|||1"_s, u"SN2||||2"_s, u"|||n|3"_s}));
    QVERIFY(!result.has_value());
    QCOMPARE(result.error().code, Error::Code::InvalidArgument);
    QCOMPARE(result.error().message,
        u"hostname for SN2: {mac6}: this device has not reported a MAC address yet; identify it "
        "first or use {serial}"_s);
}

void tst_ProfileTemplate::findCollisions_syntaxError_isReturnedEvenWithoutDevices()
{
    const auto result = findCollisions(u"hostname"_s, u"{sequence}"_s, {});
    QVERIFY(!result.has_value());
    QCOMPARE(result.error().code, Error::Code::InvalidArgument);
    QCOMPARE(result.error().message, u"{sequence}: unknown placeholder; "_s + kAllowed);
}

QTEST_GUILESS_MAIN(tst_ProfileTemplate)
#include "tst_profiletemplate.moc"
