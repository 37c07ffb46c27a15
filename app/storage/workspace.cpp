#include "app/storage/workspace.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

#include <unistd.h>

namespace provbench {

namespace {

constexpr QFileDevice::Permissions kDirMode
    = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner;
constexpr QFileDevice::Permissions kFileMode = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

Result<void> ensureDir(const QString &path)
{
    const QFileInfo fi(path);
    if (fi.exists() && !fi.isDir())
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("%1 exists but is not a folder: choose another workspace "
                           "folder.")
                .arg(path));
    // Create missing folders one level at a time, each 0700 from the start:
    // mkpath() would give the intermediate ones the umask's permissions.
    QStringList missing;
    for (QFileInfo f(QFileInfo(path).absoluteFilePath()); !f.exists();
         f = QFileInfo(f.absolutePath()))
        missing.prepend(f.absoluteFilePath());
    for (const QString &dir : std::as_const(missing)) {
        if (!QDir().mkdir(dir, kDirMode))
            return fail(Error::Code::Io,
                QStringLiteral("Cannot create the folder %1: check that its parent exists "
                               "and is writable.")
                    .arg(dir));
    }
    // Profiles hold Wi-Fi passphrases and keys: nobody else may list or read them.
    if (!QFile::setPermissions(path, kDirMode))
        return fail(Error::Code::Io,
            QStringLiteral("Cannot restrict %1 to its owner (mode 0700): check that you "
                           "own the folder.")
                .arg(path));
    return {};
}

} // namespace

QString Workspace::defaultPath()
{
    const QByteArray env = qgetenv("PROVBENCH_WORKSPACE");
    if (!env.isEmpty())
        return QFileInfo(QString::fromLocal8Bit(env)).absoluteFilePath();
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
        + QStringLiteral("/ProvBench/workspace");
}

Result<Workspace> Workspace::open(const QString &path)
{
    if (path.isEmpty())
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("No workspace folder given: pass --workspace DIR or set "
                           "$PROVBENCH_WORKSPACE."));
    const QString abs = QFileInfo(path).absoluteFilePath();
    if (auto ok = ensureDir(abs); !ok)
        return std::unexpected(ok.error());
    if (auto ok = ensureDir(abs + QStringLiteral("/profiles")); !ok)
        return std::unexpected(ok.error());
    return Workspace(abs);
}

QString Workspace::profilesDir() const
{
    return m_path + QStringLiteral("/profiles");
}

QString Workspace::filePath(const QString &relative) const
{
    return QDir(m_path).filePath(relative);
}

Result<void> Workspace::writeFile(const QString &path, const QByteArray &data)
{
    const QString dir = QFileInfo(path).absolutePath();
    if (!QFileInfo::exists(dir)) {
        if (auto ok = ensureDir(dir); !ok)
            return ok;
    }
    QSaveFile file(path);
    // Set the mode before any byte is written, so the secret never sits in a
    // world-readable temporary file.
    if (!file.open(QIODevice::WriteOnly) || !file.setPermissions(kFileMode))
        return fail(Error::Code::Io,
            QStringLiteral("Cannot write %1 (%2): check the folder's "
                           "permissions and free space.")
                .arg(path, file.errorString()));
    if (file.write(data) != data.size() || !file.commit())
        return fail(Error::Code::Io,
            QStringLiteral("Writing %1 failed (%2); the previous version "
                           "is unchanged. Check free space and try again.")
                .arg(path, file.errorString()));
    return {};
}

Result<void> Workspace::appendLine(const QString &path, const QByteArray &line)
{
    const QString dir = QFileInfo(path).absolutePath();
    if (!QFileInfo::exists(dir)) {
        if (auto ok = ensureDir(dir); !ok)
            return ok;
    }
    QFile file(path);
    const bool existed = file.exists();
    if (!file.open(QIODevice::ReadWrite | QIODevice::Append)
        || (!existed && !file.setPermissions(kFileMode)))
        return fail(Error::Code::Io,
            QStringLiteral("Cannot append to %1 (%2): check the folder's permissions and free "
                           "space.")
                .arg(path, file.errorString()));
    QByteArray data;
    if (file.size() > 0) {
        // A crash during an earlier append may have left a partial line.
        QFile tail(path);
        if (tail.open(QIODevice::ReadOnly) && tail.seek(tail.size() - 1)
            && tail.read(1) != QByteArrayLiteral("\n"))
            data += '\n';
    }
    data += line;
    data += '\n';
    if (file.write(data) != data.size() || !file.flush() || ::fsync(file.handle()) != 0)
        return fail(Error::Code::Io,
            QStringLiteral("Appending to %1 failed (%2). Check free space and try again.")
                .arg(path, file.errorString()));
    return {};
}

Result<QByteArray> Workspace::readFile(const QString &path, qint64 maxBytes)
{
    QFile file(path);
    if (!file.exists())
        return fail(Error::Code::NotFound, QStringLiteral("%1 does not exist.").arg(path));
    if (!file.open(QIODevice::ReadOnly))
        return fail(Error::Code::Io,
            QStringLiteral("Cannot read %1 (%2): check its permissions.")
                .arg(path, file.errorString()));
    if (file.size() > maxBytes)
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("%1 has %2 bytes, more than the %3 allowed: is it the right "
                           "file?")
                .arg(path)
                .arg(file.size())
                .arg(maxBytes));
    // QIODevice::read(n) allocates n bytes up front: ask for what the file
    // holds (files that report no size, such as those in /proc, get the limit).
    const qint64 size = file.size();
    return file.read(size > 0 ? size : maxBytes);
}

} // namespace provbench
