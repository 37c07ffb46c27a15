#include "storetestbackend.h"

#include <QCoreApplication>

using namespace provbench;
using namespace provbench::store;

StoreTestBackend::StoreTestBackend()
{
    if (qEnvironmentVariable("PROVBENCH_TEST_BACKEND") == u"postgresql")
        m_dialect = Dialect::Postgres;
}

QString StoreTestBackend::setUp()
{
    if (!isPostgres())
        return m_dir.isValid() ? QString() : QStringLiteral("No temporary folder.");
    m_externalUrl = qEnvironmentVariable("PROVBENCH_TEST_PG_URL");
    if (!m_externalUrl.isEmpty())
        return QString();
    m_pg = std::make_unique<PgTestServer>();
    return m_pg->start();
}

QString StoreTestBackend::freshUrl()
{
    ++m_count;
    if (!isPostgres())
        return QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("db%1.db").arg(m_count));
    if (!m_externalUrl.isEmpty()) {
        auto parsed = DatabaseUrl::parse(m_externalUrl, QString());
        auto admin = Database::open(m_externalUrl, QString(), [] {
            OpenOptions o;
            o.migrate = false;
            return o;
        }());
        if (!parsed || !admin)
            return QString();
        const QString name
            = QStringLiteral("pbtest_%1_%2").arg(QCoreApplication::applicationPid()).arg(m_count);
        {
            auto drop = (*admin)->exec(QStringLiteral("DROP DATABASE IF EXISTS %1").arg(name));
            auto create = (*admin)->exec(QStringLiteral("CREATE DATABASE %1").arg(name));
            if (!create)
                return QString();
        }
        parsed->database = name;
        QString url = QStringLiteral("postgresql://%1:%2@%3:%4/%5")
                          .arg(parsed->user, parsed->password, parsed->host)
                          .arg(parsed->port)
                          .arg(name);
        return url;
    }
    auto url = m_pg->createDatabase();
    return url ? *url : QString();
}

Result<void> StoreTestBackend::bypassGuards(Database &db)
{
    QStringList statements;
    if (db.dialect() == Dialect::Sqlite) {
        statements = {QStringLiteral("PRAGMA foreign_keys = OFF")};
        auto q = db.exec(QStringLiteral(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'audit_%'"));
        if (!q)
            return std::unexpected(q.error());
        while (q->next())
            statements.append(QStringLiteral("DROP TRIGGER ") + q->value(0).toString());
    } else {
        statements = {QStringLiteral("SET session_replication_role = replica")};
    }
    for (const QString &sql : std::as_const(statements)) {
        auto q = db.exec(sql);
        if (!q)
            return std::unexpected(q.error());
    }
    return {};
}
