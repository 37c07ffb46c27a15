// EST bodies: base64 (whitespace allowed, nothing else), DER CSRs only,
// certs-only PKCS#7 both ways, HTTP Basic credentials.
#include "app/crypto/certificateauthority.h"
#include "app/protocol/est/estcodec.h"

#include <QTemporaryDir>
#include <QTest>

using namespace provbench;
using namespace provbench::est;

class tst_EstCodec : public QObject
{
    Q_OBJECT

    QByteArray m_csrDer;

private Q_SLOTS:
    void initTestCase()
    {
        auto key = crypto::Key::generate(profiles::KeyAlgorithm::EcP256);
        QVERIFY(key);
        auto csr = crypto::CertificateRequest::create(*key, QStringLiteral("CN=dev-1"));
        QVERIFY(csr);
        m_csrDer = *csr->toDer();
    }

    void base64_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QByteArray>("decoded");
        QTest::newRow("plain") << QByteArray("aGVsbG8=") << true << QByteArray("hello");
        QTest::newRow("no padding needed") << QByteArray("aGVs") << true << QByteArray("hel");
        QTest::newRow("two pad") << QByteArray("aA==") << true << QByteArray("h");
        QTest::newRow("crlf lines")
            << QByteArray("aGVs\r\nbG8=\r\n") << true << QByteArray("hello");
        QTest::newRow("spaces and tabs")
            << QByteArray(" aG Vs\tbG8= \n") << true << QByteArray("hello");
        QTest::newRow("missing padding") << QByteArray("aGVsbG8") << false << QByteArray();
        QTest::newRow("three pad") << QByteArray("aG===") << false << QByteArray();
        QTest::newRow("pad in the middle") << QByteArray("aG=sbG8=") << false << QByteArray();
        QTest::newRow("only padding") << QByteArray("====") << false << QByteArray();
        QTest::newRow("url alphabet") << QByteArray("a-_s") << false << QByteArray();
        QTest::newRow("empty") << QByteArray() << false << QByteArray();
        QTest::newRow("whitespace only") << QByteArray(" \r\n") << false << QByteArray();
        QTest::newRow("nul") << QByteArray("aGVs\0bG8=", 9) << false << QByteArray();
        QTest::newRow("pem armour") << QByteArray("-----BEGIN CERTIFICATE REQUEST-----\naGVsbG8=\n"
                                                  "-----END CERTIFICATE REQUEST-----\n")
                                    << false << QByteArray();
    }

    void base64()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, ok);
        QFETCH(QByteArray, decoded);
        auto r = decodeBase64Body(body);
        QCOMPARE(bool(r), ok);
        if (ok)
            QCOMPARE(*r, decoded);
        else
            QVERIFY(!r.error().message.isEmpty());
    }

    void encode_linesOf64()
    {
        const QByteArray body = encodeBase64Body(QByteArray(100, 'x'));
        const QList<QByteArray> lines = body.split('\n');
        QCOMPARE(lines.first().size(), 65); // 64 + CR
        QVERIFY(body.endsWith("\r\n"));
        QCOMPARE(*decodeBase64Body(body), QByteArray(100, 'x'));
    }

    void csr_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("ok");
        QTest::newRow("der base64") << m_csrDer.toBase64() << true;
        QTest::newRow("der base64 in lines") << encodeBase64Body(m_csrDer) << true;
        QTest::newRow("pem refused") << QByteArray("-----BEGIN CERTIFICATE REQUEST-----\n"
            + m_csrDer.toBase64() + "\n-----END CERTIFICATE REQUEST-----\n")
                                     << false;
        QTest::newRow("base64 of pem refused") << QByteArray("-----BEGIN CERTIFICATE REQUEST-----\n"
            + m_csrDer.toBase64() + "\n-----END CERTIFICATE REQUEST-----\n")
                                                      .toBase64()
                                               << false;
        QTest::newRow("raw der refused") << m_csrDer << false;
        QTest::newRow("truncated der") << m_csrDer.chopped(10).toBase64() << false;
        QTest::newRow("trailing data") << QByteArray(m_csrDer + "junk").toBase64() << false;
        QTest::newRow("garbage") << QByteArray("MAMCAQA=") << false;
        QTest::newRow("not a sequence") << QByteArray("AgEA") << false;
    }

    void csr()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, ok);
        auto r = decodeCsrBody(body);
        QCOMPARE(bool(r), ok);
        if (ok)
            QCOMPARE(*r->toDer(), m_csrDer);
    }

    void certsOnly_roundTrip_andGarbage()
    {
        QTemporaryDir dir;
        auto ws = Workspace::open(dir.path());
        auto vault = Vault::create(*ws, "correct horse battery staple");
        auto ca = crypto::CertificateAuthority::createRoot(*ws, *vault, {});
        QVERIFY(ca);
        auto body = encodeCertsOnlyBody({ca->certificate()});
        QVERIFY(body);
        auto certs = decodeCertsOnlyBody(*body);
        QVERIFY(certs);
        QCOMPARE(certs->size(), 1);
        QCOMPARE(certs->first().fingerprint(), ca->certificate().fingerprint());
        QVERIFY(!decodeCertsOnlyBody("AAAA"));
        QVERIFY(!decodeCertsOnlyBody(m_csrDer.toBase64()));
        QVERIFY(!decodeCertsOnlyBody("not base64"));
    }

    void basicAuth_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QByteArray>("password");
        QTest::newRow("ok") << QByteArray("Basic " + QByteArray("dev-1:s3cret").toBase64()) << true
                            << QStringLiteral("dev-1") << QByteArray("s3cret");
        QTest::newRow("scheme case") << QByteArray("bAsIc " + QByteArray("a:b").toBase64()) << true
                                     << QStringLiteral("a") << QByteArray("b");
        QTest::newRow("colon in password") << QByteArray("Basic " + QByteArray("a:b:c").toBase64())
                                           << true << QStringLiteral("a") << QByteArray("b:c");
        QTest::newRow("empty password") << QByteArray("Basic " + QByteArray("a:").toBase64())
                                        << true << QStringLiteral("a") << QByteArray();
        QTest::newRow("no colon") << QByteArray("Basic " + QByteArray("ab").toBase64()) << false
                                  << QString() << QByteArray();
        QTest::newRow("bearer") << QByteArray("Bearer abc") << false << QString() << QByteArray();
        QTest::newRow("no credentials")
            << QByteArray("Basic") << false << QString() << QByteArray();
        QTest::newRow("not base64")
            << QByteArray("Basic ***") << false << QString() << QByteArray();
    }

    void basicAuth()
    {
        QFETCH(QByteArray, header);
        QFETCH(bool, ok);
        QFETCH(QString, user);
        QFETCH(QByteArray, password);
        auto r = parseBasicAuth(header);
        QCOMPARE(r.has_value(), ok);
        if (ok) {
            QCOMPARE(r->user, user);
            QCOMPARE(r->password, password);
            QCOMPARE(parseBasicAuth(basicAuthHeader(user, password))->password, password);
        }
    }
};

QTEST_GUILESS_MAIN(tst_EstCodec)
#include "tst_estcodec.moc"
