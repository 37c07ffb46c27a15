#pragma once

#include "app/storage/store/database.h"
#include "pgtestserver.h"

#include <QTemporaryDir>

#include <memory>

// The database a store test runs against, chosen by $PROVBENCH_TEST_BACKEND:
// "sqlite" (default: files in a temporary folder) or "postgresql" (a
// throwaway server, PgTestServer; or an existing one named by
// $PROVBENCH_TEST_PG_URL, a URL to a database where the test may create
// databases). The same test code runs against both.
class StoreTestBackend
{
public:
    StoreTestBackend();

    provbench::store::Dialect dialect() const { return m_dialect; }
    bool isPostgres() const { return m_dialect == provbench::store::Dialect::Postgres; }
    // Empty when ready; otherwise the reason to skip (PostgreSQL could not be
    // started). Call from initTestCase().
    QString setUp();
    // A new, empty database.
    QString freshUrl();
    PgTestServer *server() { return m_pg.get(); }

    // Turns off the append-only triggers (and foreign keys) for this
    // connection's session, so a test can tamper deliberately. SQLite: drops
    // the triggers; PostgreSQL: session_replication_role = replica.
    static provbench::Result<void> bypassGuards(provbench::store::Database &db);

private:
    provbench::store::Dialect m_dialect = provbench::store::Dialect::Sqlite;
    QTemporaryDir m_dir;
    int m_count = 0;
    std::unique_ptr<PgTestServer> m_pg;
    QString m_externalUrl;
};
