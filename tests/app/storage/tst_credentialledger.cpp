#include "app/profiles/comparison.h"
#include "app/storage/credentialledger.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace provbench;

class tst_CredentialLedger : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    const QByteArray m_key = QByteArray(32, '\x5a');

    Workspace workspace()
    {
        auto ws = Workspace::open(m_dir.filePath(QStringLiteral("ws")));
        return *ws;
    }

private Q_SLOTS:
    void cleanup() { QDir(m_dir.filePath(QStringLiteral("ws"))).removeRecursively(); }

    void shortKey_isRefused()
    {
        auto ledger = CredentialLedger::open(workspace(), QByteArray(8, 'k'));
        QVERIFY(!ledger);
        QVERIFY(ledger.error().message.contains(u"32 bytes"));
    }

    void sameCredentialOnASecondDevice_isReuse()
    {
        auto ledger = CredentialLedger::open(workspace(), m_key);
        QVERIFY(ledger);
        auto first = ledger->record(CredentialLedger::Kind::Psk, "shared-psk-bytes",
            QStringLiteral("A"), QStringLiteral("Office"));
        QVERIFY(first && first->otherDevices.isEmpty());
        // Writing it again to the same device is not reuse.
        auto again = ledger->record(CredentialLedger::Kind::Psk, "shared-psk-bytes",
            QStringLiteral("A"), QStringLiteral("Office"));
        QVERIFY(again && again->otherDevices.isEmpty());
        auto second = ledger->record(CredentialLedger::Kind::Psk, "shared-psk-bytes",
            QStringLiteral("B"), QStringLiteral("Office"));
        QVERIFY(second);
        QCOMPARE(second->otherDevices, QStringList{QStringLiteral("A")});
        // A different kind with the same bytes is a different credential.
        QVERIFY(
            ledger->check(CredentialLedger::Kind::Password, "shared-psk-bytes", QStringLiteral("C"))
                .otherDevices.isEmpty());
    }

    void ledgerFile_holdsNoSecretAndSurvivesReopening()
    {
        {
            auto ledger = CredentialLedger::open(workspace(), m_key);
            QVERIFY(ledger->record(CredentialLedger::Kind::WifiPassphrase, "correct-horse-42",
                QStringLiteral("A"), QStringLiteral("Office")));
        }
        QFile f(workspace().filePath(QStringLiteral("ledger.jsonl")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY(!text.contains("correct-horse-42"));
        // Not the plain SHA-256 either, which a guess could be checked against.
        QVERIFY(!text.contains(
            QCryptographicHash::hash("correct-horse-42", QCryptographicHash::Sha256).toHex()));
        QCOMPARE(f.permissions() & (QFileDevice::ReadOther | QFileDevice::ReadGroup),
            QFileDevice::Permissions{});

        auto reopened = CredentialLedger::open(workspace(), m_key);
        QVERIFY(reopened);
        QCOMPARE(reopened->entries().size(), 1);
        QCOMPARE(reopened
                     ->check(CredentialLedger::Kind::WifiPassphrase, "correct-horse-42",
                         QStringLiteral("B"))
                     .otherDevices,
            QStringList{QStringLiteral("A")});
        // Another workspace key gives other fingerprints: nothing matches.
        auto otherKey = CredentialLedger::open(workspace(), QByteArray(32, '\x01'));
        QVERIFY(otherKey
                    ->check(CredentialLedger::Kind::WifiPassphrase, "correct-horse-42",
                        QStringLiteral("B"))
                    .otherDevices.isEmpty());
    }

    void damagedFile_isReportedNotIgnored()
    {
        QFile f(workspace().filePath(QStringLiteral("ledger.jsonl")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"kind\": \"psk\", \"fingerprint\": \"short\"}\n");
        f.close();
        auto ledger = CredentialLedger::open(workspace(), m_key);
        QVERIFY(!ledger);
        QVERIFY(ledger.error().message.contains(u"line 1"));
    }

    void factsFor_feedTheComparisonFinding()
    {
        auto ledger = CredentialLedger::open(workspace(), m_key);
        for (const char *device : {"A", "B", "C"})
            QVERIFY(ledger->record(CredentialLedger::Kind::Psk, "psk", QLatin1String(device),
                QStringLiteral("Office")));
        QVERIFY(ledger->record(CredentialLedger::Kind::PrivateKey, "key-d", QStringLiteral("D"),
            QStringLiteral("Office")));
        const auto facts = ledger->factsFor(QStringLiteral("Office"));
        QCOMPARE(facts.devices, 4);
        QCOMPARE(facts.reusedCredentials, 1);
        QCOMPARE(facts.examples, QStringList{QStringLiteral("the same psk on 3 devices")});

        const profiles::Profile p = profiles::defaultProfile(profiles::ProfileKind::Dynamic);
        const profiles::UsageFacts usage{facts.devices, facts.reusedCredentials, facts.examples};
        const auto withUsage = profiles::assess(p, 5, profiles::CostModel(), usage);
        const auto without = profiles::assess(p, 5);
        auto has = [](const profiles::Assessment &a) {
            return std::any_of(
                a.findings.cbegin(), a.findings.cend(), [](const profiles::Finding &f) {
                    return f.rule == u"reused-credential" && f.severity == profiles::Severity::High;
                });
        };
        QVERIFY(has(withUsage));
        QVERIFY(!has(without));
    }
};

QTEST_GUILESS_MAIN(tst_CredentialLedger)
#include "tst_credentialledger.moc"
