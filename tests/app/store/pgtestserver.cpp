#include "pgtestserver.h"

#include "app/storage/store/database.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QThread>

#include <csignal>
#include <grp.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace {

QString findBindir()
{
    const QString env = qEnvironmentVariable("PROVBENCH_TEST_PG_BINDIR");
    if (!env.isEmpty())
        return env;
    QDir root(QStringLiteral("/usr/lib/postgresql"));
    QStringList versions = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(versions.begin(), versions.end(),
        [](const QString &a, const QString &b) { return a.toInt() > b.toInt(); });
    for (const QString &v : std::as_const(versions)) {
        const QString bin = root.filePath(v + QStringLiteral("/bin"));
        if (QFile::exists(bin + QStringLiteral("/postgres")))
            return bin;
    }
    return QString();
}

int freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

} // namespace

PgTestServer::PgTestServer()
{
    m_dir.setAutoRemove(true);
}

PgTestServer::~PgTestServer()
{
    stop();
}

QString PgTestServer::socketDir() const
{
    return m_dir.path();
}

QString PgTestServer::url(const QString &database) const
{
    return QStringLiteral("postgresql://%1:%2@127.0.0.1:%3/%4")
        .arg(user(), m_password)
        .arg(m_port)
        .arg(database);
}

QString PgTestServer::start()
{
    const QString bindir = findBindir();
    if (bindir.isEmpty() || !QFile::exists(bindir + QStringLiteral("/initdb"))
        || !QFile::exists(bindir + QStringLiteral("/postgres")))
        return QStringLiteral("PostgreSQL server binaries not found (install the Debian package "
                              "postgresql, or set $PROVBENCH_TEST_PG_BINDIR): PostgreSQL tests "
                              "skipped.");
    if (!m_dir.isValid())
        return QStringLiteral("Cannot create a temporary folder for the PostgreSQL server.");
    if (::geteuid() == 0) {
        // postgres will not run as root: run it as nobody, in a folder nobody owns.
        const passwd *pw = ::getpwnam("nobody");
        if (!pw)
            return QStringLiteral("Running as root and there is no user 'nobody' to run the "
                                  "PostgreSQL server as (postgres refuses root): PostgreSQL tests "
                                  "skipped.");
        m_uid = pw->pw_uid;
        m_gid = pw->pw_gid;
        m_dropPrivileges = true;
        if (::chown(QFile::encodeName(m_dir.path()).constData(), m_uid, m_gid) != 0)
            return QStringLiteral("Cannot give the temporary folder to 'nobody' for the "
                                  "PostgreSQL server: PostgreSQL tests skipped.");
    }
    m_password
        = QString::number(QRandomGenerator::system()->generate64(), 16) + QStringLiteral("Pw");
    if (QString why = runInitdb(bindir); !why.isEmpty())
        return why;
    QString why;
    for (int attempt = 0; attempt < 3; ++attempt) {
        why = launch(bindir);
        if (why.isEmpty())
            return QString();
    }
    return why;
}

QString PgTestServer::runInitdb(const QString &bindir)
{
    const QString pwfile = m_dir.filePath(QStringLiteral("pwfile"));
    {
        QFile f(pwfile);
        if (!f.open(QIODevice::WriteOnly))
            return QStringLiteral("Cannot write the PostgreSQL password file.");
        f.write(m_password.toUtf8() + '\n');
    }
    if (m_dropPrivileges && ::chown(QFile::encodeName(pwfile).constData(), m_uid, m_gid) != 0)
        return QStringLiteral("Cannot give the password file to 'nobody'.");
    QProcess initdb;
    const bool drop = m_dropPrivileges;
    const uid_t uid = m_uid;
    const gid_t gid = m_gid;
    initdb.setChildProcessModifier([drop, uid, gid] {
        if (drop && (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0))
            ::_exit(126);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    });
    initdb.setWorkingDirectory(m_dir.path());
    initdb.setProcessChannelMode(QProcess::MergedChannels);
    initdb.start(bindir + QStringLiteral("/initdb"),
        {QStringLiteral("-D"), m_dir.filePath(QStringLiteral("data")), QStringLiteral("-U"), user(),
            QStringLiteral("--pwfile=") + pwfile, QStringLiteral("--auth-local=trust"),
            QStringLiteral("--auth-host=scram-sha-256"), QStringLiteral("-E"),
            QStringLiteral("UTF8"), QStringLiteral("--no-locale"), QStringLiteral("--no-sync")});
    if (!initdb.waitForFinished(120000) || initdb.exitStatus() != QProcess::NormalExit
        || initdb.exitCode() != 0)
        return QStringLiteral("initdb failed, so no PostgreSQL server could be started "
                              "(PostgreSQL tests skipped): %1")
            .arg(initdb.errorString() + u' ' + QString::fromLocal8Bit(initdb.readAll()).right(600));
    return QString();
}

QString PgTestServer::launch(const QString &bindir)
{
    m_port = freePort();
    m_server = std::make_unique<QProcess>();
    const bool drop = m_dropPrivileges;
    const uid_t uid = m_uid;
    const gid_t gid = m_gid;
    m_server->setChildProcessModifier([drop, uid, gid] {
        if (drop && (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0))
            ::_exit(126);
        // Immediate shutdown if the test process dies without stopping us.
        ::prctl(PR_SET_PDEATHSIG, SIGQUIT);
    });
    m_server->setWorkingDirectory(m_dir.path());
    m_server->setProcessChannelMode(QProcess::MergedChannels);
    m_server->start(bindir + QStringLiteral("/postgres"),
        {QStringLiteral("-D"), m_dir.filePath(QStringLiteral("data")), QStringLiteral("-p"),
            QString::number(m_port), QStringLiteral("-c"),
            QStringLiteral("listen_addresses=127.0.0.1"), QStringLiteral("-c"),
            QStringLiteral("unix_socket_directories=") + m_dir.path(), QStringLiteral("-c"),
            QStringLiteral("fsync=off"), QStringLiteral("-c"), QStringLiteral("max_connections=50"),
            QStringLiteral("-c"), QStringLiteral("shared_buffers=16MB")});
    QByteArray log;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 30000) {
        if (m_server->waitForReadyRead(200))
            log += m_server->readAll();
        if (log.contains("ready to accept connections"))
            return QString();
        if (m_server->state() == QProcess::NotRunning)
            break;
    }
    log += m_server->readAll();
    stop();
    return QStringLiteral("The PostgreSQL server did not start (PostgreSQL tests skipped): %1")
        .arg(QString::fromLocal8Bit(log).right(600));
}

void PgTestServer::stop()
{
    if (!m_server)
        return;
    if (m_server->state() != QProcess::NotRunning) {
        ::kill(static_cast<pid_t>(m_server->processId()), SIGINT); // fast shutdown
        if (!m_server->waitForFinished(15000)) {
            m_server->kill();
            m_server->waitForFinished(5000);
        }
    }
    m_server.reset();
}

provbench::Result<QString> PgTestServer::createDatabase()
{
    using namespace provbench::store;
    auto admin = Database::open(url(QStringLiteral("postgres")), QString(), [] {
        OpenOptions o;
        o.createIfMissing = true;
        o.busyTimeoutMs = 10000;
        o.migrate = false;
        return o;
    }());
    if (!admin)
        return std::unexpected(admin.error());
    const QString name = QStringLiteral("pbtest_%1").arg(++m_databases);
    auto q = (*admin)->exec(QStringLiteral("CREATE DATABASE %1").arg(name));
    if (!q)
        return std::unexpected(q.error());
    return url(name);
}
