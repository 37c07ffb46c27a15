#pragma once

#include "app/protocol/smp/smpmessages.h"

#include <QByteArray>
#include <QMap>
#include <QString>

#include <optional>

// The storage half of the simulated SMP device, free of I/O so the rules can
// be read (and tested) on their own.
namespace provbench::sim {

// Zephyr-like settings with three layers: saved (flash, survives a reset),
// active (what the application runs with) and staged (written over SMP but
// neither committed nor saved). A read returns the staged value when there is
// one, as Zephyr's runtime settings do; commit applies the staged changes to
// the active set, save applies them and stores the active set; load and a
// reset drop staged and unsaved changes. Each step is atomic.
class SmpSettingsStore
{
public:
    explicit SmpSettingsStore(QMap<QString, QByteArray> saved = {});

    std::optional<QByteArray> read(const QString &key) const;
    void write(const QString &key, const QByteArray &value);
    // False when the key does not exist (in the staged view).
    bool remove(const QString &key);
    void commit();
    void save();
    void load();

    const QMap<QString, QByteArray> &saved() const { return m_saved; }
    const QMap<QString, QByteArray> &active() const { return m_active; }
    bool hasStaged() const { return !m_staged.isEmpty(); }

private:
    QMap<QString, QByteArray> m_saved;
    QMap<QString, QByteArray> m_active;
    QMap<QString, std::optional<QByteArray>> m_staged; // nullopt: deleted
};

// A small file system with size limits. Uploads go into a buffer that
// replaces the file only when the last byte (per "len") has arrived, so an
// interrupted upload leaves the old file (or none), never a truncated one.
// A chunk at the wrong offset is answered with the device's current offset
// (no error), as mcumgr does, so a client can resynchronise.
class SmpFileStore
{
public:
    struct Answer
    {
        std::optional<smp::DeviceError> error;
        qint64 offset = 0;
    };

    SmpFileStore(qint64 maxFile, qint64 maxTotal, QMap<QString, QByteArray> files = {});

    // `legacy` chooses SMP v1 errors ({"rc"}) over v2 group errors.
    Answer upload(const QString &path, qint64 offset, const QByteArray &data,
        std::optional<qint64> length, bool legacy);
    std::optional<QByteArray> file(const QString &path) const;
    const QMap<QString, QByteArray> &files() const { return m_files; }
    qint64 totalSize() const;
    bool uploadInProgress() const { return m_upload.has_value(); }
    // A reboot loses the upload buffer (RAM).
    void abortUpload() { m_upload.reset(); }

private:
    struct Upload
    {
        QString path;
        qint64 length = 0;
        QByteArray buffer;
    };
    qint64 m_maxFile;
    qint64 m_maxTotal;
    QMap<QString, QByteArray> m_files;
    std::optional<Upload> m_upload;
    QString m_lastPath; // the last completed upload, for a repeated final chunk
    qint64 m_lastLength = 0;
};

} // namespace provbench::sim
