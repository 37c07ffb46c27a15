#pragma once

#include "app/core/error.h"

#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <memory>

// A throwaway PostgreSQL server for tests: initdb in a temporary folder, then
// `postgres` as a child process on 127.0.0.1 and a random port, with a Unix
// socket in the same folder. Local socket connections are trusted; TCP needs
// the superuser's random password (so tests also cover password
// authentication). The server dies with the test process (PR_SET_PDEATHSIG)
// and is stopped by stop() or the destructor.
//
// PostgreSQL refuses to run as root: under root the server runs as the user
// `nobody`, which owns the temporary folder.
//
// $PROVBENCH_TEST_PG_BINDIR overrides where initdb and postgres are found
// (default: the newest /usr/lib/postgresql/*/bin).
class PgTestServer
{
public:
    PgTestServer();
    ~PgTestServer();

    // Empty when the server runs; otherwise why it could not be started
    // (a sentence for QSKIP).
    QString start();
    void stop();
    bool isRunning() const { return m_server && m_server->state() == QProcess::Running; }

    QString user() const { return QStringLiteral("provbench"); }
    QString password() const { return m_password; }
    int port() const { return m_port; }
    QString socketDir() const;
    // postgresql://provbench:<password>@127.0.0.1:<port>/<database>
    QString url(const QString &database) const;
    // Creates a new empty database and returns its URL.
    provbench::Result<QString> createDatabase();

private:
    QString runInitdb(const QString &bindir);
    QString launch(const QString &bindir);

    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_server;
    QString m_password;
    int m_port = 0;
    int m_databases = 0;
    uid_t m_uid = 0;
    gid_t m_gid = 0;
    bool m_dropPrivileges = false;
};
