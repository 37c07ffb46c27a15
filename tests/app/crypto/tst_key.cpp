#include "app/crypto/certificateauthority.h"
#include "app/crypto/csr.h"
#include "app/crypto/key.h"
#include "app/crypto/pkcs12.h"

#include <QTemporaryDir>
#include <QTest>

using namespace provbench;
using namespace provbench::crypto;

class tst_Key : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void generate_givesKeyPairOfThatAlgorithm_data()
    {
        QTest::addColumn<KeyAlgorithm>("algorithm");
        QTest::addColumn<QString>("description");
        QTest::addColumn<int>("bits");
        QTest::newRow("ec-p256") << KeyAlgorithm::EcP256 << QStringLiteral("EC P-256") << 256;
        QTest::newRow("ec-p384") << KeyAlgorithm::EcP384 << QStringLiteral("EC P-384") << 384;
        QTest::newRow("ed25519") << KeyAlgorithm::Ed25519 << QStringLiteral("Ed25519") << 256;
        QTest::newRow("rsa-2048") << KeyAlgorithm::Rsa2048 << QStringLiteral("RSA 2048") << 2048;
        QTest::newRow("rsa-3072") << KeyAlgorithm::Rsa3072 << QStringLiteral("RSA 3072") << 3072;
    }
    void generate_givesKeyPairOfThatAlgorithm()
    {
        QFETCH(KeyAlgorithm, algorithm);
        QFETCH(QString, description);
        QFETCH(int, bits);
        auto key = Key::generate(algorithm);
        QVERIFY2(key, qPrintable(key ? QString() : key.error().message));
        QVERIFY(key->hasPrivateKey());
        QCOMPARE(key->description(), description);
        QCOMPARE(key->bits(), bits);
        QCOMPARE(key->algorithm(), std::optional<KeyAlgorithm>(algorithm));
        // The fingerprint is the SHA-256 of the SubjectPublicKeyInfo, and the
        // public key read back from PEM is the same key.
        auto der = key->publicKeyDer();
        QVERIFY(der);
        QCOMPARE(key->fingerprint(), sha256Fingerprint(*der));
        QCOMPARE(key->fingerprint().size(), 32 * 3 - 1);
        auto pem = key->publicKeyPem();
        QVERIFY(pem && pem->startsWith("-----BEGIN PUBLIC KEY-----"));
        auto pub = Key::fromPublicPem(*pem);
        QVERIFY(pub);
        QVERIFY(!pub->hasPrivateKey());
        QVERIFY(pub->samePublicKey(*key));
        QCOMPARE(pub->fingerprint(), key->fingerprint());
    }

    void generateAsync_deliversKeyThroughFuture()
    {
        QFuture<Result<Key>> future = Key::generateAsync(KeyAlgorithm::EcP256);
        future.waitForFinished();
        const Result<Key> key = future.result();
        QVERIFY(key && key->hasPrivateKey());
    }

    void pkcs8_roundTrip_keepsTheKey()
    {
        auto key = Key::generate(KeyAlgorithm::EcP256);
        QVERIFY(key);
        auto pem = key->toEncryptedPkcs8Pem("a long passphrase");
        QVERIFY(pem);
        QVERIFY(pem->startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        auto back = Key::fromEncryptedPem(*pem, "a long passphrase");
        QVERIFY2(back, qPrintable(back ? QString() : back.error().message));
        QVERIFY(back->hasPrivateKey());
        QVERIFY(back->samePublicKey(*key));
    }

    void pkcs8_wrongPassphrase_saysItDoesNotUnlock()
    {
        auto key = Key::generate(KeyAlgorithm::Ed25519);
        auto pem = key->toEncryptedPkcs8Pem("right passphrase");
        QVERIFY(pem);
        auto back = Key::fromEncryptedPem(*pem, "wrong passphrase", QStringLiteral("device.key"));
        QVERIFY(!back);
        QVERIFY2(back.error().message.contains(u"passphrase does not unlock device.key"),
            qPrintable(back.error().message));
    }

    void pkcs8_emptyPassphrase_isRefused()
    {
        auto key = Key::generate(KeyAlgorithm::EcP256);
        QVERIFY(!key->toEncryptedPkcs8Pem(QByteArray()));
    }

    void pkcs8_unencryptedKey_isRefusedOnImport()
    {
        const QByteArray plain = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n"
                                 "-----END PRIVATE KEY-----\n";
        auto back = Key::fromEncryptedPem(plain, "whatever");
        QVERIFY(!back);
        QVERIFY(back.error().message.contains(u"not encrypted"));
    }

    void publicKey_cannotBeExportedAsPrivate()
    {
        auto key = Key::generate(KeyAlgorithm::EcP256);
        auto pub = Key::fromPublicDer(*key->publicKeyDer());
        QVERIFY(pub);
        QVERIFY(!pub->toEncryptedPkcs8Pem("passphrase"));
    }

    void csr_createAndParse_roundTrip()
    {
        auto key = Key::generate(KeyAlgorithm::EcP256);
        const QList<SubjectAltName> sans{{SubjectAltName::Type::Dns, QStringLiteral("gw-1.local")},
            {SubjectAltName::Type::Ip, QStringLiteral("10.0.0.7")},
            {SubjectAltName::Type::Uri, QStringLiteral("urn:dev:gw-1")}};
        auto csr = CertificateRequest::create(*key, QStringLiteral("CN=gw-1,O=Plant 2"), sans);
        QVERIFY2(csr, qPrintable(csr ? QString() : csr.error().message));
        QVERIFY(csr->verifySignature());
        for (auto data : {csr->toPem(), csr->toDer()}) {
            QVERIFY(data);
            auto parsed = CertificateRequest::parse(*data);
            QVERIFY(parsed);
            QCOMPARE(parsed->subject(), QStringLiteral("CN=gw-1, O=Plant 2"));
            QCOMPARE(parsed->subjectAltNames(), sans);
            QVERIFY(parsed->verifySignature());
            QVERIFY(parsed->publicKey()->samePublicKey(*key));
        }
    }

    void csr_ed25519_signsWithoutDigest()
    {
        auto key = Key::generate(KeyAlgorithm::Ed25519);
        auto csr = CertificateRequest::create(*key, QStringLiteral("CN=ed"));
        QVERIFY(csr && csr->verifySignature());
    }

    void csr_alteredRequest_failsVerification()
    {
        auto key = Key::generate(KeyAlgorithm::EcP256);
        auto der = CertificateRequest::create(*key, QStringLiteral("CN=aaaa"))->toDer();
        QByteArray bytes = *der;
        const qsizetype at = bytes.indexOf("aaaa");
        QVERIFY(at > 0);
        bytes[at] = 'b';
        auto parsed = CertificateRequest::parse(bytes);
        QVERIFY(parsed);
        QVERIFY(!parsed->verifySignature());
    }

    void subject_badInput_isAnError_data()
    {
        QTest::addColumn<QString>("subject");
        QTest::newRow("empty") << QString();
        QTest::newRow("no equals") << QStringLiteral("device-1");
        QTest::newRow("unknown attribute") << QStringLiteral("XYZ=1");
        QTest::newRow("empty value") << QStringLiteral("CN=");
        QTest::newRow("country too long") << QStringLiteral("CN=a,C=Germany");
    }
    void subject_badInput_isAnError()
    {
        QFETCH(QString, subject);
        auto name = parseDistinguishedName(subject);
        QVERIFY(!name);
        QVERIFY(!name.error().message.isEmpty());
    }

    void san_parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::newRow("dns") << QStringLiteral("DNS:a.example") << true;
        QTest::newRow("ipv4") << QStringLiteral("IP:192.168.1.1") << true;
        QTest::newRow("ipv6") << QStringLiteral("IP:fe80::1") << true;
        QTest::newRow("uri") << QStringLiteral("URI:urn:x") << true;
        QTest::newRow("bad ip") << QStringLiteral("IP:300.1.1.1") << false;
        QTest::newRow("no type") << QStringLiteral("a.example") << false;
        QTest::newRow("empty") << QStringLiteral("DNS:") << false;
    }
    void san_parse()
    {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        QCOMPARE(bool(SubjectAltName::parse(text)), ok);
    }
};

QTEST_GUILESS_MAIN(tst_Key)
#include "tst_key.moc"
