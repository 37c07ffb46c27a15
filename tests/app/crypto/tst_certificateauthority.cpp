#include "app/crypto/certificateauthority.h"
#include "app/crypto/pkcs12.h"

#include "opensslcli.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace provbench;
using namespace provbench::crypto;
using provbench::testing::openssl;

namespace {

const QByteArray kPass = "vault passphrase for tests";

} // namespace

class tst_CertificateAuthority : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_n = 0;

    struct Fixture
    {
        Workspace ws;
        Vault vault;
    };

    Fixture fresh()
    {
        auto ws = Workspace::open(m_dir.filePath(QStringLiteral("ws%1").arg(++m_n)));
        auto vault = Vault::create(*ws, kPass);
        Q_ASSERT(ws && vault);
        return {*ws, std::move(*vault)};
    }

    QString write(const QString &name, const QByteArray &data)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(data);
        return path;
    }

    // A root CA made with the openssl CLI, its key encrypted with `pass`.
    std::pair<QString, QString> opensslRoot(const QString &tag, const QString &pass, bool ca = true)
    {
        const QString plainKey = m_dir.filePath(tag + QStringLiteral(".plain.key"));
        const QString key = m_dir.filePath(tag + QStringLiteral(".key"));
        const QString cert = m_dir.filePath(tag + QStringLiteral(".pem"));
        auto r = openssl({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
            QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
            QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
            QStringLiteral("-keyout"), plainKey, QStringLiteral("-out"), cert,
            QStringLiteral("-days"), QStringLiteral("30"), QStringLiteral("-subj"),
            QStringLiteral("/CN=Outside ") + tag, QStringLiteral("-addext"),
            ca ? QStringLiteral("basicConstraints=critical,CA:TRUE")
               : QStringLiteral("basicConstraints=critical,CA:FALSE"),
            QStringLiteral("-addext"),
            QStringLiteral("keyUsage=critical,keyCertSign,cRLSign,digitalSignature")});
        if (r.exitCode != 0)
            qWarning("%s", qPrintable(r.output));
        r = openssl({QStringLiteral("pkcs8"), QStringLiteral("-topk8"), QStringLiteral("-v2"),
            QStringLiteral("aes-256-cbc"), QStringLiteral("-in"), plainKey, QStringLiteral("-out"),
            key, QStringLiteral("-passout"), QStringLiteral("pass:") + pass});
        QFile::remove(plainKey);
        return {cert, key};
    }

    static QByteArray read(const QString &path) { return *Workspace::readFile(path); }

    // openssl verify, x509 -text and -purpose on an issued certificate.
    void checkLeafWithOpenssl(
        const QString &caFile, const QString &untrusted, const Certificate &leaf, bool rsa)
    {
        const QString leafFile = write(QStringLiteral("leaf%1.pem").arg(++m_n), *leaf.toPem());
        QStringList verify{QStringLiteral("verify"), QStringLiteral("-CAfile"), caFile};
        if (!untrusted.isEmpty())
            verify << QStringLiteral("-untrusted") << untrusted;
        verify << leafFile;
        auto r = openssl(verify);
        QVERIFY2(r.exitCode == 0 && r.output.contains(u": OK"), qPrintable(r.output));
        r = openssl({QStringLiteral("x509"), QStringLiteral("-in"), leafFile,
            QStringLiteral("-noout"), QStringLiteral("-text")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.output.contains(u"CA:FALSE"), qPrintable(r.output));
        QVERIFY(r.output.contains(u"Digital Signature"));
        QCOMPARE(r.output.contains(u"Key Encipherment"), rsa);
        QVERIFY(r.output.contains(u"TLS Web Client Authentication"));
        QVERIFY(r.output.contains(u"X509v3 Subject Key Identifier"));
        QVERIFY(r.output.contains(u"X509v3 Authority Key Identifier"));
        r = openssl({QStringLiteral("x509"), QStringLiteral("-in"), leafFile,
            QStringLiteral("-noout"), QStringLiteral("-purpose")});
        QVERIFY2(r.output.contains(u"SSL client : Yes"), qPrintable(r.output));
        r = openssl({QStringLiteral("x509"), QStringLiteral("-in"), leafFile,
            QStringLiteral("-noout"), QStringLiteral("-checkend"), QStringLiteral("86400")});
        QCOMPARE(r.exitCode, 0);
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!testing::haveOpenssl())
            QSKIP("the openssl command-line tool is not installed");
    }

    void root_issuesLeaf_thatOpensslVerifies_data()
    {
        QTest::addColumn<KeyAlgorithm>("caKey");
        QTest::addColumn<KeyAlgorithm>("leafKey");
        QTest::newRow("ec-p256/ec-p256") << KeyAlgorithm::EcP256 << KeyAlgorithm::EcP256;
        QTest::newRow("ec-p384/rsa-2048") << KeyAlgorithm::EcP384 << KeyAlgorithm::Rsa2048;
        QTest::newRow("ed25519/ed25519") << KeyAlgorithm::Ed25519 << KeyAlgorithm::Ed25519;
        QTest::newRow("rsa-2048/ec-p384") << KeyAlgorithm::Rsa2048 << KeyAlgorithm::EcP384;
    }
    void root_issuesLeaf_thatOpensslVerifies()
    {
        QFETCH(KeyAlgorithm, caKey);
        QFETCH(KeyAlgorithm, leafKey);
        Fixture f = fresh();
        auto ca = CertificateAuthority::createRoot(
            f.ws, f.vault, {QStringLiteral("CN=Test Root,O=Bench"), caKey, 365});
        QVERIFY2(ca, qPrintable(ca ? QString() : ca.error().message));
        QVERIFY(ca->certificate().isCa());
        QVERIFY(ca->certificate().isSelfIssued());
        const QString caFile = CertificateAuthority::directory(f.ws) + QStringLiteral("/ca.pem");
        auto r = openssl({QStringLiteral("x509"), QStringLiteral("-in"), caFile,
            QStringLiteral("-noout"), QStringLiteral("-text")});
        QVERIFY(r.output.contains(u"X509v3 Basic Constraints: critical"));
        QVERIFY(r.output.contains(u"CA:TRUE"));
        QVERIFY(r.output.contains(u"Certificate Sign, CRL Sign"));

        auto key = Key::generate(leafKey);
        IssueOptions opts;
        opts.subject = QStringLiteral("CN=dev-1,O=Bench");
        opts.sans = {{SubjectAltName::Type::Dns, QStringLiteral("dev-1.local")},
            {SubjectAltName::Type::Ip, QStringLiteral("10.1.2.3")}};
        opts.days = 30;
        auto leaf = ca->issue(*key, opts);
        QVERIFY2(leaf, qPrintable(leaf ? QString() : leaf.error().message));
        QCOMPARE(leaf->subjectAltNames(), opts.sans);
        QVERIFY(leaf->isIssuedBy(ca->certificate()));
        QVERIFY(leaf->notBefore() < QDateTime::currentDateTimeUtc());
        // 16 random bytes, positive: at least 64 bits of serial entropy.
        QCOMPARE(leaf->serialHex().size(), 32);
        checkLeafWithOpenssl(caFile, QString(), *leaf, leafKey == KeyAlgorithm::Rsa2048);
    }

    void issue_recordsEachCertificate_andSerialsDiffer()
    {
        Fixture f = fresh();
        auto ca = CertificateAuthority::createRoot(f.ws, f.vault, {});
        auto key = Key::generate(KeyAlgorithm::EcP256);
        IssueOptions opts;
        opts.subject = QStringLiteral("CN=a");
        auto a = ca->issue(*key, opts);
        auto b = ca->issue(*key, opts);
        QVERIFY(a && b);
        QVERIFY(a->serialHex() != b->serialHex());
        auto records = ca->issued();
        QVERIFY(records);
        QCOMPARE(records->size(), 2);
        QCOMPARE(records->at(0).serial, a->serialHex());
        QCOMPARE(records->at(1).fingerprint, b->fingerprint());
        QCOMPARE(records->at(1).publicKeyFingerprint, key->fingerprint());
        QCOMPARE(records->at(0).subject, QStringLiteral("CN=a"));
    }

    void issue_serverAuth_addsThatPurpose()
    {
        Fixture f = fresh();
        auto ca = CertificateAuthority::createRoot(f.ws, f.vault, {});
        IssueOptions opts;
        opts.subject = QStringLiteral("CN=srv");
        opts.serverAuth = true;
        auto leaf = ca->issue(*Key::generate(KeyAlgorithm::EcP256), opts);
        const QString file = write(QStringLiteral("srv.pem"), *leaf->toPem());
        auto r = openssl({QStringLiteral("x509"), QStringLiteral("-in"), file,
            QStringLiteral("-noout"), QStringLiteral("-purpose")});
        QVERIFY(r.output.contains(u"SSL server : Yes"));
        QVERIFY(r.output.contains(u"SSL client : Yes"));
    }

    void issue_fromOpensslCsr_keepsItsNamesAndVerifies()
    {
        Fixture f = fresh();
        auto ca = CertificateAuthority::createRoot(f.ws, f.vault, {});
        const QString key = m_dir.filePath(QStringLiteral("csr.key"));
        const QString csr = m_dir.filePath(QStringLiteral("dev.csr"));
        auto r = openssl({QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-newkey"),
            QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
            QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
            QStringLiteral("-keyout"), key, QStringLiteral("-out"), csr, QStringLiteral("-subj"),
            QStringLiteral("/CN=from-csr"), QStringLiteral("-addext"),
            QStringLiteral("subjectAltName=DNS:from-csr.local")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        auto request = CertificateRequest::parse(read(csr));
        QVERIFY(request && request->verifySignature());
        auto leaf = ca->issue(*request, IssueOptions{});
        QVERIFY2(leaf, qPrintable(leaf ? QString() : leaf.error().message));
        QCOMPARE(leaf->subject(), QStringLiteral("CN=from-csr"));
        QCOMPARE(leaf->subjectAltNames().value(0).value, QStringLiteral("from-csr.local"));
        checkLeafWithOpenssl(CertificateAuthority::directory(f.ws) + QStringLiteral("/ca.pem"),
            QString(), *leaf, false);
    }

    void intermediate_signedByOutsideRoot_chainsInOpenssl()
    {
        auto [rootCert, rootKey]
            = opensslRoot(QStringLiteral("root1"), QStringLiteral("parentpass"));
        Fixture f = fresh();
        auto parent = Certificate::parse(read(rootCert));
        auto parentKey = Key::fromEncryptedPem(read(rootKey), "parentpass");
        QVERIFY(parent && parentKey);
        auto ca = CertificateAuthority::createIntermediate(f.ws, f.vault,
            {QStringLiteral("CN=Bench Intermediate"), KeyAlgorithm::EcP256, 3650}, *parent,
            *parentKey);
        QVERIFY2(ca, qPrintable(ca ? QString() : ca.error().message));
        QVERIFY(ca->certificate().isCa());
        QCOMPARE(ca->chain().size(), 2);
        // Never outlives the parent (30 days).
        QVERIFY(ca->certificate().notAfter() <= parent->notAfter());
        auto leaf = ca->issue(*Key::generate(KeyAlgorithm::EcP256),
            IssueOptions{QStringLiteral("CN=behind-intermediate"), {}, 10, true, false});
        QVERIFY(leaf);
        checkLeafWithOpenssl(rootCert,
            CertificateAuthority::directory(f.ws) + QStringLiteral("/ca.pem"), *leaf, false);
        // Reopening finds the parent in chain.pem.
        auto reopened = CertificateAuthority::open(f.ws, f.vault);
        QVERIFY(reopened);
        QCOMPARE(reopened->chain().size(), 2);
    }

    void intermediate_withMismatchedParentKey_isRefused()
    {
        auto [rootCert, rootKey] = opensslRoot(QStringLiteral("root2"), QStringLiteral("p2pass"));
        auto [otherCert, otherKey] = opensslRoot(QStringLiteral("root3"), QStringLiteral("p3pass"));
        Fixture f = fresh();
        auto ca = CertificateAuthority::createIntermediate(f.ws, f.vault, {},
            *Certificate::parse(read(rootCert)), *Key::fromEncryptedPem(read(otherKey), "p3pass"));
        QVERIFY(!ca);
        QVERIFY(ca.error().message.contains(u"does not belong"));
        QVERIFY(!CertificateAuthority::exists(f.ws));
    }

    void import_existingCa_reencryptsKeyUnderVault()
    {
        auto [cert, key] = opensslRoot(QStringLiteral("imp"), QStringLiteral("import pass"));
        Fixture f = fresh();
        auto wrong = CertificateAuthority::importExisting(
            f.ws, f.vault, read(cert), read(key), "not the pass");
        QVERIFY(!wrong);
        QVERIFY(wrong.error().message.contains(u"does not unlock"));
        auto ca = CertificateAuthority::importExisting(
            f.ws, f.vault, read(cert), read(key), "import pass");
        QVERIFY2(ca, qPrintable(ca ? QString() : ca.error().message));
        // The stored key opens with the vault passphrase, in openssl too.
        const QString stored
            = CertificateAuthority::directory(f.ws) + QStringLiteral("/ca.key.pem");
        auto r = openssl({QStringLiteral("pkcs8"), QStringLiteral("-in"), stored,
                             QStringLiteral("-passin"), QStringLiteral("env:PB_TEST_PASS")},
            {{QStringLiteral("PB_TEST_PASS"), QString::fromUtf8(kPass)}});
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        QVERIFY(CertificateAuthority::open(f.ws, f.vault));
    }

    void import_nonCaOrMismatch_isRefused()
    {
        auto [leafCert, leafKey]
            = opensslRoot(QStringLiteral("nonca"), QStringLiteral("pw pw"), false);
        auto [caCert, caKey] = opensslRoot(QStringLiteral("ca4"), QStringLiteral("pw pw"));
        Fixture f = fresh();
        auto notCa = CertificateAuthority::importExisting(
            f.ws, f.vault, read(leafCert), read(leafKey), "pw pw");
        QVERIFY(!notCa);
        QVERIFY(notCa.error().message.contains(u"not a CA"));
        auto mismatch = CertificateAuthority::importExisting(
            f.ws, f.vault, read(caCert), read(leafKey), "pw pw");
        QVERIFY(!mismatch);
        QVERIFY(mismatch.error().message.contains(u"does not belong"));
    }

    void caKey_onDisk_isScryptAes256Pkcs8()
    {
        Fixture f = fresh();
        QVERIFY(CertificateAuthority::createRoot(f.ws, f.vault, {}));
        const QString keyFile
            = CertificateAuthority::directory(f.ws) + QStringLiteral("/ca.key.pem");
        QVERIFY(read(keyFile).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        auto r = openssl({QStringLiteral("asn1parse"), QStringLiteral("-in"), keyFile});
        QVERIFY(r.output.contains(u":PBES2"));
        QVERIFY(r.output.contains(u":scrypt"));
        QVERIFY(r.output.contains(u":aes-256-cbc"));
        r = openssl({QStringLiteral("pkcs8"), QStringLiteral("-in"), keyFile,
                        QStringLiteral("-passin"), QStringLiteral("env:PB_TEST_PASS")},
            {{QStringLiteral("PB_TEST_PASS"), QString::fromUtf8(kPass)}});
        QVERIFY2(r.exitCode == 0 && r.output.contains(u"BEGIN PRIVATE KEY"), qPrintable(r.output));
        r = openssl({QStringLiteral("pkcs8"), QStringLiteral("-in"), keyFile,
            QStringLiteral("-passin"), QStringLiteral("pass:wrong passphrase")});
        QVERIFY(r.exitCode != 0);
        const auto perms = QFile::permissions(keyFile);
        QVERIFY(!(perms
            & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteGroup
                | QFileDevice::WriteOther)));
    }

    void open_withAnotherVaultPassphrase_fails_andCaIsNeverOverwritten()
    {
        Fixture f = fresh();
        QVERIFY(CertificateAuthority::createRoot(f.ws, f.vault, {}));
        auto again = CertificateAuthority::createRoot(f.ws, f.vault, {});
        QVERIFY(!again);
        QVERIFY(again.error().message.contains(u"never overwritten"));
        auto other = Vault::create(
            *Workspace::open(m_dir.filePath(QStringLiteral("other"))), "a different passphrase");
        auto ca = CertificateAuthority::open(f.ws, *other);
        QVERIFY(!ca);
        QVERIFY(ca.error().message.contains(u"does not unlock"));
    }

    void pkcs12_roundTrip_andOpensslReadsIt()
    {
        Fixture f = fresh();
        auto ca = CertificateAuthority::createRoot(f.ws, f.vault, {});
        auto key = Key::generate(KeyAlgorithm::EcP256);
        auto leaf = ca->issue(*key, IssueOptions{QStringLiteral("CN=p12"), {}, 30, true, false});
        QVERIFY(!makePkcs12(*key, *leaf, ca->chain(), QByteArray()));
        auto p12 = makePkcs12(*key, *leaf, ca->chain(), "p12 password", QStringLiteral("p12"));
        QVERIFY2(p12, qPrintable(p12 ? QString() : p12.error().message));
        auto back = parsePkcs12(*p12, "p12 password");
        QVERIFY(back && back->key && back->certificate);
        QVERIFY(back->key->samePublicKey(*key));
        QCOMPARE(back->certificate->fingerprint(), leaf->fingerprint());
        QCOMPARE(back->chain.size(), 1);
        auto wrong = parsePkcs12(*p12, "wrong");
        QVERIFY(!wrong);
        QVERIFY(wrong.error().message.contains(u"password does not open"));

        const QString file = write(QStringLiteral("dev.p12"), *p12);
        auto r = openssl({QStringLiteral("pkcs12"), QStringLiteral("-info"), QStringLiteral("-in"),
            file, QStringLiteral("-passin"), QStringLiteral("pass:p12 password"),
            QStringLiteral("-noout")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        QVERIFY(r.output.contains(u"MAC: sha256"));
        QVERIFY(r.output.contains(u"AES-256-CBC"));
        r = openssl({QStringLiteral("pkcs12"), QStringLiteral("-info"), QStringLiteral("-in"), file,
            QStringLiteral("-passin"), QStringLiteral("pass:wrong"), QStringLiteral("-noout")});
        QVERIFY(r.exitCode != 0);
    }

    void rsa4096_caOnce()
    {
        // The slow algorithm, exactly once: through the async path as the GUI uses it.
        auto future = Key::generateAsync(KeyAlgorithm::Rsa4096);
        future.waitForFinished();
        auto key = future.result();
        QVERIFY(key);
        QCOMPARE(key->description(), QStringLiteral("RSA 4096"));
    }
};

QTEST_GUILESS_MAIN(tst_CertificateAuthority)
#include "tst_certificateauthority.moc"
