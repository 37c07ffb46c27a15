// Workspace::appendLine: durable appends to logs that only grow, and recovery
// from a partial last line left by a crash.

#include "app/storage/workspace.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>

using namespace provbench;

class TestWorkspace : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void appendLine_createsPrivateFileAndAppends()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("sub/log.jsonl"));
        QVERIFY(Workspace::appendLine(path, "one"));
        QVERIFY(Workspace::appendLine(path, "two"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("one\ntwo\n"));
        QCOMPARE(f.permissions() & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteOther),
            QFile::Permissions());
    }

    void appendLine_afterPartialLine_keepsNewRecordWhole_data()
    {
        QTest::addColumn<QByteArray>("before");
        QTest::addColumn<QByteArray>("after");
        QTest::newRow("partial json")
            << QByteArray("{\"a\":1}\n{\"b\":") << QByteArray("{\"a\":1}\n{\"b\":\nnew\n");
        QTest::newRow("whole lines") << QByteArray("x\n") << QByteArray("x\nnew\n");
        QTest::newRow("one byte, no newline") << QByteArray("x") << QByteArray("x\nnew\n");
        QTest::newRow("empty") << QByteArray() << QByteArray("new\n");
    }

    void appendLine_afterPartialLine_keepsNewRecordWhole()
    {
        QFETCH(QByteArray, before);
        QFETCH(QByteArray, after);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("log"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(before);
        }
        QVERIFY(Workspace::appendLine(path, "new"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), after);
    }

    void appendLine_unwritableFolder_saysWhatToDo()
    {
        if (geteuid() == 0)
            QSKIP("root can write anywhere: the permission check cannot fail here");
        QTemporaryDir dir;
        QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::ExeOwner);
        auto r = Workspace::appendLine(dir.filePath(QStringLiteral("log")), "x");
        QVERIFY(!r);
        QVERIFY(r.error().message.contains(QLatin1String("permissions")));
    }
};

QTEST_GUILESS_MAIN(TestWorkspace)
#include "tst_workspace.moc"
