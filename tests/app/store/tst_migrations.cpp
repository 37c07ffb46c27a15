#include "app/storage/store/database.h"
#include "app/storage/store/migrations.h"
#include "storetestbackend.h"

#include <QFile>
#include <QFileInfo>
#include <QTest>

using namespace provbench;
using namespace provbench::store;

class tst_Migrations : public QObject
{
    Q_OBJECT

    StoreTestBackend m_backend;

    std::unique_ptr<Database> openRaw(const QString &url)
    {
        auto db = Database::open(url, QString(), [] {
            OpenOptions o;
            o.migrate = false;
            return o;
        }());
        if (!db)
            qWarning("%s", qPrintable(db.error().message));
        return db ? std::move(*db) : nullptr;
    }

    static int tableCount(Database &db, const QString &table)
    {
        const QString sql = db.dialect() == Dialect::Sqlite
            ? QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name = ?")
            : QStringLiteral(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = ? AND "
                "table_schema = current_schema()");
        return db.scalar(sql, {table})->toInt();
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (const QString why = m_backend.setUp(); !why.isEmpty())
            QSKIP(qPrintable(why));
    }

    void freshDatabase_getsEveryMigration()
    {
        const QString url = m_backend.freshUrl();
        auto db = Database::open(url, QString());
        QVERIFY2(db, qPrintable(db ? QString() : db.error().message));
        QCOMPARE(*schemaVersion(**db), latestSchemaVersion(m_backend.dialect()));
        QCOMPARE(latestSchemaVersion(m_backend.dialect()), 4);
        for (const char *table :
            {"devices", "sequences", "audit_events", "audit_anchor", "enrollment_tokens",
                "enrollment_requests", "device_certificates", "device_aliases"})
            QCOMPARE(tableCount(**db, QLatin1StringView(table)), 1);
        auto rows = (*db)->scalar(QStringLiteral("SELECT count(*) FROM schema_version"));
        QCOMPARE(rows->toInt(), 4);
    }

    void reopening_appliesNothingAgain()
    {
        const QString url = m_backend.freshUrl();
        QVERIFY(Database::open(url, QString()));
        auto again = Database::open(url, QString());
        QVERIFY(again);
        QCOMPARE(
            (*again)->scalar(QStringLiteral("SELECT count(*) FROM schema_version"))->toInt(), 4);
    }

    void migrationsRunInOrder_fromAnOlderVersion()
    {
        auto db = openRaw(m_backend.freshUrl());
        QVERIFY(db);
        const QList<Migration> all = builtinMigrations(m_backend.dialect());
        QCOMPARE(*applyMigrations(*db, all.mid(0, 1)), 1);
        QCOMPARE(tableCount(*db, QStringLiteral("audit_events")), 0);
        QCOMPARE(*applyMigrations(*db, all), 4);
        QCOMPARE(tableCount(*db, QStringLiteral("audit_events")), 1);
    }

    void newerSchema_isRefusedAndLeftUntouched()
    {
        const QString url = m_backend.freshUrl();
        {
            auto db = openRaw(url);
            QVERIFY(db);
            QList<Migration> future = builtinMigrations(m_backend.dialect());
            future.append({5, QStringLiteral("from the future"),
                {QStringLiteral("CREATE TABLE future_things (id INTEGER)")}});
            QCOMPARE(*applyMigrations(*db, future), 5);
        }
        auto db = Database::open(url, QString());
        QVERIFY(!db);
        QCOMPARE(db.error().code, Error::Code::Unsupported);
        QVERIFY2(db.error().message.contains(u"schema version 5")
                && db.error().message.contains(u"Upgrade ProvBench"),
            qPrintable(db.error().message));
        auto raw = openRaw(url);
        QCOMPARE(*schemaVersion(*raw), 5);
    }

    void failingMigration_isRolledBackWhole()
    {
        auto db = openRaw(m_backend.freshUrl());
        QVERIFY(db);
        QList<Migration> broken = builtinMigrations(m_backend.dialect()).mid(0, 1);
        broken.append({2, QStringLiteral("half good"),
            {QStringLiteral("CREATE TABLE half_done (id INTEGER)"),
                QStringLiteral("CREATE TABLE nonsense (")}});
        auto result = applyMigrations(*db, broken);
        QVERIFY(!result);
        QVERIFY2(result.error().message.contains(u"Migration 2 (half good)")
                && result.error().message.contains(u"rolled back"),
            qPrintable(result.error().message));
        QCOMPARE(*schemaVersion(*db), 1);
        QCOMPARE(tableCount(*db, QStringLiteral("half_done")), 0);
    }

    void outOfOrderList_isABug()
    {
        auto db = openRaw(m_backend.freshUrl());
        QList<Migration> list = {{2, QStringLiteral("two"), {}}};
        QVERIFY(!applyMigrations(*db, list));
    }

    void twoConnections_migrateOnce()
    {
        const QString url = m_backend.freshUrl();
        auto a = openRaw(url);
        auto b = openRaw(url);
        QVERIFY(a && b);
        QCOMPARE(*applyMigrations(*a, builtinMigrations(m_backend.dialect())), 4);
        QCOMPARE(*applyMigrations(*b, builtinMigrations(m_backend.dialect())), 4);
        QCOMPARE(a->scalar(QStringLiteral("SELECT count(*) FROM schema_version"))->toInt(), 4);
    }

