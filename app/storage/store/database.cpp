#include "app/storage/store/database.h"

#include "app/storage/store/migrations.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QSqlDriver>

#include <atomic>

Q_LOGGING_CATEGORY(lcStorage, "provbench.storage", QtWarningMsg)

namespace provbench::store {

namespace {

std::atomic<quint64> s_connectionCounter{0};

// SQLite's primary result codes (sqlite3.h), for advice that fits.
constexpr int kSqliteBusy = 5;
constexpr int kSqliteLocked = 6;
constexpr int kSqliteReadOnly = 8;
constexpr int kSqliteIoErr = 10;
constexpr int kSqliteCorrupt = 11;
constexpr int kSqliteFull = 13;
constexpr int kSqliteCantOpen = 14;
constexpr int kSqliteConstraint = 19;
constexpr int kSqliteNotADb = 26;

Result<void> requireDriver(const QString &driver, const QString &package)
{
    if (QSqlDatabase::isDriverAvailable(driver))
        return {};
    return fail(Error::Code::Unsupported,
        QStringLiteral("Qt's %1 database driver is not installed: install the Debian package %2 "
                       "(sudo apt-get install %2) and try again.")
            .arg(driver, package));
}

// A new SQLite file gets mode 0600 from the start: SQLite gives its -wal and
// -shm files the permissions of the database file.
Result<void> createPrivateFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly)) {
        if (QFileInfo::exists(path))
            return {}; // another process created it first
        return fail(Error::Code::Io,
            QStringLiteral("Cannot create the database file %1: %2. Check that the folder exists "
                           "and is writable.")
                .arg(path, file.errorString()));
    }
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return {};
}

} // namespace

Database::Database(DatabaseUrl url, QString name) : m_url(std::move(url)), m_name(std::move(name))
{
}

Database::~Database()
{
    // QSqlDatabase::removeDatabase warns (and leaks the connection) while any
    // copy of the handle is alive: close, drop ours, then remove.
    if (m_db.isValid())
        m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_name);
}

QString Database::now()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

Result<std::unique_ptr<Database>> Database::open(
    const QString &url, const QString &workspacePath, const OpenOptions &options)
{
    auto parsed = DatabaseUrl::parse(url, workspacePath);
    if (!parsed)
        return std::unexpected(parsed.error());
    return open(*parsed, options);
}

Result<std::unique_ptr<Database>> Database::open(const DatabaseUrl &url, const OpenOptions &options)
{
    const QString name = QStringLiteral("provbench.store.%1").arg(++s_connectionCounter);
    std::unique_ptr<Database> db(new Database(url, name));
    auto opened
        = url.dialect == Dialect::Sqlite ? db->openSqlite(options) : db->openPostgres(options);
    if (!opened)
        return std::unexpected(opened.error());
    qCInfo(lcStorage, "Opened %s as %s", qUtf8Printable(db->display()), qUtf8Printable(name));
    if (options.migrate) {
        auto version = applyMigrations(*db, builtinMigrations(url.dialect));
        if (!version)
            return std::unexpected(version.error());
    }
    return db;
}

Result<void> Database::openSqlite(const OpenOptions &options)
{
    if (auto ok = requireDriver(QStringLiteral("QSQLITE"), QStringLiteral("libqt6sql6-sqlite"));
        !ok)
        return ok;
    if (!QFileInfo::exists(m_url.path)) {
        if (!options.createIfMissing)
            return fail(Error::Code::NotFound,
                QStringLiteral("There is no inventory database at %1 yet: it is created when the "
                               "workbench first records a device or an event. Check --workspace "
                               "or --db.")
                    .arg(m_url.path));
        if (auto ok = createPrivateFile(m_url.path); !ok)
            return ok;
    }
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
    m_db.setDatabaseName(m_url.path);
    m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(options.busyTimeoutMs));
    if (!m_db.open())
        return std::unexpected(sqlError(QStringLiteral("open"), m_db.lastError()));
    // journal_mode answers with the mode in force: a file on a filesystem
    // without shared memory, or opened read-only, stays in another mode.
    auto mode = scalar(QStringLiteral("PRAGMA journal_mode = WAL"));
    if (!mode)
        return std::unexpected(mode.error());
    if (mode->toString().compare(u"wal", Qt::CaseInsensitive) != 0)
        return fail(Error::Code::Io,
            QStringLiteral("The database %1 could not be switched to WAL mode (it is in '%2' "
                           "mode): put the workspace on a local disk, not a network share.")
                .arg(display(), mode->toString()));
    for (const QString &pragma :
        {QStringLiteral("PRAGMA synchronous = FULL"), QStringLiteral("PRAGMA foreign_keys = ON"),
            QStringLiteral("PRAGMA busy_timeout = %1").arg(options.busyTimeoutMs)}) {
        if (auto q = exec(pragma); !q)
            return std::unexpected(q.error());
    }
    return {};
}

Result<void> Database::openPostgres(const OpenOptions &options)
{
    if (auto ok = requireDriver(QStringLiteral("QPSQL"), QStringLiteral("libqt6sql6-psql")); !ok)
        return ok;
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_name);
    if (!m_url.host.isEmpty())
        m_db.setHostName(m_url.host);
    m_db.setPort(m_url.port);
    if (!m_url.user.isEmpty())
        m_db.setUserName(m_url.user);
    if (!m_url.password.isEmpty())
        m_db.setPassword(m_url.password);
    m_db.setDatabaseName(m_url.database);
    QString connectOptions = m_url.options;
    if (!connectOptions.contains(QStringLiteral("connect_timeout="))) {
        const int seconds = qMax(2, options.busyTimeoutMs / 1000);
        connectOptions += (connectOptions.isEmpty() ? QString() : QStringLiteral(";"))
            + QStringLiteral("connect_timeout=%1").arg(seconds);
    }
    m_db.setConnectOptions(connectOptions);
    if (!m_db.open())
        return std::unexpected(sqlError(QStringLiteral("connect to"), m_db.lastError()));
    // libpq prints NOTICEs ("relation already exists, skipping") on stderr.
    if (auto q = exec(QStringLiteral("SET client_min_messages = warning")); !q)
        return std::unexpected(q.error());
    return {};
}

