// Device labels: the QR code read back by an independent decoder (zbarimg
// from zbar-tools) must give exactly the payload, and the label sheet is a
// real PDF with one page per 24 labels.

#include "ui/boardlabels.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace provbench;

class TestBoardLabels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void qr_readsBackWithAnIndependentDecoder_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("fingerprint");
        const QString fp = QStringLiteral(
            "3f:a1:9c:00:5e:77:b2:10:de:ad:be:ef:01:23:45:67:89:ab:cd:ef:fe:dc:ba:98:76:54:32:10:"
            "0f:1e:2d:3c");
        QTest::newRow("serial and fingerprint") << QStringLiteral("SENSOR-0042") << fp;
        QTest::newRow("no certificate yet") << QStringLiteral("ble:C4:DE:E2:10:4A:01") << QString();
        QTest::newRow("hostile id") << QStringLiteral("x;fp=00%<script>") << fp;
    }

    void qr_readsBackWithAnIndependentDecoder()
    {
        QFETCH(QString, id);
        QFETCH(QString, fingerprint);
        const QString zbar = QStandardPaths::findExecutable(QStringLiteral("zbarimg"));
        if (zbar.isEmpty())
            QFAIL("zbarimg is missing: scripts/setup installs zbar-tools.");
        const QByteArray payload = journey::labelPayload(id, fingerprint);
        auto matrix = journey::encodeQr(payload);
        QVERIFY(matrix);
        const QImage image = renderQr(*matrix, 6);
        QCOMPARE(image.width(), (matrix->size + 8) * 6);
        QCOMPARE(image.pixelColor(0, 0), QColor(Qt::white)); // quiet zone
        QTemporaryDir dir;
        const QString png = dir.filePath(QStringLiteral("qr.png"));
        QVERIFY(image.save(png));
        QProcess p;
        p.start(zbar, {QStringLiteral("--quiet"), QStringLiteral("--raw"), png});
        QVERIFY(p.waitForFinished(20000));
        QCOMPARE(p.exitCode(), 0);
        QCOMPARE(p.readAllStandardOutput().trimmed(), payload);
    }

    void label_asPrinted_decodes()
    {
        const QString zbar = QStandardPaths::findExecutable(QStringLiteral("zbarimg"));
        if (zbar.isEmpty())
            QFAIL("zbarimg is missing: scripts/setup installs zbar-tools.");
        const DeviceLabel label{QStringLiteral("SENSOR-0042"), QStringLiteral("porch sensor"),
            QStringLiteral("3f:a1:9c:00:5e:77:b2:10:de:ad:be:ef")};
        auto image = renderLabel(label, 300);
        QVERIFY(image);
        QCOMPARE(image->width(), qRound(70 / 25.4 * 300));
        QTemporaryDir dir;
        const QString png = qEnvironmentVariableIsSet("PROVBENCH_LABEL_PREVIEW")
            ? qEnvironmentVariable("PROVBENCH_LABEL_PREVIEW")
            : dir.filePath(QStringLiteral("label.png"));
        QVERIFY(image->save(png));
        QProcess p;
        p.start(zbar, {QStringLiteral("--quiet"), QStringLiteral("--raw"), png});
        QVERIFY(p.waitForFinished(20000));
        QCOMPARE(p.exitCode(), 0);
        QCOMPARE(p.readAllStandardOutput().trimmed(),
            journey::labelPayload(label.id, label.fingerprint));
    }

    void sheet_isAPdfWithAPagePer24Labels()
    {
        QList<DeviceLabel> labels;
        for (int i = 0; i < 30; ++i)
            labels.append({QStringLiteral("DEV-%1").arg(i), QStringLiteral("sensor %1").arg(i),
                i % 2 ? QStringLiteral("ab:cd:ef:01") : QString()});
        QTemporaryDir dir;
        const QString pdf = dir.filePath(QStringLiteral("labels.pdf"));
        QVERIFY(printLabels(labels, pdf));
        QFile f(pdf);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QVERIFY(bytes.startsWith("%PDF"));
        QVERIFY2(bytes.contains("/Count 2"), "30 labels at 24 a page make two pages");
        QVERIFY(!QFile::exists(pdf + QStringLiteral(".part")));
    }

    void sheet_failsClearly()
    {
        QTemporaryDir dir;
        auto none = printLabels({}, dir.filePath(QStringLiteral("x.pdf")));
        QVERIFY(!none);
        QVERIFY(none.error().message.contains(QLatin1String("no devices")));
        auto badDir = printLabels(
            {{QStringLiteral("a"), {}, {}}}, dir.filePath(QStringLiteral("missing/x.pdf")));
        QVERIFY(!badDir);
        QVERIFY2(badDir.error().message.contains(QLatin1String("writable")),
            qPrintable(badDir.error().message));
    }
};

QTEST_MAIN(TestBoardLabels)
#include "tst_boardlabels.moc"