    void sqlite_walFullSyncForeignKeysAndPrivateFile()
    {
        if (m_backend.isPostgres())
            QSKIP("SQLite only.");
        const QString url = m_backend.freshUrl();
        auto db = Database::open(url, QString());
        QVERIFY(db);
        QCOMPARE((*db)->scalar(QStringLiteral("PRAGMA journal_mode"))->toString(),
            QStringLiteral("wal"));
        QCOMPARE((*db)->scalar(QStringLiteral("PRAGMA synchronous"))->toInt(), 2); // FULL
        QCOMPARE((*db)->scalar(QStringLiteral("PRAGMA foreign_keys"))->toInt(), 1);
        QVERIFY((*db)->scalar(QStringLiteral("PRAGMA busy_timeout"))->toInt() >= 1000);
        const QString path = (*db)->url().path;
        QCOMPARE(QFileInfo(path).permissions() & 0x0077, QFileDevice::Permissions());
    }

    void sqlite_missingFileWithoutCreate_isNotFound()
    {
        if (m_backend.isPostgres())
            QSKIP("SQLite only.");
        const QString url = m_backend.freshUrl();
        auto db = Database::open(url, QString(), [] {
            OpenOptions o;
            o.createIfMissing = false;
            return o;
        }());
        QVERIFY(!db);
        QCOMPARE(db.error().code, Error::Code::NotFound);
        QVERIFY(!QFile::exists(url.mid(7)));
    }

    void sqlite_notADatabase_isAClearError()
    {
        if (m_backend.isPostgres())
            QSKIP("SQLite only.");
        const QString url = m_backend.freshUrl();
        QFile f(url.mid(7));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, 'x'));
        f.close();
        auto db = Database::open(url, QString());
        QVERIFY(!db);
        QVERIFY2(db.error().message.contains(u"not a database"), qPrintable(db.error().message));
    }

    void connectionNames_areUniqueAndRemoved()
    {
        const QString url = m_backend.freshUrl();
        QString nameA;
        {
            auto a = Database::open(url, QString());
            auto b = Database::open(url, QString());
            QVERIFY(a && b);
            QVERIFY((*a)->connectionName() != (*b)->connectionName());
            nameA = (*a)->connectionName();
            QVERIFY(QSqlDatabase::contains(nameA));
        }
        QVERIFY(!QSqlDatabase::contains(nameA));
    }

    void postgres_wrongPassword_neverShowsIt()
    {
        if (!m_backend.isPostgres() || !m_backend.server())
            QSKIP("Needs the throwaway PostgreSQL server.");
        QStringList logged;
        static QStringList *sink = nullptr;
        sink = &logged;
        QLoggingCategory::setFilterRules(
            QStringLiteral("provbench.storage.debug=true\nprovbench.storage.info=true"));
        const auto previous = qInstallMessageHandler(
            [](QtMsgType, const QMessageLogContext &, const QString &msg) { sink->append(msg); });
        const QString wrong = QStringLiteral("Wrong-Pass-4711");
        auto db = Database::open(QStringLiteral("postgresql://provbench:%1@127.0.0.1:%2/postgres")
                                     .arg(wrong)
                                     .arg(m_backend.server()->port()),
            QString());
        auto good
            = Database::open(m_backend.server()->url(QStringLiteral("postgres")), QString(), [] {
                  OpenOptions o;
                  o.migrate = false;
                  return o;
              }());
        qInstallMessageHandler(previous);
        QLoggingCategory::setFilterRules(QString());
        QVERIFY(!db);
        QVERIFY(good);
        QVERIFY2(db.error().message.contains(u"postgresql://provbench@127.0.0.1"),
            qPrintable(db.error().message));
        QVERIFY2(db.error().message.contains(u"password"), qPrintable(db.error().message));
        QVERIFY(!db.error().message.contains(wrong));
        QVERIFY(!logged.isEmpty()); // the successful open is logged...
        for (const QString &line : std::as_const(logged)) {
            QVERIFY2(!line.contains(wrong), qPrintable(line)); // ...without a password
            QVERIFY2(!line.contains(m_backend.server()->password()), qPrintable(line));
        }
    }

    void postgres_unixSocketUrl()
    {
        if (!m_backend.isPostgres() || !m_backend.server())
            QSKIP("Needs the throwaway PostgreSQL server.");
        auto db = Database::open(QStringLiteral("postgresql://provbench@/postgres?host=%1&port=%2")
                                     .arg(m_backend.server()->socketDir())
                                     .arg(m_backend.server()->port()),
            QString(), [] {
                OpenOptions o;
                o.migrate = false;
                return o;
            }());
        QVERIFY2(db, qPrintable(db ? QString() : db.error().message));
        QCOMPARE((*db)->scalar(QStringLiteral("SELECT 1"))->toInt(), 1);
    }
};

QTEST_GUILESS_MAIN(tst_Migrations)
#include "tst_migrations.moc"
