#include "app/crypto/certificateauthority.h"
#include "app/crypto/inspect.h"
#include "app/crypto/pkcs12.h"

#include "opensslcli.h"

#include <QTemporaryDir>
#include <QTest>

using namespace provbench;
using namespace provbench::crypto;
using provbench::testing::openssl;

// What inspection reports for the files users bring: each row is an input
// and the facts and warnings it must produce.
class tst_Inspect : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QMap<QString, QByteArray> m_files;

    static QByteArray pem(const Certificate &c) { return *c.toPem(); }

    QByteArray opensslSelfSigned(
        const QString &name, const QStringList &keyArgs, const QStringList &extra = {})
    {
        const QString key = m_dir.filePath(name + QStringLiteral(".key"));
        const QString cert = m_dir.filePath(name + QStringLiteral(".pem"));
        QStringList args{QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-nodes"),
            QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert, QStringLiteral("-days"),
            QStringLiteral("30"), QStringLiteral("-subj"), QStringLiteral("/CN=") + name};
        args << keyArgs << extra;
        auto r = openssl(args);
        if (r.exitCode != 0)
            qWarning("openssl: %s", qPrintable(r.output));
        return *Workspace::readFile(cert);
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!testing::haveOpenssl())
            QSKIP("the openssl command-line tool is not installed");
        auto ws1 = Workspace::open(m_dir.filePath(QStringLiteral("a")));
        auto ws2 = Workspace::open(m_dir.filePath(QStringLiteral("b")));
        auto v1 = Vault::create(*ws1, "inspection tests");
        auto v2 = Vault::create(*ws2, "inspection tests");
        // Two roots with the same name: a leaf of one "names" the other as issuer.
        auto caA = CertificateAuthority::createRoot(*ws1, *v1, {});
        auto caB = CertificateAuthority::createRoot(*ws2, *v2, {});
        QVERIFY(caA && caB);
        auto leafKey = Key::generate(KeyAlgorithm::EcP256);
        auto leaf = caA->issue(*leafKey, {QStringLiteral("CN=leaf"), {}, 30, true, false});
        auto longLeaf = caA->issue(*leafKey, {QStringLiteral("CN=long"), {}, 1000, true, false});
        QVERIFY(leaf && longLeaf);
        // An intermediate of A issues a second-level leaf.
        auto ws3 = Workspace::open(m_dir.filePath(QStringLiteral("c")));
        auto v3 = Vault::create(*ws3, "inspection tests");
        auto inter = CertificateAuthority::createIntermediate(*ws3, *v3,
            {QStringLiteral("CN=Inter"), KeyAlgorithm::EcP256, 100}, caA->certificate(),
            caA->key());
        QVERIFY(inter);
        auto deep = inter->issue(*leafKey, {QStringLiteral("CN=deep"), {}, 30, true, false});
        QVERIFY(deep);

        const QByteArray root = pem(caA->certificate());
        m_files[QStringLiteral("leaf")] = pem(*leaf);
        m_files[QStringLiteral("good chain")] = pem(*deep) + pem(inter->certificate()) + root;
        m_files[QStringLiteral("misordered")] = root + pem(*deep) + pem(inter->certificate());
        m_files[QStringLiteral("broken chain")] = pem(*leaf) + pem(caB->certificate());
        m_files[QStringLiteral("long leaf")] = pem(*longLeaf) + root;
        m_files[QStringLiteral("der")] = *leaf->toDer();
        m_files[QStringLiteral("encrypted key")]
            = pem(*leaf) + *leafKey->toEncryptedPkcs8Pem("key password");
        m_files[QStringLiteral("p12")]
            = *makePkcs12(*leafKey, *leaf, {caA->certificate()}, "p12 password");
        m_files[QStringLiteral("csr")]
            = *CertificateRequest::create(*leafKey, QStringLiteral("CN=req"))->toPem();
        m_files[QStringLiteral("sha1")] = opensslSelfSigned(QStringLiteral("sha1"),
            {QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-sha1")});
        m_files[QStringLiteral("rsa1024")] = opensslSelfSigned(
            QStringLiteral("rsa1024"), {QStringLiteral("-newkey"), QStringLiteral("rsa:1024")});
        m_files[QStringLiteral("p192")] = opensslSelfSigned(QStringLiteral("p192"),
            {QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                QStringLiteral("ec_paramgen_curve:P-192")});
        m_files[QStringLiteral("plain key")] = m_files[QStringLiteral("rsa1024")]
            + *Workspace::readFile(m_dir.filePath(QStringLiteral("rsa1024.key")));
    }

    void inspect_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("password");
        QTest::addColumn<int>("nowOffsetDays");
        QTest::addColumn<int>("certificates");
        QTest::addColumn<int>("chainOrdered");     // -1: not checked
        QTest::addColumn<QStringList>("warnings"); // substrings that must appear
        QTest::addColumn<int>("warningCount");     // -1: not checked

        const QStringList none;
        QTest::newRow("good chain: no warnings")
            << QStringLiteral("good chain") << QByteArray() << 0 << 3 << 1 << none << 0;
        QTest::newRow("misordered chain: links verify, order reported")
            << QStringLiteral("misordered") << QByteArray() << 0 << 3 << 0 << none << 0;
        QTest::newRow("broken chain: same issuer name, other key")
            << QStringLiteral("broken chain") << QByteArray() << 0 << 2 << 0
            << QStringList{QStringLiteral("chain is broken")} << 1;
        QTest::newRow("expired") << QStringLiteral("leaf") << QByteArray() << 400 << 1 << 1
                                 << QStringList{QStringLiteral("expired on")} << 1;
        QTest::newRow("not yet valid") << QStringLiteral("leaf") << QByteArray() << -1 << 1 << 1
                                       << QStringList{QStringLiteral("not valid yet")} << 1;
        QTest::newRow("leaf valid over 825 days")
            << QStringLiteral("long leaf") << QByteArray() << 0 << 2 << 1
            << QStringList{QStringLiteral("more than 825")} << 1;
        QTest::newRow("sha1 signature") << QStringLiteral("sha1") << QByteArray() << 0 << 1 << 1
                                        << QStringList{QStringLiteral("signed with SHA1")} << 1;
        QTest::newRow("rsa 1024") << QStringLiteral("rsa1024") << QByteArray() << 0 << 1 << 1
                                  << QStringList{QStringLiteral("weak RSA key of 1024 bits")} << 1;
        QTest::newRow("ec p-192") << QStringLiteral("p192") << QByteArray() << 0 << 1 << 1
                                  << QStringList{QStringLiteral("weak EC curve of 192 bits")} << 1;
        QTest::newRow("unencrypted key next to its certificate")
            << QStringLiteral("plain key") << QByteArray() << 0 << 1 << 1
            << QStringList{QStringLiteral("unencrypted private key")} << -1;
        QTest::newRow("der certificate")
            << QStringLiteral("der") << QByteArray() << 0 << 1 << -1 << none << 0;
        QTest::newRow("encrypted key, no password")
            << QStringLiteral("encrypted key") << QByteArray() << 0 << 1 << -1 << none << 0;
        QTest::newRow("encrypted key, password")
            << QStringLiteral("encrypted key") << QByteArray("key password") << 0 << 1 << -1 << none
            << 0;
        QTest::newRow("pkcs12 with password")
            << QStringLiteral("p12") << QByteArray("p12 password") << 0 << 2 << 1 << none << 0;
        QTest::newRow("signing request")
            << QStringLiteral("csr") << QByteArray() << 0 << 0 << -1 << none << 0;
    }
    void inspect()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, password);
        QFETCH(int, nowOffsetDays);
        QFETCH(int, certificates);
        QFETCH(int, chainOrdered);
        QFETCH(QStringList, warnings);
        QFETCH(int, warningCount);
        QVERIFY(m_files.contains(file));
        const auto pw = password.isEmpty() ? std::nullopt : std::optional<QByteArray>(password);
        auto report = crypto::inspect(
            m_files.value(file), pw, QDateTime::currentDateTimeUtc().addDays(nowOffsetDays));
        QVERIFY2(report, qPrintable(report ? QString() : report.error().message));
        const QString all = report->warnings.join(u'\n');
        QCOMPARE(report->certificates.size(), certificates);
        if (chainOrdered >= 0)
            QCOMPARE(report->chainOrdered, bool(chainOrdered));
        for (const QString &w : warnings)
            QVERIFY2(all.contains(w), qPrintable(all));
        if (warningCount >= 0)
            QVERIFY2(report->warnings.size() == warningCount, qPrintable(all));
    }

    void inspect_keyMatch_isReported()
    {
        auto report
            = crypto::inspect(m_files.value(QStringLiteral("encrypted key")), "key password");
        QVERIFY(report);
        QCOMPARE(report->keys.size(), 1);
        QCOMPARE(report->certificates.at(0).keyIndex, 0);
        QVERIFY(!report->keys.at(0).publicKeyFingerprint.isEmpty());
        auto locked = crypto::inspect(m_files.value(QStringLiteral("encrypted key")));
        QVERIFY(locked && locked->keys.at(0).encrypted);
        QCOMPARE(locked->certificates.at(0).keyIndex, -1);
    }

    void inspect_certificateFields()
    {
        auto report = crypto::inspect(m_files.value(QStringLiteral("good chain")));
        QVERIFY(report);
        const CertificateInfo &leaf = report->certificates.at(0);
        QCOMPARE(leaf.subject, QStringLiteral("CN=deep"));
        QCOMPARE(leaf.issuer, QStringLiteral("CN=Inter"));
        QCOMPARE(leaf.keyType, QStringLiteral("EC P-256"));
        QCOMPARE(leaf.signatureAlgorithm, QStringLiteral("ecdsa-with-SHA256"));
        QVERIFY(!leaf.isCa);
        QVERIFY(report->certificates.at(1).isCa);
        QVERIFY(leaf.daysLeft >= 29 && leaf.daysLeft <= 30);
        QCOMPARE(report->certificates.at(2).issuerIndex, 2); // self-signed root
        QVERIFY(!report->toJson().isEmpty());
    }

    void inspect_refusals_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("empty");
        QTest::newRow("over 1 MiB") << QByteArray((1 << 20) + 1, 'A') << QStringLiteral("1 MiB");
        QTest::newRow("garbage") << QByteArray("\x01\x02garbage") << QStringLiteral("neither PEM");
        QTest::newRow("pem with damaged block")
            << QByteArray("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n")
            << QStringLiteral("could not be");
        QTest::newRow("unknown pem block")
            << QByteArray("-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n")
            << QStringLiteral("not something ProvBench inspects");
    }
    void inspect_refusals()
    {
        QFETCH(QByteArray, data);
        QFETCH(QString, message);
        auto report = crypto::inspect(data);
        QVERIFY(!report);
        QVERIFY2(report.error().message.contains(message), qPrintable(report.error().message));
    }

    void inspect_pkcs12WithoutPassword_asksForIt()
    {
        auto report = crypto::inspect(m_files.value(QStringLiteral("p12")));
        QVERIFY(!report);
        QVERIFY(report.error().message.contains(u"password"));
        auto wrong = crypto::inspect(m_files.value(QStringLiteral("p12")), "nope");
        QVERIFY(!wrong);
        QVERIFY(wrong.error().message.contains(u"password does not open"));
    }
};

QTEST_GUILESS_MAIN(tst_Inspect)
#include "tst_inspect.moc"
