// Two real processes (store_writer) against one database: claims, sequence
// numbers and audit appends stay exclusive and consistent.
#include "app/storage/store/store.h"
#include "storetestbackend.h"

#include <QProcess>
#include <QSet>
#include <QTest>

using namespace provbench;
using namespace provbench::store;

class tst_StoreProcesses : public QObject
{
    Q_OBJECT

    StoreTestBackend m_backend;

    // Starts store_writer processes that wait on stdin, then releases them together.
    static QList<std::shared_ptr<QProcess>> startTogether(const QList<QStringList> &argLists)
    {
        QList<std::shared_ptr<QProcess>> procs;
        for (const QStringList &args : argLists) {
            auto p = std::make_shared<QProcess>();
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("STORE_WRITER_WAIT"), QStringLiteral("1"));
            p->setProcessEnvironment(env);
            p->start(QStringLiteral(STORE_WRITER), args);
            procs.append(p);
        }
        for (auto &p : procs) {
            while (!p->canReadLine() && p->waitForReadyRead(30000)) { }
            const QByteArray ready = p->readLine();
            if (ready != "ready\n")
                qWarning("store_writer: %s %s", ready.constData(),
                    p->readAllStandardError().constData());
        }
        for (auto &p : procs)
            p->write("go\n");
        return procs;
    }

    static QStringList finish(QProcess &p)
    {
        p.waitForFinished(120000);
        const QByteArray errors = p.readAllStandardError();
        if (p.exitCode() != 0 || !errors.isEmpty())
            qWarning("store_writer exit %d: %s", p.exitCode(), errors.constData());
        return QString::fromUtf8(p.readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts);
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (const QString why = m_backend.setUp(); !why.isEmpty())
            QSKIP(qPrintable(why));
    }

    void twoProcesses_neverShareASequenceNumber()
    {
        // A new database: the two processes also race to create and migrate it.
        const QString url = m_backend.freshUrl();
        const int each = 150;
        auto procs = startTogether({{QStringLiteral("sequence"), url, QStringLiteral("serial"),
                                        QString::number(each)},
            {QStringLiteral("sequence"), url, QStringLiteral("serial"), QString::number(each)}});
        QSet<qint64> all;
        for (auto &p : procs) {
            qint64 last = 0;
            const QStringList lines = finish(*p);
            QCOMPARE(lines.size(), each);
            for (const QString &line : lines) {
                const qint64 n = line.mid(4).toLongLong();
                QVERIFY(n > last); // increasing within a process
                last = n;
                QVERIFY2(!all.contains(n), qPrintable(QStringLiteral("%1 drawn twice").arg(n)));
                all.insert(n);
            }
            QCOMPARE(p->exitCode(), 0);
        }
        QCOMPARE(all.size(), 2 * each);
        QCOMPARE(*std::max_element(all.begin(), all.end()), 2 * each); // no gaps
    }

    void twoProcesses_claimEachDeviceOnce()
    {
        const QString url = m_backend.freshUrl();
        QStringList devices;
        {
            auto s = Store::open(url, QString());
            QVERIFY(s);
            for (int i = 0; i < 60; ++i) {
                InventoryDevice d;
                d.id = QStringLiteral("dev%1").arg(i);
                QVERIFY((*s)->inventory().upsert(d));
                devices.append(d.id);
            }
        }
        QStringList reversed = devices;
        std::reverse(reversed.begin(), reversed.end());
        auto procs = startTogether(
            {QStringList{QStringLiteral("claim"), url, QStringLiteral("A")} + devices,
                QStringList{QStringLiteral("claim"), url, QStringLiteral("B")} + devices,
                QStringList{QStringLiteral("claim"), url, QStringLiteral("C")} + reversed});
        QHash<QString, QString> winner;
        const QStringList benches = {QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("C")};
        for (qsizetype i = 0; i < procs.size(); ++i) {
            const QStringList lines = finish(*procs[i]);
            QCOMPARE(lines.size(), devices.size());
            for (const QString &line : lines) {
                const QStringList f = line.split(u' ');
                if (f[0] == u"granted") {
                    QVERIFY2(!winner.contains(f[1]),
                        qPrintable(f[1] + QStringLiteral(" granted twice")));
                    winner.insert(f[1], benches[i]);
                }
            }
        }
        QCOMPARE(winner.size(), devices.size());
        auto s = Store::open(url, QString());
        for (const QString &id : std::as_const(devices))
            QCOMPARE((*s)->inventory().get(id)->claimedBy, winner.value(id));
    }

    void twoProcessesAppending_keepOneVerifiableChain()
    {
        const QString url = m_backend.freshUrl();
        QVERIFY(Store::open(url, QString()));
        auto procs = startTogether(
            {{QStringLiteral("append"), url, QStringLiteral("p"), QStringLiteral("60")},
                {QStringLiteral("append"), url, QStringLiteral("q"), QStringLiteral("60")}});
        QSet<qint64> acked;
        for (auto &p : procs) {
            for (const QString &line : finish(*p))
                acked.insert(line.split(u' ').value(1).toLongLong());
            QCOMPARE(p->exitCode(), 0);
        }
        auto s = Store::open(url, QString());
        auto v = (*s)->audit().verify();
        QVERIFY(v);
        QVERIFY2(v->ok(), qPrintable(v->message));
        // 60 iterations each: 40 plain + 20 intent/outcome pairs = 80 records per process.
        QCOMPARE(v->records, 160);
        QCOMPARE(acked.size(), 160);
    }
};

QTEST_GUILESS_MAIN(tst_StoreProcesses)
#include "tst_storeprocesses.moc"
