#pragma once

#include "app/core/error.h"

#include <QByteArray>
#include <QString>

namespace provbench {

// The folder that holds a user's profiles, CA, inventory and settings.
// Created with mode 0700; every file written through it gets 0600, because
// profiles carry Wi-Fi passphrases and keys. Writes are atomic (QSaveFile):
// a crash leaves the old file or the new one, never half of one.
class Workspace
{
public:
    // $PROVBENCH_WORKSPACE if set, else the user's data folder
    // (~/.local/share/ProvBench/workspace).
    static QString defaultPath();
    // Opens (creating if needed) the workspace at `path`. Fails with a message
    // that names the folder and what to do when it cannot be created or is
    // not a folder.
    static Result<Workspace> open(const QString &path);

    QString path() const { return m_path; }
    QString profilesDir() const;
    QString filePath(const QString &relative) const;

    // Atomic write with 0600 permissions; creates parent folders (0700).
    static Result<void> writeFile(const QString &path, const QByteArray &data);
    // Appends one line (a '\n' is added) durably: written and fsync'ed before
    // returning; the file is created 0600. For logs that only grow: a crash
    // can leave at most a partial last line, which the next append closes
    // first so it never merges with a new record; readers skip such a line.
    static Result<void> appendLine(const QString &path, const QByteArray &line);
    // Reads at most `maxBytes`; larger files are refused with a message.
    static Result<QByteArray> readFile(const QString &path, qint64 maxBytes = 1 << 20);

private:
    explicit Workspace(QString path) : m_path(std::move(path)) { }
    QString m_path;
};

} // namespace provbench
