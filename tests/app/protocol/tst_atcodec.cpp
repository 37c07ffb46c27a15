#include "app/protocol/atcmd/atcodec.h"
#include "app/protocol/atcmd/atparser.h"

#include <QTest>

using namespace provbench;
using namespace provbench::at;
using Kind = ResponseParser::Event::Kind;

namespace {

const QByteArray kCert = "-----BEGIN CERTIFICATE-----\n"
                         "MIIBszCCAVmgAwIBAgIUQ2hlY2sgdGhlIHNoYXBlLCBub3QgdGhlIEFTTi4xMAoG\n"
                         "CCqGSM49BAMCMBQxEjAQBgNVBAMMCVByb3ZCZW5jaA==\n"
                         "-----END CERTIFICATE-----\n";
const QByteArray kKey = "-----BEGIN PRIVATE KEY-----\n"
                        "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgSECRETSECRETSECR\n"
                        "-----END PRIVATE KEY-----\n";

// Events as "Kind:line" strings, for readable comparisons.
QList<QByteArray> describe(const QList<ResponseParser::Event> &events)
{
    static const char *names[] = {"echo", "info", "final", "urc", "garbled", "noise"};
    QList<QByteArray> out;
    for (const auto &e : events) {
        QByteArray s = QByteArray(names[int(e.kind)]) + ':';
        for (char c : e.line) {
            if (quint8(c) >= 0x20 && quint8(c) < 0x7F)
                s += c;
            else
                s += '%' + QByteArray::number(quint8(c), 16).rightJustified(2, '0').toUpper();
        }
        if (e.kind == Kind::Final)
            s += '#' + QByteArray::number(int(e.final.kind)) + '/'
                + QByteArray::number(e.final.code);
        out.append(s);
    }
    return out;
}

} // namespace

