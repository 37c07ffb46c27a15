#include "app/storage/store/auditexport.h"
#include "app/storage/store/store.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace provbench;
using namespace provbench::store;

class tst_AuditExport : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void csvCell_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("cell");
        QTest::newRow("plain") << QStringLiteral("dev-1") << QStringLiteral("dev-1");
        QTest::newRow("empty") << QString() << QString();
        QTest::newRow("formula =")
            << QStringLiteral("=SUM(A1:A9)") << QStringLiteral("'=SUM(A1:A9)");
        QTest::newRow("formula +") << QStringLiteral("+1") << QStringLiteral("'+1");
        QTest::newRow("formula -") << QStringLiteral("-2+3") << QStringLiteral("'-2+3");
        QTest::newRow("formula @") << QStringLiteral("@SUM(1)") << QStringLiteral("'@SUM(1)");
        QTest::newRow("leading tab") << QStringLiteral("\t=1") << QStringLiteral("'\t=1");
        QTest::newRow("leading CR, quoted")
            << QStringLiteral("\r=1") << QStringLiteral("\"'\r=1\"");
        QTest::newRow("formula later is text") << QStringLiteral("a=1") << QStringLiteral("a=1");
        QTest::newRow("comma quoted") << QStringLiteral("a,b") << QStringLiteral("\"a,b\"");
        QTest::newRow("quote doubled")
            << QStringLiteral("say \"hi\"") << QStringLiteral("\"say \"\"hi\"\"\"");
        QTest::newRow("newline quoted") << QStringLiteral("a\nb") << QStringLiteral("\"a\nb\"");
        QTest::newRow("formula and comma")
            << QStringLiteral("=HYPERLINK(\"http://x\",\"y\")")
            << QStringLiteral("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
        QTest::newRow("json details untouched")
            << QStringLiteral("{\"a\":1}") << QStringLiteral("\"{\"\"a\"\":1}\"");
    }

    void csvCell()
    {
        QFETCH(QString, value);
        QFETCH(QString, cell);
        QCOMPARE(auditexport::csvCell(value), cell);
    }

    void csvRow_endsInCrlf()
    {
        QCOMPARE(auditexport::csvRow({QStringLiteral("a"), QString(), QStringLiteral("=b")}),
            QStringLiteral("a,,'=b\r\n"));
    }

    void formatNames()
    {
        QCOMPARE(*auditexport::parseFormat(QStringLiteral("CSV")), auditexport::Format::Csv);
        QCOMPARE(*auditexport::parseFormat(QStringLiteral("json")), auditexport::Format::Json);
        QVERIFY(!auditexport::parseFormat(QStringLiteral("xml")));
    }

    void write_csvAndJson_withFilters()
    {
        auto store = Store::open(QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("e.db")),
            QString(), QStringLiteral("=evil@host"));
        QVERIFY(store);
        AuditLog &log = (*store)->audit();
        QVERIFY(log.append(QStringLiteral("checkin"), QStringLiteral("-dev"),
            {{QStringLiteral("note"), QStringLiteral("@x, \"y\"")}}));
        auto intent = log.appendIntent(QStringLiteral("sign"), QStringLiteral("dev2"));
        QVERIFY(intent);
        QVERIFY(log.appendOutcome(*intent, false, QStringLiteral("CSR refused")));

        QBuffer csv;
        csv.open(QIODevice::WriteOnly);
        auto n = auditexport::write(log, {}, auditexport::Format::Csv, csv);
        QVERIFY(n);
        QCOMPARE(*n, 3);
        const QList<QByteArray> lines = csv.data().split('\n');
        QCOMPARE(lines.size(), 5); // header, 3 rows, empty after the last CRLF
        QCOMPARE(
            lines[0], QByteArray("seq,time,actor,kind,device,intent,details,prev_hash,hash\r"));
        QVERIFY2(lines[1].contains(",'=evil@host,checkin,'-dev,,"), lines[1].constData());
        QVERIFY2(lines[1].contains("\"{\"\"note\"\":\"\"@x, \\\"\"y\\\"\"\"\"}\""),
            lines[1].constData());
        QVERIFY(lines[3].contains(",outcome.sign,dev2,2,"));

        QBuffer json;
        json.open(QIODevice::WriteOnly);
        AuditFilter onlyDev2;
        onlyDev2.deviceId = QStringLiteral("dev2");
        n = auditexport::write(log, onlyDev2, auditexport::Format::Json, json);
        QVERIFY(n);
        QCOMPARE(*n, 2);
        const QJsonArray array = QJsonDocument::fromJson(json.data()).array();
        QCOMPARE(array.size(), 2);
        QCOMPARE(array[1][QStringLiteral("intent")].toInteger(), 2);
        QCOMPARE(array[1][QStringLiteral("details")][QStringLiteral("ok")].toBool(true), false);
        QCOMPARE(array[1][QStringLiteral("details")][QStringLiteral("message")].toString(),
            QStringLiteral("CSR refused"));
        QCOMPARE(array[1][QStringLiteral("prev_hash")].toString(),
            array[0][QStringLiteral("hash")].toString());

        QBuffer empty;
        empty.open(QIODevice::WriteOnly);
        AuditFilter none;
        none.kind = QStringLiteral("cert.*");
        QCOMPARE(*auditexport::write(log, none, auditexport::Format::Json, empty), 0);
        QCOMPARE(QJsonDocument::fromJson(empty.data()).array().size(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_AuditExport)
#include "tst_auditexport.moc"
