#include "app/storage/store/databaseurl.h"

#include <QTest>

using namespace provbench;
using namespace provbench::store;

class tst_DatabaseUrl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("postgres");
        QTest::addColumn<QString>("pathOrHost");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("database");
        QTest::addColumn<QString>("options");

        const QString ws = QStringLiteral("/ws/inventory.db");
        QTest::newRow("empty = workspace file")
            << QString() << false << ws << 5432 << QString() << QString() << QString() << QString();
        QTest::newRow("sqlite: = workspace file")
            << QStringLiteral("sqlite:") << false << ws << 5432 << QString() << QString()
            << QString() << QString();
        QTest::newRow("sqlite absolute")
            << QStringLiteral("sqlite:/data/inv.db") << false << QStringLiteral("/data/inv.db")
            << 5432 << QString() << QString() << QString() << QString();
        QTest::newRow("sqlite:// form")
            << QStringLiteral("sqlite:///data/inv.db") << false << QStringLiteral("/data/inv.db")
            << 5432 << QString() << QString() << QString() << QString();
        QTest::newRow("full postgresql")
            << QStringLiteral("postgresql://bench:s3cret@db.example.com:5433/inventory") << true
            << QStringLiteral("db.example.com") << 5433 << QStringLiteral("bench")
            << QStringLiteral("s3cret") << QStringLiteral("inventory") << QString();
        QTest::newRow("postgres:// alias, default port")
            << QStringLiteral("postgres://bench@db/inv") << true << QStringLiteral("db") << 5432
            << QStringLiteral("bench") << QString() << QStringLiteral("inv") << QString();
        QTest::newRow("percent-encoded password")
            << QStringLiteral("postgresql://u:p%40ss%3Aw%2Fd@h/d") << true << QStringLiteral("h")
            << 5432 << QStringLiteral("u") << QStringLiteral("p@ss:w/d") << QStringLiteral("d")
            << QString();
        QTest::newRow("unencoded @ and / in password")
            << QStringLiteral("postgresql://u:a@b/c@h:1/d") << true << QStringLiteral("h") << 1
            << QStringLiteral("u") << QStringLiteral("a@b/c") << QStringLiteral("d") << QString();
        QTest::newRow("ipv6 host")
            << QStringLiteral("postgresql://u@[::1]:6000/d") << true << QStringLiteral("::1")
            << 6000 << QStringLiteral("u") << QString() << QStringLiteral("d") << QString();
        QTest::newRow("socket folder, percent-encoded")
            << QStringLiteral("postgresql://u@%2Frun%2Fpostgresql/d") << true
            << QStringLiteral("/run/postgresql") << 5432 << QStringLiteral("u") << QString()
            << QStringLiteral("d") << QString();
        QTest::newRow("socket folder as parameter, options")
            << QStringLiteral("postgresql://u@/d?host=/tmp/pg&sslmode=disable&connect_timeout=3")
            << true << QStringLiteral("/tmp/pg") << 5432 << QStringLiteral("u") << QString()
            << QStringLiteral("d") << QStringLiteral("sslmode=disable;connect_timeout=3");
        QTest::newRow("no user") << QStringLiteral("postgresql://h:5432/d") << true
                                 << QStringLiteral("h") << 5432 << QString() << QString()
                                 << QStringLiteral("d") << QString();
    }

    void parse()
    {
        QFETCH(QString, url);
        QFETCH(bool, postgres);
        QFETCH(QString, pathOrHost);
        QFETCH(int, port);
        QFETCH(QString, user);
        QFETCH(QString, password);
        QFETCH(QString, database);
        QFETCH(QString, options);
        auto parsed = DatabaseUrl::parse(url, QStringLiteral("/ws"));
        QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().message));
        QCOMPARE(parsed->dialect == Dialect::Postgres, postgres);
        QCOMPARE(postgres ? parsed->host : parsed->path, pathOrHost);
        if (postgres) {
            QCOMPARE(parsed->port, port);
            QCOMPARE(parsed->user, user);
            QCOMPARE(parsed->password, password);
            QCOMPARE(parsed->database, database);
            QCOMPARE(parsed->options, options);
        }
    }

    void invalid_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown scheme")
            << QStringLiteral("mysql://u:topsecret@h/d") << QStringLiteral("mysql");
        QTest::newRow("no database")
            << QStringLiteral("postgresql://u:topsecret@h:5432") << QStringLiteral("no database");
        QTest::newRow("bad port") << QStringLiteral("postgresql://u:topsecret@h:99999/d")
                                  << QStringLiteral("99999");
        QTest::newRow("port not a number")
            << QStringLiteral("postgresql://u:topsecret@h:pg/d") << QStringLiteral("'pg'");
        QTest::newRow("unknown parameter")
            << QStringLiteral("postgresql://u:topsecret@h/d?foo=1") << QStringLiteral("foo");
        QTest::newRow("option with a space")
            << QStringLiteral("postgresql://u:topsecret@h/d?sslmode=a%20b")
            << QStringLiteral("sslmode");
        QTest::newRow("unclosed ipv6")
            << QStringLiteral("postgresql://u:topsecret@[::1/d") << QStringLiteral("]");
    }

    void invalid()
    {
        QFETCH(QString, url);
        QFETCH(QString, mentions);
        auto parsed = DatabaseUrl::parse(url, QStringLiteral("/ws"));
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().code, Error::Code::InvalidArgument);
        QVERIFY2(parsed.error().message.contains(mentions), qPrintable(parsed.error().message));
        QVERIFY2(
            !parsed.error().message.contains(u"topsecret"), qPrintable(parsed.error().message));
    }

    void display_neverShowsThePassword()
    {
        auto parsed = DatabaseUrl::parse(
            QStringLiteral("postgresql://bench:topsecret@db:5433/inv?sslmode=require"), QString());
        QVERIFY(parsed);
        QCOMPARE(
            parsed->display(), QStringLiteral("postgresql://bench@db:5433/inv?sslmode=require"));
        QCOMPARE(parsed->redact(QStringLiteral("auth failed for topsecret")),
            QStringLiteral("auth failed for ***"));
        auto socket = DatabaseUrl::parse(QStringLiteral("postgresql://u@/d?host=/tmp/pg"), {});
        QCOMPARE(socket->display(), QStringLiteral("postgresql://u@:5432/d?host=/tmp/pg"));
    }

    void sqliteWithoutWorkspace_isRefused()
    {
        auto parsed = DatabaseUrl::parse(QString(), QString());
        QVERIFY(!parsed);
        QVERIFY(parsed.error().message.contains(u"workspace"));
    }
};

QTEST_GUILESS_MAIN(tst_DatabaseUrl)
#include "tst_databaseurl.moc"
