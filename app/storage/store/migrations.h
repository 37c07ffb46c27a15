#pragma once

#include "app/core/error.h"
#include "app/storage/store/databaseurl.h"

#include <QList>
#include <QStringList>

namespace provbench::store {

class Database;

// One step of the schema: statements run in order, in one transaction with
// the row that records it in schema_version (version, description,
// applied_at). Each statement is a single SQL statement (QSQLITE runs only
// the first statement of a string).
struct Migration
{
    int version = 0;
    QString description;
    QStringList statements;
};

// The ordered schema of each dialect (schema.cpp). Versions start at 1 and
// increase by one; a released migration is never edited, only followed by
// a new one.
QList<Migration> builtinMigrations(Dialect dialect);
int latestSchemaVersion(Dialect dialect);

// The highest version recorded in schema_version; 0 for a database that has
// none yet.
Result<int> schemaVersion(Database &db);

// Applies every migration newer than the database's version, in order, each
// in its own write transaction (a failure rolls that migration back and stops
// with the error; earlier ones stay). Two processes opening a new database
// at once are serialized (SQLite: BEGIN IMMEDIATE, PostgreSQL: an advisory
// lock), and the second finds the work done. A database whose version is
// newer than the last of `migrations` is refused with Code::Unsupported.
// Returns the version the database has afterwards.
Result<int> applyMigrations(Database &db, const QList<Migration> &migrations);

} // namespace provbench::store
