// QR encoding for device labels: what libqrencode gives back, the label
// payload's syntax, and clear failures.

#include "app/onboarding/journey/qrcode.h"

#include <QtTest>

using namespace provbench;
using namespace provbench::journey;

class TestQrCode : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void encode_smallestVersionThatFits_data()
    {
        QTest::addColumn<int>("bytes");
        QTest::addColumn<int>("side");
        // Byte mode, level M: version 1 holds 14 bytes, version 2 26, version 3 42.
        QTest::newRow("1 byte, version 1") << 1 << 21;
        QTest::newRow("14 bytes, version 1") << 14 << 21;
        QTest::newRow("15 bytes, version 2") << 15 << 25;
        QTest::newRow("42 bytes, version 3") << 42 << 29;
        QTest::newRow("43 bytes, version 4") << 43 << 33;
    }

    void encode_smallestVersionThatFits()
    {
        QFETCH(int, bytes);
        QFETCH(int, side);
        auto m = encodeQr(QByteArray(bytes, 'a'));
        QVERIFY(m);
        QCOMPARE(m->size, side);
        QCOMPARE(m->dark.size(), qsizetype(side) * side);
        // The three finder patterns: a dark 7x7 ring with a dark 3x3 centre.
        for (const auto &[ox, oy] : {std::pair{0, 0}, {side - 7, 0}, {0, side - 7}}) {
            for (int i = 0; i < 7; ++i) {
                QVERIFY(m->at(ox + i, oy) && m->at(ox + i, oy + 6));
                QVERIFY(m->at(ox, oy + i) && m->at(ox + 6, oy + i));
            }
            QVERIFY(!m->at(ox + 1, oy + 1) && m->at(ox + 3, oy + 3));
        }
    }

    void encode_refusesEmptyAndOversizeText()
    {
        auto empty = encodeQr({});
        QVERIFY(!empty);
        QCOMPARE(empty.error().code, Error::Code::InvalidArgument);
        // Version 40-M holds 2331 bytes.
        QVERIFY(encodeQr(QByteArray(2331, 'x')));
        auto big = encodeQr(QByteArray(2332, 'x'));
        QVERIFY(!big);
        QVERIFY2(big.error().message.contains(QLatin1String("do not fit")),
            qPrintable(big.error().message));
    }

    void payload_escapesFieldSeparators_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("fingerprint");
        QTest::addColumn<QByteArray>("payload");
        QTest::newRow("plain") << QStringLiteral("SENSOR-01") << QStringLiteral("ab:cd")
                               << QByteArray("PROVBENCH1;id=SENSOR-01;fp=ab:cd");
        QTest::newRow("no certificate")
            << QStringLiteral("dev") << QString() << QByteArray("PROVBENCH1;id=dev;fp=");
        QTest::newRow("separators in the id") << QStringLiteral("a;fp=x%") << QString()
                                              << QByteArray("PROVBENCH1;id=a%3Bfp%3Dx%25;fp=");
        QTest::newRow("port path and unicode") << QStringLiteral(
            "/dev/ttyUSB0 é") << QString() << QByteArray("PROVBENCH1;id=/dev/ttyUSB0%20%C3%A9;fp=");
    }

    void payload_escapesFieldSeparators()
    {
        QFETCH(QString, id);
        QFETCH(QString, fingerprint);
        QFETCH(QByteArray, payload);
        QCOMPARE(labelPayload(id, fingerprint), payload);
    }
};

QTEST_GUILESS_MAIN(TestQrCode)
#include "tst_qrcode.moc"
