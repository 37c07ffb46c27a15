#include "app/cli/clistore.h"

#include "app/cli/clivault.h"

namespace provbench::cli {

QCommandLineOption databaseOption()
{
    return QCommandLineOption(QStringLiteral("db"),
        QStringLiteral("The inventory database: sqlite:FILE or "
                       "postgresql://user@host:port/dbname (default: $PROVBENCH_DB, else "
                       "<workspace>/inventory.db). Keep passwords in ~/.pgpass or $PGPASSWORD "
                       "rather than in the URL."),
        QStringLiteral("URL"));
}

Result<std::unique_ptr<store::Store>> openStoreForReading(const QCommandLineParser &parser)
{
    QString url = parser.value(QStringLiteral("db"));
    if (url.isEmpty())
        url = qEnvironmentVariable("PROVBENCH_DB");
    store::OpenOptions options;
    options.createIfMissing = false;
    return store::Store::open(url, workspaceArgument(parser), QString(), options);
}

Result<std::unique_ptr<store::Store>> openStoreForWriting(const QCommandLineParser &parser)
{
    QString url = parser.value(QStringLiteral("db"));
    if (url.isEmpty())
        url = qEnvironmentVariable("PROVBENCH_DB");
    return store::Store::open(url, workspaceArgument(parser), store::AuditLog::defaultActor());
}

} // namespace provbench::cli