Error Database::sqlError(const QString &what, const QSqlError &error) const
{
    QString text = m_url.redact(error.text().trimmed());
    if (text.isEmpty())
        text = QStringLiteral("no details from the driver");
    if (!text.endsWith(u'.'))
        text += u'.';
    return Error::make(Error::Code::Io,
        QStringLiteral("Could not %1 the database %2: %3 %4")
            .arg(what, display(), text, adviceFor(error)));
}

QString Database::adviceFor(const QSqlError &error) const
{
    const QString native = error.nativeErrorCode();
    if (m_url.dialect == Dialect::Postgres) {
        // SQLSTATE: P0001 is RAISE EXCEPTION (the audit guards), class 23 a constraint.
        if (native == u"P0001" || native.startsWith(u"23"))
            return QStringLiteral("The database refused the change: a constraint or the audit "
                                  "log's append-only rule.");
        if (error.type() == QSqlError::ConnectionError || native.startsWith(u"08")
            || native.startsWith(u"28") || native == u"3D000")
            return QStringLiteral("Check that the server is running, that the URL's host, port, "
                                  "user and database are right, and the password (or "
                                  "~/.pgpass).");
        return QStringLiteral("Check that the server is reachable and the database is one "
                              "ProvBench created.");
    }
    // SQLite reports most statement failures as connection errors: go by the
    // primary result code instead.
    switch (native.toInt() & 0xff) {
    case kSqliteBusy:
    case kSqliteLocked:
        return QStringLiteral("Another process held the database's write lock for too long: "
                              "try again.");
    case kSqliteReadOnly:
        return QStringLiteral("The database file or its folder is read-only: check the "
                              "permissions.");
    case kSqliteIoErr:
    case kSqliteFull:
        return QStringLiteral("Check the free disk space and the disk itself.");
    case kSqliteCorrupt:
    case kSqliteNotADb:
        return QStringLiteral("The file is damaged or is not an SQLite database: restore it "
                              "from a backup or choose another file.");
    case kSqliteCantOpen:
        return QStringLiteral("Check that the folder exists and that you may read and write "
                              "it.");
    case kSqliteConstraint:
        return QStringLiteral("The database refused the change: a constraint or the audit "
                              "log's append-only rule.");
    default:
        return QStringLiteral("Check that the file is a database ProvBench created; 'provbench-cli "
                              "audit verify' checks the audit log.");
    }
}

Result<QSqlQuery> Database::exec(const QString &sql, const QVariantList &binds)
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    bool ok = false;
    if (binds.isEmpty()) {
        ok = q.exec(sql);
    } else {
        ok = q.prepare(sql);
        if (ok) {
            for (const QVariant &v : binds) {
                // A null QString binds as SQL NULL; text columns want ''.
                if (v.typeId() == QMetaType::QString && v.toString().isNull())
                    q.addBindValue(QStringLiteral(""));
                else
                    q.addBindValue(v);
            }
            ok = q.exec();
        }
    }
    if (!ok) {
        qCDebug(lcStorage, "Statement failed on %s: %s", qUtf8Printable(m_name),
            qUtf8Printable(sql.left(80)));
        return std::unexpected(sqlError(QStringLiteral("use"), q.lastError()));
    }
    return q;
}

Result<QVariant> Database::scalar(const QString &sql, const QVariantList &binds)
{
    auto q = exec(sql, binds);
    if (!q)
        return std::unexpected(q.error());
    QVariant value;
    if (q->next())
        value = q->value(0);
    q->finish();
    return value;
}

Result<int> Database::execAffected(const QString &sql, const QVariantList &binds)
{
    auto q = exec(sql, binds);
    if (!q)
        return std::unexpected(q.error());
    const int rows = q->numRowsAffected();
    q->finish();
    return rows;
}

Result<Transaction> Transaction::begin(Database &db)
{
    auto q = db.exec(db.dialect() == Dialect::Sqlite ? QStringLiteral("BEGIN IMMEDIATE")
                                                     : QStringLiteral("BEGIN"));
    if (!q)
        return std::unexpected(q.error());
    return Transaction(&db);
}

Transaction::Transaction(Transaction &&other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)) { }

Transaction::~Transaction()
{
    rollback();
}

Result<void> Transaction::commit()
{
    if (!m_db)
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("The transaction was already finished (this is a bug in ProvBench)."));
    auto q = m_db->exec(QStringLiteral("COMMIT"));
    if (!q) {
        rollback();
        return std::unexpected(q.error());
    }
    m_db = nullptr;
    return {};
}

void Transaction::rollback()
{
    if (!m_db)
        return;
    Database *db = std::exchange(m_db, nullptr);
    // After a failed COMMIT SQLite may have rolled back already; PostgreSQL
    // answers a ROLLBACK outside a transaction with a warning only.
    if (auto q = db->exec(QStringLiteral("ROLLBACK")); !q)
        qCDebug(lcStorage, "Rollback on %s: %s", qUtf8Printable(db->connectionName()),
            qUtf8Printable(q.error().message));
}

} // namespace provbench::store
