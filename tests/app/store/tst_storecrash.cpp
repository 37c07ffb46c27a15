// The store under kill -9: store_writer processes append as fast as they can
// and print each acknowledged (committed) seq; they are killed with SIGKILL
// at random moments, several times. Afterwards the database is intact, the
// chain verifies, and every acknowledged record is there with its content.
#include "app/storage/store/store.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace provbench;
using namespace provbench::store;

class tst_StoreCrash : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void killedWriters_loseNothingAcknowledged()
    {
        const QString url = QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("crash.db"));
        QVERIFY(Store::open(url, QString()));
        QHash<qint64, QString> acked; // seq -> nonce
        auto *rng = QRandomGenerator::global();
        const int rounds = 6;
        for (int round = 0; round < rounds; ++round) {
            // Two writers per round, so a kill can also land while one waits
            // for the other's lock.
            QList<std::shared_ptr<QProcess>> writers;
            for (int w = 0; w < 2; ++w) {
                auto p = std::make_shared<QProcess>();
                p->start(QStringLiteral(STORE_WRITER),
                    {QStringLiteral("append"), url, QStringLiteral("r%1w%2").arg(round).arg(w)});
                QVERIFY(p->waitForStarted());
                writers.append(p);
            }
            // Let them get going, then kill at a random moment.
            QElapsedTimer t;
            t.start();
            const int delayMs = 150 + int(rng->bounded(600));
            while (t.elapsed() < delayMs)
                QTest::qWait(10);
            for (auto &p : writers)
                ::kill(static_cast<pid_t>(p->processId()), SIGKILL);
            int roundAcks = 0;
            for (auto &p : writers) {
                QVERIFY(p->waitForFinished(10000));
                QCOMPARE(p->exitStatus(), QProcess::CrashExit);
                const QString output = QString::fromUtf8(p->readAllStandardOutput());
                for (const QString &line : output.split(u'\n')) {
                    const QStringList f = line.split(u' ');
                    if (f.size() != 3 || f[0] != u"ack")
                        continue; // a line cut by the kill was never acknowledged
                    acked.insert(f[1].toLongLong(), f[2]);
                    ++roundAcks;
                }
                const QByteArray errors = p->readAllStandardError();
                QVERIFY2(!errors.contains("store_writer:"), errors.constData());
            }
            qInfo("round %d: killed after %d ms, %d acknowledged", round, delayMs, roundAcks);
        }
        QVERIFY2(acked.size() > rounds * 5, "the writers acknowledged too little to test");

        auto db = Database::open(url, QString());
        QVERIFY(db);
        QCOMPARE((*db)->scalar(QStringLiteral("PRAGMA integrity_check"))->toString(),
            QStringLiteral("ok"));
        AuditLog log(**db, QStringLiteral("checker"));
        auto v = log.verify();
        QVERIFY(v);
        QVERIFY2(v->ok(), qPrintable(v->message));
        qInfo("%lld records, %lld acknowledged", static_cast<long long>(v->records),
            static_cast<long long>(acked.size()));
        QVERIFY(v->records >= acked.size());
        auto all = log.records();
        QHash<qint64, QString> stored;
        for (const AuditRecord &r : std::as_const(*all))
            stored.insert(r.seq, r.detailsObject().value(QStringLiteral("nonce")).toString());
        for (auto it = acked.cbegin(); it != acked.cend(); ++it)
            QCOMPARE(stored.value(it.key()), it.value());
        // Intents whose writer died before the outcome stay visible as open.
        auto open = log.openIntents();
        QVERIFY(open);
        QVERIFY(open->size() <= 2 * rounds);
        // And the store takes new writes after all that.
        QVERIFY(log.append(QStringLiteral("checkin"), QStringLiteral("after")));
        QVERIFY(log.verify()->ok());
    }
};

QTEST_GUILESS_MAIN(tst_StoreCrash)
#include "tst_storecrash.moc"