class tst_AtCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void credentialTypes_keysAndNumbersRoundTrip()
    {
        for (CredentialType t : allCredentialTypes()) {
            QCOMPARE(credentialTypeFromKey(credentialTypeKey(t)), t);
            QCOMPARE(credentialTypeFromKey(QString::number(int(t))), t);
            QCOMPARE(credentialTypeFromInt(int(t)), t);
        }
        QCOMPARE(credentialTypeFromKey(u"cert"), CredentialType::ClientCert);
        QVERIFY(!credentialTypeFromKey(u"6"));
        QVERIFY(!credentialTypeFromKey(u"password"));
        QVERIFY(isSecretType(CredentialType::PrivateKey));
        QVERIFY(isSecretType(CredentialType::Psk));
        QVERIFY(!isSecretType(CredentialType::PskIdentity));
    }

    void builders_produceNordicSyntax_data()
    {
        QTest::addColumn<QByteArray>("built");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("cmee") << cmeeOn() << QByteArray("AT+CMEE=1");
        QTest::newRow("cfun?") << cfunQuery() << QByteArray("AT+CFUN?");
        QTest::newRow("cfun=4") << *cfunSet(4) << QByteArray("AT+CFUN=4");
        QTest::newRow("cfun=0") << *cfunSet(0) << QByteArray("AT+CFUN=0");
        QTest::newRow("list all") << *cmngList() << QByteArray("AT%CMNG=1");
        QTest::newRow("list tag") << *cmngList(16842753) << QByteArray("AT%CMNG=1,16842753");
        QTest::newRow("list tag type")
            << *cmngList(7, CredentialType::Psk) << QByteArray("AT%CMNG=1,7,3");
        QTest::newRow("delete") << *cmngDelete(2147483647, CredentialType::PublicKey)
                                << QByteArray("AT%CMNG=3,2147483647,5");
        QTest::newRow("write psk")
            << *cmngWrite(9, CredentialType::Psk, "00ff") << QByteArray("AT%CMNG=0,9,3,\"00ff\"");
        QTest::newRow("write identity") << *cmngWrite(0, CredentialType::PskIdentity, "dev 1")
                                        << QByteArray("AT%CMNG=0,0,4,\"dev 1\"");
        QTest::newRow("write cert") << *cmngWrite(1, CredentialType::RootCa, kCert)
                                    << QByteArray("AT%CMNG=0,1,0,\"" + kCert + "\"");
        QTest::newRow("write key with passphrase") << *cmngWrite(1, CredentialType::PrivateKey,
            kKey, "s3cret") << QByteArray("AT%CMNG=0,1,2,\"" + kKey + "\",\"s3cret\"");
    }
    void builders_produceNordicSyntax()
    {
        QFETCH(QByteArray, built);
        QFETCH(QByteArray, expected);
        QCOMPARE(built, expected);
    }

    void builders_rejectInvalidInput_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<qint64>("tag");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QByteArray>("passphrase");
        QTest::addColumn<QByteArray>("message");
        const QByteArray big = "-----BEGIN CERTIFICATE-----\n" + QByteArray(4100, 'A')
            + "\n-----END CERTIFICATE-----\n";
        QTest::newRow("negative tag")
            << 0 << qint64(-1) << kCert << QByteArray() << QByteArray("0 to 2147483647");
        QTest::newRow("reserved tag") << 0 << qint64(2147483648LL) << kCert << QByteArray()
                                      << QByteArray("reserved for the modem");
        QTest::newRow("empty") << 0 << qint64(1) << QByteArray() << QByteArray()
                               << QByteArray("is empty");
        QTest::newRow("double quote")
            << 4 << qint64(1) << QByteArray("a\"b") << QByteArray() << QByteArray("double quote");
        QTest::newRow("not pem") << 0 << qint64(1) << QByteArray("MIIB") << QByteArray()
                                 << QByteArray("not PEM text");
        QTest::newRow("wrong label") << 1 << qint64(1) << kKey << QByteArray()
                                     << QByteArray("cannot be a PEM \"PRIVATE KEY\" block");
        QTest::newRow("key as ca")
            << 0 << qint64(1) << kKey << QByteArray() << QByteArray("--type");
        QTest::newRow("no end") << 0 << qint64(1) << kCert.left(kCert.indexOf("-----END"))
                                << QByteArray() << QByteArray("no END line");
        QTest::newRow("mismatched end")
            << 0 << qint64(1)
            << QByteArray("-----BEGIN CERTIFICATE-----\nAAAA\n-----END PUBLIC KEY-----\n")
            << QByteArray() << QByteArray("not closed by its own END line");
        QTest::newRow("empty block")
            << 0 << qint64(1)
            << QByteArray("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n")
            << QByteArray() << QByteArray("empty");
        QTest::newRow("not base64")
            << 0 << qint64(1)
            << QByteArray("-----BEGIN CERTIFICATE-----\nAA$A\n-----END CERTIFICATE-----\n")
            << QByteArray() << QByteArray("not base64");
        QTest::newRow("two keys") << 2 << qint64(1) << QByteArray(kKey + kKey) << QByteArray()
                                  << QByteArray("more than one PEM block");
        QTest::newRow("too big") << 0 << qint64(1) << big << QByteArray()
                                 << QByteArray("at most 4096");
        QTest::newRow("psk odd") << 3 << qint64(1) << QByteArray("abc") << QByteArray()
                                 << QByteArray("even number of digits");
        QTest::newRow("psk not hex")
            << 3 << qint64(1) << QByteArray("zz") << QByteArray() << QByteArray("hex digits");
        QTest::newRow("identity newline") << 4 << qint64(1) << QByteArray("a\nb") << QByteArray()
                                          << QByteArray("printable ASCII");
        QTest::newRow("passphrase on cert") << 0 << qint64(1) << kCert << QByteArray("pw")
                                            << QByteArray("Only a client private key");
        QTest::newRow("passphrase with quote")
            << 2 << qint64(1) << kKey << QByteArray("p\"w") << QByteArray("without double quotes");
        QTest::newRow("passphrase too long")
            << 2 << qint64(1) << kKey << QByteArray(129, 'p') << QByteArray("shorter one");
    }
    void builders_rejectInvalidInput()
    {
        QFETCH(int, type);
        QFETCH(qint64, tag);
        QFETCH(QByteArray, content);
        QFETCH(QByteArray, passphrase);
        QFETCH(QByteArray, message);
        auto r = cmngWrite(tag, CredentialType(type), content, passphrase);
        QVERIFY(!r);
        QCOMPARE(r.error().code, Error::Code::InvalidArgument);
        QVERIFY2(
            r.error().message.contains(QString::fromUtf8(message)), qPrintable(r.error().message));
    }

    void builders_rejectBadModesAndListFilters()
    {
        QVERIFY(!cfunSet(3));
        QVERIFY(!cfunSet(-1));
        QVERIFY(!cmngList(std::nullopt, CredentialType::RootCa));
        QVERIFY(!cmngDelete(-5, CredentialType::Psk));
        QVERIFY(cfunAllowsCredentialWrites(4));
        QVERIFY(cfunAllowsCredentialWrites(0));
        QVERIFY(!cfunAllowsCredentialWrites(1));
    }

    void prepareContent_normalisesWhatIsHashed()
    {
        QByteArray crlf = kCert;
        crlf.replace("\n", "\r\n");
        auto pem = prepareContent(CredentialType::RootCa, QByteArray("\r\n  " + crlf + "\r\n\r\n"));
        QVERIFY(pem);
        QCOMPARE(*pem, kCert);
        auto psk = prepareContent(CredentialType::Psk, " 0A1b \n");
        QVERIFY(psk);
        QCOMPARE(*psk, QByteArray("0A1b"));
        QVERIFY(!prepareContent(CredentialType::Psk, "0A1"));
        QCOMPARE(contentHash("abc"),
            QByteArray("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"));
    }

    void redactedCommand_hidesKeysPsksAndPassphrases()
    {
        const QByteArray keyCmd = *cmngWrite(16842753, CredentialType::PrivateKey, kKey, "pw1234");
        const QString k = redactedCommand(keyCmd);
        QCOMPARE(k,
            QStringLiteral("AT%CMNG=0,16842753,2,<redacted %1 bytes>,<redacted 6 bytes>")
                .arg(kKey.size()));
        QVERIFY(commandCarriesSecret(keyCmd));
        const QString p = redactedCommand(*cmngWrite(3, CredentialType::Psk, "00112233"));
        QCOMPARE(p, QStringLiteral("AT%CMNG=0,3,3,<redacted 8 bytes>"));
        const QByteArray certCmd = *cmngWrite(3, CredentialType::RootCa, kCert);
        QVERIFY(!commandCarriesSecret(certCmd));
        QVERIFY(redactedCommand(certCmd).contains(u"bytes of PEM"));
        QCOMPARE(redactedCommand("AT+CFUN=4"), QStringLiteral("AT+CFUN=4"));
        QCOMPARE(redactedCommand(*cmngWrite(3, CredentialType::PskIdentity, "id")),
            QStringLiteral("AT%CMNG=0,3,4,\"id\""));
        QVERIFY(commandCarriesSecret("at%cmng=0,1,3,\"00\""));
    }

    void parser_classifiesLines_data()
    {
        QTest::addColumn<QByteArray>("command");
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QList<QByteArray>>("events");
        QTest::newRow("ok crlf") << QByteArray("AT+CMEE=1") << QByteArray("OK\r\n")
                                 << QList<QByteArray>{"final:OK#0/-1"};
        QTest::newRow("cfun lf") << QByteArray("AT+CFUN?") << QByteArray("+CFUN: 4\nOK\n")
                                 << QList<QByteArray>{"info:+CFUN: 4", "final:OK#0/-1"};
        QTest::newRow("echo and urc")
            << QByteArray("AT+CFUN?")
            << QByteArray("AT+CFUN?\r\n+CEREG: 2,\"76C1\"\r\n+CFUN: 1\r\n%XSIM: 1\r\nOK\r\n")
            << QList<QByteArray>{"echo:AT+CFUN?", "urc:+CEREG: 2,\"76C1\"", "info:+CFUN: 1",
                   "urc:%XSIM: 1", "final:OK#0/-1"};
        QTest::newRow("cme") << QByteArray("AT%CMNG=3,1,0") << QByteArray("\r\n+CME ERROR: 513\r\n")
                             << QList<QByteArray>{"final:+CME ERROR: 513#2/513"};
        QTest::newRow("cms") << QByteArray("AT+CMGS") << QByteArray("+CMS ERROR: 500\r\n")
                             << QList<QByteArray>{"final:+CMS ERROR: 500#3/500"};
        QTest::newRow("cme text") << QByteArray("AT") << QByteArray("+CME ERROR: not found\r\n")
                                  << QList<QByteArray>{"final:+CME ERROR: not found#1/-1"};
        QTest::newRow("plain error") << QByteArray("AT+X") << QByteArray("ERROR\r\n")
                                     << QList<QByteArray>{"final:ERROR#1/-1"};
        QTest::newRow("list") << QByteArray("AT%CMNG=1")
                              << QByteArray("%CMNG: 1,0,\"AB\"\r\n%CMNG: 2,3\r\nOK\r\n")
                              << QList<QByteArray>{
                                     "info:%CMNG: 1,0,\"AB\"", "info:%CMNG: 2,3", "final:OK#0/-1"};
        QTest::newRow("plain info") << QByteArray("AT+CGMM") << QByteArray("nRF9160-SICA\r\nOK\r\n")
                                    << QList<QByteArray>{"info:nRF9160-SICA", "final:OK#0/-1"};
        QTest::newRow("quoted pem joined")
            << QByteArray("AT%CMNG=2,1,0")
            << QByteArray("%CMNG: 1,0,\"AB\",\"-----BEGIN X-----\r\nAAAA\r\n-----END "
                          "X-----\r\n\"\r\nOK\r\n")
            << QList<QByteArray>{
                   "info:%CMNG: 1,0,\"AB\",\"-----BEGIN X-----%0AAAAA%0A-----END X-----%0A\"",
                   "final:OK#0/-1"};
        QTest::newRow("lost quote does not swallow OK")
            << QByteArray("AT%CMNG=2,1,0") << QByteArray("%CMNG: 1,0,\"AB\r\nOK\r\n")
            << QList<QByteArray>{"info:%CMNG: 1,0,\"AB", "final:OK#0/-1"};
        QTest::newRow("junk before line") << QByteArray("AT") << QByteArray("\xf0\x9a\xffOK\r\n")
                                          << QList<QByteArray>{"noise:%F0%9A%FF", "final:OK#0/-1"};
        QTest::newRow("garbled") << QByteArray("AT") << QByteArray("O\xcbZ\r\nOK\r\n")
                                 << QList<QByteArray>{"garbled:O%CBZ", "final:OK#0/-1"};
        QTest::newRow("idle") << QByteArray() << QByteArray("+CEREG: 0\r\nOK\r\nReady\r\n")
                              << QList<QByteArray>{"urc:+CEREG: 0", "noise:OK", "noise:Ready"};
        QTest::newRow("own prefix is info")
            << QByteArray("AT+CEREG?") << QByteArray("+CEREG: 0,4\r\nOK\r\n")
            << QList<QByteArray>{"info:+CEREG: 0,4", "final:OK#0/-1"};
        QTest::newRow("bare cr") << QByteArray("AT") << QByteArray("\rOK\r")
                                 << QList<QByteArray>{"final:OK#0/-1"};
    }
    void parser_classifiesLines()
    {
        QFETCH(QByteArray, command);
        QFETCH(QByteArray, input);
        QFETCH(QList<QByteArray>, events);

        ResponseParser whole;
        whole.setCommand(command);
        QCOMPARE(describe(whole.feed(input)), events);

        // The same bytes one at a time: a split read never changes the events.
        ResponseParser bytewise;
        bytewise.setCommand(command);
        QList<ResponseParser::Event> got;
        for (char c : std::as_const(input))
            got.append(bytewise.feed(QByteArrayView(&c, 1)));
        QCOMPARE(describe(got), events);
    }

    void parser_bindsMemoryOfEndlessLines()
    {
        ResponseParser p;
        p.setCommand("AT");
        const auto events = p.feed(QByteArray(QByteArray(20000, 'A') + "\r\nOK\r\n"));
        QCOMPARE(events.size(), 2);
        QCOMPARE(events[0].kind, Kind::Garbled);
        QCOMPARE(events[1].kind, Kind::Final);
        QCOMPARE(p.bufferedBytes(), 0);
    }

    void parseCmngLine_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<qint64>("tag");
        QTest::addColumn<int>("type");
        QTest::addColumn<QByteArray>("hash");
        const QByteArray h(64, 'a');
        QTest::newRow("with hash") << QByteArray("%CMNG: 16842753,0,\"" + h + "\"") << true
                                   << qint64(16842753) << 0 << h.toUpper();
        QTest::newRow("without hash")
            << QByteArray("%CMNG: 12,4") << true << qint64(12) << 4 << QByteArray();
        QTest::newRow("reserved tag") << QByteArray("%CMNG: 4294967292,0,\"" + h + "\"") << true
                                      << qint64(4294967292LL) << 0 << h.toUpper();
        QTest::newRow("short hash") << QByteArray("%CMNG: 1,0,\"" + h.left(63) + "\"") << false
                                    << qint64(0) << 0 << QByteArray();
        QTest::newRow("non-hex hash") << QByteArray("%CMNG: 1,0,\"" + h.left(63) + "g\"") << false
                                      << qint64(0) << 0 << QByteArray();
        QTest::newRow("bad tag") << QByteArray("%CMNG: x,0") << false << qint64(0) << 0
                                 << QByteArray();
        QTest::newRow("other prefix")
            << QByteArray("+CFUN: 1") << false << qint64(0) << 0 << QByteArray();
    }
    void parseCmngLine()
    {
        QFETCH(QByteArray, line);
        QFETCH(bool, valid);
        auto e = at::parseCmngLine(line);
        QCOMPARE(bool(e), valid);
        if (!valid) {
            QCOMPARE(e.error().code, Error::Code::Protocol);
            return;
        }
        QTEST(e->tag, "tag");
        QTEST(e->type, "type");
        QTEST(e->hash, "hash");
    }

    void parseCfunAndValues()
    {
        QCOMPARE(*parseCfun({"+CFUN: 4"}), 4);
        QVERIFY(!parseCfun({"+CFUN 4"}));
        QVERIFY(!parseCfun({}));
        QCOMPARE(*parseSingleValue({"", "nRF9160-SICA"}, QStringLiteral("AT+CGMM")),
            QStringLiteral("nRF9160-SICA"));
        QCOMPARE(*parseSingleValue({"+CGSN: \"352656100367872\""}, QStringLiteral("AT+CGSN")),
            QStringLiteral("352656100367872"));
        QVERIFY(!parseSingleValue({}, QStringLiteral("AT+CGMR")));
    }

    void cmeErrors_sayWhatToDo_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<QByteArray>("fragment");
        QTest::newRow("513") << 513 << QByteArray("no PSK identity under sec_tag 7");
        QTest::newRow("514") << 514 << QByteArray("the modem does not allow this operation on it");
        QTest::newRow("515")
            << 515 << QByteArray("delete unused credentials with 'provbench-cli at cmng delete'");
        QTest::newRow("518") << 518
                             << QByteArray(
                                    "ProvBench sets AT+CFUN=4 first — another program may have "
                                    "switched it back");
        QTest::newRow("519") << 519 << QByteArray("delete it first or use another sec_tag");
        QTest::newRow("527") << 527 << QByteArray("the PEM/hex is malformed: check the file");
        QTest::newRow("528") << 528 << QByteArray("power supply");
        QTest::newRow("generic") << 999 << QByteArray("+CME ERROR: 999");
    }
    void cmeErrors_sayWhatToDo()
    {
        QFETCH(int, code);
        QFETCH(QByteArray, fragment);
        const QString m = cmeErrorMessage(
            code, ErrorContext{QStringLiteral("AT%CMNG=3,7,4"), 7, CredentialType::PskIdentity});
        QVERIFY2(m.contains(QString::fromUtf8(fragment)), qPrintable(m));
        QVERIFY(!plainErrorMessage({}).isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_AtCodec)
#include "tst_atcodec.moc"
