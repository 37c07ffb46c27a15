#include "app/simulator/ptypair.h"

#include "app/core/logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

namespace provbench::sim {

namespace {

QString errnoText(int err)
{
    return QString::fromLocal8Bit(std::strerror(err));
}

bool addFdFlags(int fd, int statusFlags, int fdFlags)
{
    const int st = ::fcntl(fd, F_GETFL);
    if (st < 0 || ::fcntl(fd, F_SETFL, st | statusFlags) < 0)
        return false;
    const int fl = ::fcntl(fd, F_GETFD);
    return fl >= 0 && ::fcntl(fd, F_SETFD, fl | fdFlags) >= 0;
}

// Makes linkPath point at target. A symlink left behind by an earlier run that
// crashed is replaced; anything else at that path is not ours to delete.
Result<void> makeLink(const QString &linkPath, const QString &target)
{
    const QByteArray link = QFile::encodeName(linkPath);
    struct stat st
    {
    };
    if (::lstat(link.constData(), &st) == 0) {
        if (!S_ISLNK(st.st_mode))
            return fail(Error::Code::InvalidArgument,
                QStringLiteral("Cannot create the simulated port link %1: a file that is "
                               "not a symlink is already there. Remove it or choose "
                               "another folder.")
                    .arg(linkPath));
        qCInfo(lcSimulator) << "Replacing stale link" << linkPath;
    }
    // Create under a temporary name and rename over the old link, so a client
    // never sees the path missing or pointing nowhere.
    const QByteArray tmp = link + ".tmp" + QByteArray::number(::getpid());
    ::unlink(tmp.constData());
    if (::symlink(QFile::encodeName(target).constData(), tmp.constData()) != 0
        || ::rename(tmp.constData(), link.constData()) != 0) {
        const int err = errno;
        ::unlink(tmp.constData());
        const QString dir = QFileInfo(linkPath).absolutePath();
        return fail(err == ENOENT ? Error::Code::NotFound : Error::Code::Io,
            QStringLiteral("Cannot create the simulated port link %1 (%2). Check that "
                           "the folder %3 exists and is writable, or choose another "
                           "folder.")
                .arg(linkPath, errnoText(err), dir));
    }
    return {};
}

} // namespace

Result<std::unique_ptr<PtyPair>> PtyPair::open(const QString &linkPath)
{
    std::unique_ptr<PtyPair> pty(new PtyPair);
    int master = -1;
    int slave = -1;
    if (::openpty(&master, &slave, nullptr, nullptr, nullptr) != 0) {
        const int err = errno;
        return fail(Error::Code::Io,
            QStringLiteral("Cannot open a pseudo-terminal (%1). Check that /dev/ptmx is "
                           "accessible and /dev/pts is mounted; in a container, mount "
                           "devpts or run with a terminal device.")
                .arg(errnoText(err)));
    }
    pty->m_master = master;
    pty->m_slaveHold = slave;

    char name[128] = {};
    if (::ttyname_r(slave, name, sizeof name) != 0)
        return fail(Error::Code::Io,
            QStringLiteral("Cannot find the name of the new pseudo-terminal. Check that "
                           "/dev/pts is mounted."));
    pty->m_slavePath = QFile::decodeName(name);

    // Raw mode on the slave: no echo of commands back to the client, no CR/LF
    // translation of binary packets, no signals on ^C bytes.
    struct termios tio
    {
    };
    if (::tcgetattr(slave, &tio) != 0)
        return fail(Error::Code::Io,
            QStringLiteral("Cannot read the settings of %1 (%2).")
                .arg(pty->m_slavePath, errnoText(errno)));
    ::cfmakeraw(&tio);
    if (::tcsetattr(slave, TCSANOW, &tio) != 0)
        return fail(Error::Code::Io,
            QStringLiteral("Cannot put %1 in raw mode (%2).")
                .arg(pty->m_slavePath, errnoText(errno)));

    // The simulator runs on an event loop: the master must never block it.
    if (!addFdFlags(master, O_NONBLOCK, FD_CLOEXEC) || !addFdFlags(slave, 0, FD_CLOEXEC))
        return fail(Error::Code::Io,
            QStringLiteral("Cannot configure the pseudo-terminal %1 (%2).")
                .arg(pty->m_slavePath, errnoText(errno)));

    if (!linkPath.isEmpty()) {
        const QString absolute = QFileInfo(linkPath).absoluteFilePath();
        if (auto ok = makeLink(absolute, pty->m_slavePath); !ok)
            return std::unexpected(ok.error());
        pty->m_linkPath = absolute;
    }
    qCDebug(lcSimulator) << "Opened pty" << pty->m_slavePath << "link" << pty->m_linkPath;
    return pty;
}

PtyPair::~PtyPair()
{
    if (!m_linkPath.isEmpty()) {
        // Only remove the link if it is still ours: another simulator may have
        // taken the path over in the meantime.
        const QByteArray link = QFile::encodeName(m_linkPath);
        char target[256] = {};
        const ssize_t n = ::readlink(link.constData(), target, sizeof target - 1);
        if (n > 0 && QFile::decodeName(QByteArray(target, n)) == m_slavePath)
            ::unlink(link.constData());
    }
    if (m_master >= 0)
        ::close(m_master);
    if (m_slaveHold >= 0)
        ::close(m_slaveHold);
}

qsizetype PtyPair::unreadByClient() const
{
    int pending = 0;
    if (m_slaveHold < 0 || ::ioctl(m_slaveHold, FIONREAD, &pending) != 0)
        return 0;
    return pending;
}

} // namespace provbench::sim
