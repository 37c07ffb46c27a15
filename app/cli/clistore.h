#pragma once

#include "app/core/error.h"
#include "app/storage/store/store.h"

#include <QCommandLineOption>
#include <QCommandLineParser>

// The inventory and audit database for CLI commands: --db URL, else
// $PROVBENCH_DB, else the SQLite file of the workspace (--workspace DIR).
namespace provbench::cli {

QCommandLineOption databaseOption();

// Opens the database for reading: a workspace without a database yet is
// Code::NotFound (exit 3), not a new empty database.
Result<std::unique_ptr<store::Store>> openStoreForReading(const QCommandLineParser &parser);

// Opens (creating when needed) the database for writing, recording as
// AuditLog::defaultActor().
Result<std::unique_ptr<store::Store>> openStoreForWriting(const QCommandLineParser &parser);

} // namespace provbench::cli
