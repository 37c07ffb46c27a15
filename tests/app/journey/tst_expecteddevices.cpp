#include "app/onboarding/journey/expecteddevices.h"

#include <QTemporaryDir>
#include <QTest>

using namespace provbench;
using namespace provbench::journey;

// Devices as "serial|site|name|profile" joined by ";", problems as
// "line:column:words from the message" joined by ";".
class TestExpectedDevices : public QObject
{
    Q_OBJECT
private slots:
    void parse_data();
    void parse();
    void write_roundTrips();
    void read_listsEveryProblemWithLineAndColumn();
    void read_missingFileSaysSo();
};

void TestExpectedDevices::parse_data()
{
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<QStringList>("known");
    QTest::addColumn<QString>("defaultProfile");
    QTest::addColumn<QString>("devices");
    QTest::addColumn<QString>("problems");

    const QStringList none;
    const QStringList known{QStringLiteral("office"), QStringLiteral("est")};
    auto row = [](const char *name, const QByteArray &csv, const QStringList &k, const char *def,
                   const char *devices, const char *problems) {
        QTest::newRow(name) << csv << k << QString::fromUtf8(def) << QString::fromUtf8(devices)
                            << QString::fromUtf8(problems);
    };

    row("plain LF", "serial number,site,name,profile\nSN1,Berlin,door,office\nSN2,Oslo,gate,est\n",
        none, "", "SN1|Berlin|door|office;SN2|Oslo|gate|est", "");
    row("CRLF, no final newline",
        "serial number,site,name,profile\r\nSN1,Berlin,door,office\r\nSN2,Oslo,gate,est", none, "",
        "SN1|Berlin|door|office;SN2|Oslo|gate|est", "");
    row("BOM", "\xEF\xBB\xBFserial number,site,name,profile\nSN1,B,n,office\n", none, "",
        "SN1|B|n|office", "");
    row("any column order and case",
        "Profile,NAME,Serial_Number,Site,extra\noffice,door,SN1,Berlin,ignored\n", none, "",
        "SN1|Berlin|door|office", "");
    row("header synonyms", "serial,site,device name,profile name\nSN1,B,n,p\n", none, "",
        "SN1|B|n|p", "");
    row("quoted fields with comma, quote and line break",
        "serial number,site,name,profile\n\"SN,1\",\"Ber\"\"lin\",\"two\nlines\",office\n", none,
        "", "SN,1|Ber\"lin|two\nlines|office", "");
    row("quoted CRLF inside a field kept as it is",
        "serial number,site,name,profile\r\nSN1,B,\"a\r\nb\",office\r\n", none, "",
        "SN1|B|a\r\nb|office", "");
    row("unquoted fields are trimmed, quoted are not",
        "serial number,site,name,profile\n  SN1 , B ,\" n \",office\n", none, "",
        "SN1|B| n |office", "");
    row("blank lines skipped", "\n\nserial number,site,name,profile\n\nSN1,B,n,office\n\n", none,
        "", "SN1|B|n|office", "");
    row("UTF-8 names", "serial number,site,name,profile\nSN1,Zürich,Tür 東,office\n", none, "",
        "SN1|Zürich|Tür 東|office", "");
    row("default profile fills empty cells",
        "serial number,site,name,profile\nSN1,B,n,\nSN2,B,n,est\n", known, "office",
        "SN1|B|n|office;SN2|B|n|est", "");
    row("default profile allows a missing column", "serial number,site,name\nSN1,B,n\n", none,
        "office", "SN1|B|n|office", "");

    row("empty file", "", none, "", "", "1:0:no header row");
    row("only blank lines", "\n\r\n\n", none, "", "", "1:0:no header row");
    row("missing column", "serial number,site,profile\nSN1,B,office\n", none, "", "",
        "1:0:no 'name' column");
    row("missing serial and profile columns", "site,name\nB,n\n", none, "", "",
        "1:0:no 'serial number' column;1:0:no 'profile' column");
    row("column twice", "serial number,site,name,profile,Site\nSN1,B,n,office,C\n", none, "", "",
        "1:5:appears twice");
    row("empty serial", "serial number,site,name,profile\nSN1,B,n,office\n  ,B,n,office\n", none,
        "", "SN1|B|n|office", "3:1:serial number is empty");
    row("duplicate serial, case-insensitive",
        "serial number,site,name,profile\nSN1,B,n,office\nSN2,B,n,office\nsn1,C,m,office\n", none,
        "", "SN1|B|n|office;SN2|B|n|office", "4:1:already on line 2");
    row("unknown profile", "name,profile,serial number,site\nn,lab,SN1,B\nn,est,SN2,B\n", known, "",
        "SN2|B|n|est", "2:2:no profile 'lab'");
    row("empty profile without default", "serial number,site,name,profile\nSN1,B,n,\n", none, "",
        "", "2:4:profile is empty");
    row("too few fields", "serial number,site,name,profile\nSN1,B,n\nSN2,B,n,office\n", none, "",
        "SN2|B|n|office", "2:0:3 fields but the header has 4");
    row("too many fields", "serial number,site,name,profile\nSN1,B,n,office,x\n", none, "", "",
        "2:0:5 fields");
    row("unterminated quote stops",
        "serial number,site,name,profile\nSN1,B,n,office\nSN2,\"B,n,office\nSN3,B,n,office\n", none,
        "", "SN1|B|n|office", "3:2:no closing quote");
    row("stray quote in unquoted field", "serial number,site,name,profile\nSN1,B\"x,n,office\n",
        none, "", "SN1|B\"x|n|office", "2:2:quote inside a field that is not quoted");
    row("text after closing quote", "serial number,site,name,profile\nSN1,\"B\"x,n,office\n", none,
        "", "SN1|Bx|n|office", "2:2:text after its closing quote");
    row("problem line counts quoted line breaks",
        "serial number,site,name,profile\nSN1,B,\"a\nb\nc\",office\n,B,n,office\n", none, "",
        "SN1|B|a\nb\nc|office", "5:1:serial number is empty");
    row("not UTF-8", "serial number,site,name,profile\nSN1,B,n,office\nSN2,\xff\xfe,n,office\n",
        none, "", "", "3:0:not UTF-8");
}

