#include "app/storage/store/migrations.h"

#include "app/storage/store/database.h"

namespace provbench::store {

namespace {

// Any number that other applications sharing the server are unlikely to use.
constexpr qint64 kMigrationLockKey = 0x50726f7642656e63; // "ProvBenc"

Result<void> createVersionTable(Database &db)
{
    const QString sql = db.dialect() == Dialect::Sqlite
        ? QStringLiteral("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY "
                         "NOT NULL, description TEXT NOT NULL, applied_at TEXT NOT NULL)")
        : QStringLiteral("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                         "description TEXT NOT NULL, applied_at TEXT NOT NULL)");
    auto q = db.exec(sql);
    if (!q)
        return std::unexpected(q.error());
    return {};
}

Result<bool> versionTableExists(Database &db)
{
    const QString sql = db.dialect() == Dialect::Sqlite
        ? QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = "
                         "'schema_version'")
        : QStringLiteral("SELECT count(*) FROM information_schema.tables WHERE table_schema = "
                         "current_schema() AND table_name = 'schema_version'");
    auto count = db.scalar(sql);
    if (!count)
        return std::unexpected(count.error());
    return count->toLongLong() > 0;
}

Result<int> recordedVersion(Database &db)
{
    auto v = db.scalar(QStringLiteral("SELECT max(version) FROM schema_version"));
    if (!v)
        return std::unexpected(v.error());
    return v->isNull() ? 0 : v->toInt();
}

Result<void> refuseNewer(const Database &db, int version, int latest)
{
    if (version <= latest)
        return {};
    return fail(Error::Code::Unsupported,
        QStringLiteral("The database %1 has schema version %2, but this ProvBench knows only up "
                       "to version %3: it was last used by a newer release. Upgrade ProvBench "
                       "to use it; this release leaves it untouched.")
            .arg(db.display())
            .arg(version)
            .arg(latest));
}

// Applies `m` unless another process got there first. Returns whether it ran.
Result<bool> applyOne(Database &db, const Migration &m, int latest)
{
    auto tx = Transaction::begin(db);
    if (!tx)
        return std::unexpected(tx.error());
    if (db.dialect() == Dialect::Postgres) {
        auto lock = db.exec(QStringLiteral("SELECT pg_advisory_xact_lock(?)"),
            {QVariant::fromValue(kMigrationLockKey)});
        if (!lock)
            return std::unexpected(lock.error());
    }
    if (auto ok = createVersionTable(db); !ok)
        return std::unexpected(ok.error());
    auto current = recordedVersion(db);
    if (!current)
        return std::unexpected(current.error());
    if (auto ok = refuseNewer(db, *current, latest); !ok)
        return std::unexpected(ok.error());
    if (*current >= m.version)
        return false;
    if (*current != m.version - 1)
        return fail(Error::Code::Unsupported,
            QStringLiteral("The database %1 is at schema version %2 and cannot take migration %3 "
                           "directly: its schema history is inconsistent. Restore it from a "
                           "backup or start a new database.")
                .arg(db.display())
                .arg(*current)
                .arg(m.version));
    for (const QString &sql : m.statements) {
        auto q = db.exec(sql);
        if (!q)
            return fail(Error::Code::Io,
                QStringLiteral("Migration %1 (%2) of %3 failed and was rolled back: %4")
                    .arg(m.version)
                    .arg(m.description, db.display(), q.error().message));
    }
    auto row = db.exec(QStringLiteral("INSERT INTO schema_version (version, description, "
                                      "applied_at) VALUES (?, ?, ?)"),
        {m.version, m.description, Database::now()});
    if (!row)
        return std::unexpected(row.error());
    if (auto ok = tx->commit(); !ok)
        return std::unexpected(ok.error());
    return true;
}

} // namespace

int latestSchemaVersion(Dialect dialect)
{
    const QList<Migration> all = builtinMigrations(dialect);
    return all.isEmpty() ? 0 : all.last().version;
}

Result<int> schemaVersion(Database &db)
{
    auto exists = versionTableExists(db);
    if (!exists)
        return std::unexpected(exists.error());
    if (!*exists)
        return 0;
    return recordedVersion(db);
}

Result<int> applyMigrations(Database &db, const QList<Migration> &migrations)
{
    const int latest = migrations.isEmpty() ? 0 : migrations.last().version;
    for (qsizetype i = 0; i < migrations.size(); ++i) {
        if (migrations[i].version != i + 1)
            return fail(Error::Code::InvalidArgument,
                QStringLiteral("Migration %1 is out of order: versions must run 1, 2, 3, ... "
                               "(this is a bug in ProvBench).")
                    .arg(migrations[i].version));
    }
    // Check without a write lock first: a newer database is refused before
    // anything, even the schema_version table, is written to it.
    auto current = schemaVersion(db);
    if (!current)
        return std::unexpected(current.error());
    if (auto ok = refuseNewer(db, *current, latest); !ok)
        return std::unexpected(ok.error());
    for (const Migration &m : migrations) {
        if (m.version <= *current)
            continue;
        auto ran = applyOne(db, m, latest);
        if (!ran)
            return std::unexpected(ran.error());
        if (*ran)
            qCInfo(lcStorage, "Applied migration %d (%s) to %s", m.version,
                qUtf8Printable(m.description), qUtf8Printable(db.display()));
    }
    return schemaVersion(db);
}

} // namespace provbench::store
