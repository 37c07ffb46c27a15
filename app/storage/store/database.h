#pragma once

#include "app/core/error.h"
#include "app/storage/store/databaseurl.h"

#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariantList>

#include <memory>

// provbench.storage: opening databases (URL without password), migrations,
// verification summaries. Never a password, never an audit record's details.
Q_DECLARE_LOGGING_CATEGORY(lcStorage)

namespace provbench::store {

struct OpenOptions
{
    // SQLite: create the database file (mode 0600) when it is missing. When
    // false a missing file is Code::NotFound, so a read-only command does not
    // leave an empty database behind.
    bool createIfMissing = true;
    // How long a writer waits for another process's write lock (SQLite) or
    // for the server to answer a connection (PostgreSQL connect_timeout).
    int busyTimeoutMs = 10000;
    // Bring the schema up to date (see migrations.h). Tests of migrations
    // open without it.
    bool migrate = true;
};

// One connection to the inventory database.
//
// SQLite: WAL journal, synchronous=FULL (a commit is on disk when it
// returns), foreign keys on, a busy timeout so that two processes queue for
// the write lock instead of failing. PostgreSQL: Qt's QPSQL driver (package
// libqt6sql6-psql).
//
// Each Database has its own QSqlDatabase connection name and removes it on
// destruction. Every QSqlQuery made on it must be destroyed first, and the
// object must be used only on the thread that opened it (Qt SQL's rule).
class Database
{
public:
    static Result<std::unique_ptr<Database>> open(
        const DatabaseUrl &url, const OpenOptions &options = {});
    // Parses `url` (see DatabaseUrl::parse) and opens it.
    static Result<std::unique_ptr<Database>> open(
        const QString &url, const QString &workspacePath, const OpenOptions &options = {});

    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;
    ~Database();

    Dialect dialect() const { return m_url.dialect; }
    const DatabaseUrl &url() const { return m_url; }
    // The URL without password, for messages.
    QString display() const { return m_url.display(); }
    QString connectionName() const { return m_name; }

    // Prepares and runs one statement with positional '?' bindings, or runs
    // it unprepared when `binds` is empty (DDL, PRAGMA, PL/pgSQL bodies).
    // The returned query is positioned before its first row.
    Result<QSqlQuery> exec(const QString &sql, const QVariantList &binds = {});
    // The first column of the first row; a null QVariant when there is no row.
    Result<QVariant> scalar(const QString &sql, const QVariantList &binds = {});
    // Rows changed by an INSERT/UPDATE/DELETE.
    Result<int> execAffected(const QString &sql, const QVariantList &binds = {});

    // A failed statement as an Error: Code::Io, the URL without password, the
    // driver's text (redacted) and what to do about it.
    Error sqlError(const QString &what, const QSqlError &error) const;

    // The current time as stored: UTC, milliseconds, "2024-05-01T12:00:00.000Z".
    static QString now();

private:
    friend class Transaction;
    Database(DatabaseUrl url, QString name);
    Result<void> openSqlite(const OpenOptions &options);
    Result<void> openPostgres(const OpenOptions &options);
    QString adviceFor(const QSqlError &error) const;

    DatabaseUrl m_url;
    QString m_name;
    QSqlDatabase m_db;
};

// A write transaction: BEGIN IMMEDIATE on SQLite (the write lock is taken at
// once, so concurrent writers queue on the busy timeout instead of failing
// when a read upgrades to a write), BEGIN on PostgreSQL (rows are locked by
// the statements themselves). Rolled back on destruction unless committed.
class Transaction
{
public:
    static Result<Transaction> begin(Database &db);
    Transaction(Transaction &&other) noexcept;
    Transaction &operator=(Transaction &&) = delete;
    Transaction(const Transaction &) = delete;
    ~Transaction();

    // Durable when it returns successfully (SQLite synchronous=FULL).
    Result<void> commit();
    void rollback();

private:
    explicit Transaction(Database *db) : m_db(db) { }
    Database *m_db = nullptr;
};

} // namespace provbench::store