void TestExpectedDevices::parse()
{
    QFETCH(QByteArray, csv);
    QFETCH(QStringList, known);
    QFETCH(QString, defaultProfile);
    QFETCH(QString, devices);
    QFETCH(QString, problems);

    const ExpectedDevicesImport result = parseExpectedDevices(csv, {known, defaultProfile});
    QStringList gotDevices;
    for (const ExpectedDevice &d : result.devices) {
        gotDevices.append(QStringList{d.serialNumber, d.site, d.name, d.profile}.join(u'|'));
        QVERIFY(d.line >= 2);
    }
    QCOMPARE(gotDevices.join(u';'), devices);

    const QStringList want = problems.isEmpty() ? QStringList() : problems.split(u';');
    QCOMPARE(result.problems.size(), want.size());
    for (qsizetype i = 0; i < want.size(); ++i) {
        const QStringList parts = want[i].split(u':');
        const CsvProblem &p = result.problems[i];
        QVERIFY2(p.message.contains(parts[2]), qPrintable(p.text()));
        QCOMPARE(p.line, parts[0].toInt());
        QCOMPARE(p.column, parts[1].toInt());
        QVERIFY(p.text().startsWith(QStringLiteral("line %1").arg(p.line)));
    }
    QCOMPARE(result.ok(), want.isEmpty());
}

void TestExpectedDevices::write_roundTrips()
{
    const QList<ExpectedDevice> devices{
        {QStringLiteral("SN,1"), QStringLiteral(" lead"), QStringLiteral("a \"b\""),
            QStringLiteral("office"), 0},
        {QStringLiteral("SN2"), QString(), QStringLiteral("two\r\nlines"), QStringLiteral("est"),
            0},
        {QStringLiteral("Ünï"), QStringLiteral("=cmd"), QStringLiteral("x"), QStringLiteral("p"),
            0},
    };
    const ExpectedDevicesImport back = parseExpectedDevices(writeExpectedDevices(devices));
    QVERIFY(back.ok());
    QCOMPARE(back.devices, devices);
}

void TestExpectedDevices::read_listsEveryProblemWithLineAndColumn()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("batch.csv"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("serial number,site,name,profile\nSN1,B,n,office\n,B,n,office\nSN1,B,n,lab\n");
    f.close();
    const auto result = readExpectedDevices(path, {{QStringLiteral("office")}, {}});
    QVERIFY(!result);
    const QString &m = result.error().message;
    QVERIFY2(m.contains(QStringLiteral("3 problem(s)")), qPrintable(m));
    QVERIFY2(
        m.contains(QStringLiteral("line 3, column 1 (serial number): the serial number is empty")),
        qPrintable(m));
    QVERIFY2(m.contains(QStringLiteral("line 4, column 1 (serial number)")), qPrintable(m));
    QVERIFY2(m.contains(QStringLiteral("line 4, column 4 (profile): there is no profile 'lab': use "
                                       "one of office")),
        qPrintable(m));

    QFile good(dir.filePath(QStringLiteral("good.csv")));
    QVERIFY(good.open(QIODevice::WriteOnly));
    good.write("serial number,site,name,profile\nSN1,B,n,office\n");
    good.close();
    const auto ok = readExpectedDevices(good.fileName());
    QVERIFY(ok);
    QCOMPARE(ok->size(), 1);
}

void TestExpectedDevices::read_missingFileSaysSo()
{
    const auto result = readExpectedDevices(QStringLiteral("/nonexistent/batch.csv"));
    QVERIFY(!result);
    QCOMPARE(result.error().code, Error::Code::NotFound);
    QVERIFY(result.error().message.contains(QStringLiteral("/nonexistent/batch.csv")));
}

QTEST_GUILESS_MAIN(TestExpectedDevices)
#include "tst_expecteddevices.moc"
