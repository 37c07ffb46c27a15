#include "app/storage/passphrase.h"
#include "app/storage/vault.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace provbench;

class tst_Vault : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_n = 0;

    Workspace freshWorkspace()
    {
        auto ws = Workspace::open(m_dir.filePath(QStringLiteral("ws%1").arg(++m_n)));
        Q_ASSERT(ws);
        return *ws;
    }

private Q_SLOTS:
    void create_thenUnlock_withSamePassphrase()
    {
        const Workspace ws = freshWorkspace();
        QVERIFY(!Vault::exists(ws));
        auto vault = Vault::create(ws, "twelve chars ok");
        QVERIFY2(vault, qPrintable(vault ? QString() : vault.error().message));
        QVERIFY(Vault::exists(ws));
        // Owner read/write only: no group or other bits (0600).
        const auto perms = QFile::permissions(Vault::filePath(ws));
        QVERIFY(perms.testFlag(QFileDevice::ReadOwner) && perms.testFlag(QFileDevice::WriteOwner));
        QVERIFY(!(perms
            & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteGroup
                | QFileDevice::WriteOther)));
        auto again = Vault::unlock(ws, "twelve chars ok");
        QVERIFY(again);
        // The file names its parameters and never holds the passphrase.
        QFile f(Vault::filePath(ws));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY(text.contains("scrypt"));
        QVERIFY(!text.contains("twelve chars ok"));
    }

    void unlock_wrongPassphrase_isDetected()
    {
        const Workspace ws = freshWorkspace();
        QVERIFY(Vault::create(ws, "the right passphrase"));
        auto vault = Vault::unlock(ws, "the wrong passphrase");
        QVERIFY(!vault);
        QCOMPARE(vault.error().code, Error::Code::InvalidArgument);
        QVERIFY(vault.error().message.contains(u"does not unlock the vault"));
    }

    void unlock_withoutVault_saysHowToCreateOne()
    {
        auto vault = Vault::unlock(freshWorkspace(), "some passphrase");
        QVERIFY(!vault);
        QCOMPARE(vault.error().code, Error::Code::NotFound);
        QVERIFY(vault.error().message.contains(u"ca init"));
    }

    void create_shortPassphrase_isRefused()
    {
        auto vault = Vault::create(freshWorkspace(), "short");
        QVERIFY(!vault);
        QVERIFY(vault.error().message.contains(u"at least 12 characters"));
    }

    void create_existingVault_isNotReplaced()
    {
        const Workspace ws = freshWorkspace();
        QVERIFY(Vault::create(ws, "first passphrase"));
        QVERIFY(!Vault::create(ws, "second passphrase"));
        QVERIFY(Vault::unlock(ws, "first passphrase"));
    }

    void unlock_tamperedParameters_isRefusedAsDamaged()
    {
        const Workspace ws = freshWorkspace();
        QVERIFY(Vault::create(ws, "some passphrase!"));
        QFile f(Vault::filePath(ws));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray text = f.readAll();
        f.close();
        text.replace("\"N\": 32768", "\"N\": 1073741824");
        QVERIFY(Workspace::writeFile(Vault::filePath(ws), text));
        auto vault = Vault::unlock(ws, "some passphrase!");
        QVERIFY(!vault);
        QVERIFY(vault.error().message.contains(u"damaged"));
    }

    void secrets_sealAndOpen_roundTrip()
    {
        const Workspace ws = freshWorkspace();
        auto vault = Vault::create(ws, "seal secrets ok");
        QVERIFY(vault);
        auto sealed = vault->sealSecret("00112233445566778899aabbccddeeff", QStringLiteral("psk"));
        QVERIFY(sealed && sealed->startsWith("pbv1:"));
        QVERIFY(!sealed->contains("00112233"));
        auto again = vault->sealSecret("00112233445566778899aabbccddeeff", QStringLiteral("psk"));
        QVERIFY(*again != *sealed); // fresh nonce each time
        auto plain = vault->openSecret(*sealed, QStringLiteral("psk"));
        QVERIFY(plain);
        QCOMPARE(*plain, QByteArray("00112233445566778899aabbccddeeff"));
        // Another workspace's vault unlocked with another passphrase can't open it.
        auto other = Vault::create(freshWorkspace(), "another passphrase");
        QVERIFY(!other->openSecret(*sealed, QStringLiteral("psk")));
    }

    void secrets_otherContextOrAlteredValue_doesNotOpen()
    {
        auto vault = Vault::create(freshWorkspace(), "context binding");
        auto sealed = vault->sealSecret("wifi-pass", QStringLiteral("profile/a/wifi"));
        QVERIFY(!vault->openSecret(*sealed, QStringLiteral("profile/b/wifi")));
        QByteArray raw = QByteArray::fromBase64(sealed->mid(5));
        raw[raw.size() - 1] = char(raw[raw.size() - 1] ^ 1);
        QVERIFY(!vault->openSecret("pbv1:" + raw.toBase64(), QStringLiteral("profile/a/wifi")));
        QVERIFY(!vault->openSecret("plain text", QStringLiteral("profile/a/wifi")));
    }

    void privateKeys_areWrittenEncryptedUnderThePassphrase()
    {
        const Workspace ws = freshWorkspace();
        auto vault = Vault::create(ws, "key passphrase!");
        auto key = crypto::Key::generate(crypto::KeyAlgorithm::EcP256);
        const QString path = ws.filePath(QStringLiteral("keys/dev.pem"));
        QVERIFY(vault->writePrivateKey(path, *key));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        auto back = vault->readPrivateKey(path);
        QVERIFY(back && back->samePublicKey(*key));
        QVERIFY(crypto::Key::fromEncryptedPem(*Workspace::readFile(path), "key passphrase!"));
    }

    void chain_noSource_failsClosedWithWhatToDo()
    {
        qunsetenv("PROVBENCH_TEST_NO_SUCH_VAR");
        PassphraseChain chain;
        chain.append(std::make_unique<EnvironmentSource>("PROVBENCH_TEST_NO_SUCH_VAR"));
        auto pass = chain.passphrase();
        QVERIFY(!pass);
        QVERIFY2(pass.error().message.startsWith(
                     u"No vault passphrase: set $PROVBENCH_PASSPHRASE, pipe it on stdin, or "
                     u"store it in the keyring."),
            qPrintable(pass.error().message));
    }

    void chain_takesFirstSourceThatHasOne()
    {
        qputenv("PROVBENCH_TEST_PASS_B", "from b");
        qunsetenv("PROVBENCH_TEST_PASS_A");
        PassphraseChain chain;
        chain.append(std::make_unique<EnvironmentSource>("PROVBENCH_TEST_PASS_A"));
        chain.append(std::make_unique<EnvironmentSource>("PROVBENCH_TEST_PASS_B"));
        auto pass = chain.passphrase();
        QVERIFY(pass);
        QCOMPARE(*pass, QByteArray("from b"));
    }

    void keychain_withoutKeyring_failsClearlyAndFast()
    {
        // In CI there is no Secret Service: the source must fail with a reason
        // (or, on a desktop, find nothing for this made-up workspace), never
        // return an empty passphrase.
        KeychainSource source(m_dir.filePath(QStringLiteral("no-such-workspace")), 5000);
        QElapsedTimer t;
        t.start();
        auto pass = source.passphrase();
        QVERIFY(t.elapsed() < 8000);
        QVERIFY(!pass);
        QVERIFY(!pass.error().message.isEmpty());
        qInfo("keyring: %s", qPrintable(pass.error().message));
    }
};

QTEST_GUILESS_MAIN(tst_Vault)
#include "tst_vault.moc"
