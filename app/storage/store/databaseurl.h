#pragma once

#include "app/core/error.h"

#include <QString>

namespace provbench::store {

enum class Dialect { Sqlite, Postgres };

// Where the inventory and audit log live, parsed from a connection URL:
//
//   ""  or  "sqlite:"                 <workspace>/inventory.db
//   "sqlite:PATH", "sqlite://PATH"    that file (relative to the current folder)
//   "postgresql://user:password@host:port/dbname?sslmode=require"  (also "postgres://")
//
// The PostgreSQL form follows libpq: user, password and host may be
// percent-encoded; a host that is a folder ("%2Frun%2Fpostgresql", or
// "?host=/run/postgresql") means a Unix socket there; the port defaults to
// 5432 and the user to libpq's default. Query parameters: host, sslmode,
// connect_timeout, application_name. A password may be left out of the URL
// and come from ~/.pgpass or $PGPASSWORD instead (libpq reads both), which
// keeps it out of the process list.
//
// The password is kept only to open the connection: display() and every
// message show the URL without it.
struct DatabaseUrl
{
    Dialect dialect = Dialect::Sqlite;
    QString path; // SQLite: absolute path of the database file
    // PostgreSQL
    QString host; // name, address, or an absolute socket folder; empty: libpq's default
    int port = 5432;
    QString user;
    QString password;
    QString database;
    QString options; // QPSQL connect options ("sslmode=require;connect_timeout=5")

    // The default SQLite file of a workspace.
    static QString defaultSqlitePath(const QString &workspacePath);
    // Parses `url`; an empty url or "sqlite:" means defaultSqlitePath(workspacePath).
    // Errors are Code::InvalidArgument and never contain the password.
    static Result<DatabaseUrl> parse(const QString &url, const QString &workspacePath);

    // "sqlite:/path/inventory.db" or "postgresql://user@host:5432/db": safe to
    // print and log (no password).
    QString display() const;
    // `text` with the password, if any, replaced by "***": for driver
    // messages that might echo connection details.
    QString redact(QString text) const;
};

} // namespace provbench::store
