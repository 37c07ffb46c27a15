#include "app/simulator/simulatedsmpstore.h"

namespace provbench::sim {

using smp::DeviceError;

SmpSettingsStore::SmpSettingsStore(QMap<QString, QByteArray> saved)
    : m_saved(std::move(saved)), m_active(m_saved)
{
}

std::optional<QByteArray> SmpSettingsStore::read(const QString &key) const
{
    if (const auto it = m_staged.constFind(key); it != m_staged.cend())
        return *it;
    if (const auto it = m_active.constFind(key); it != m_active.cend())
        return *it;
    return std::nullopt;
}

void SmpSettingsStore::write(const QString &key, const QByteArray &value)
{
    m_staged.insert(key, value);
}

bool SmpSettingsStore::remove(const QString &key)
{
    if (!read(key))
        return false;
    m_staged.insert(key, std::nullopt);
    return true;
}

void SmpSettingsStore::commit()
{
    for (auto it = m_staged.cbegin(); it != m_staged.cend(); ++it) {
        if (it.value())
            m_active.insert(it.key(), *it.value());
        else
            m_active.remove(it.key());
    }
    m_staged.clear();
}

void SmpSettingsStore::save()
{
    commit();
    m_saved = m_active;
}

void SmpSettingsStore::load()
{
    m_staged.clear();
    m_active = m_saved;
}

SmpFileStore::SmpFileStore(qint64 maxFile, qint64 maxTotal, QMap<QString, QByteArray> files)
    : m_maxFile(maxFile), m_maxTotal(maxTotal), m_files(std::move(files))
{
}

std::optional<QByteArray> SmpFileStore::file(const QString &path) const
{
    if (const auto it = m_files.constFind(path); it != m_files.cend())
        return *it;
    return std::nullopt;
}

qint64 SmpFileStore::totalSize() const
{
    qint64 total = 0;
    for (const QByteArray &f : m_files)
        total += f.size();
    return total;
}

SmpFileStore::Answer SmpFileStore::upload(const QString &path, qint64 offset,
    const QByteArray &data, std::optional<qint64> length, bool legacy)
{
    auto error = [legacy](int fsRc, int legacyRc) {
        return Answer{
            legacy ? DeviceError{true, 0, legacyRc} : DeviceError{false, smp::GroupFs, fsRc}, 0};
    };
    if (path.isEmpty() || !path.startsWith(QLatin1Char('/')) || path.endsWith(QLatin1Char('/')))
        return error(smp::FsErrInvalidName, smp::ErrInval);
    if (offset == 0) {
        if (!length || *length < data.size())
            return error(smp::FsErrUnknown, smp::ErrInval);
        const qint64 others = totalSize() - file(path).value_or(QByteArray()).size();
        if (*length > m_maxFile || others + *length > m_maxTotal) {
            m_upload.reset();
            return Answer{DeviceError{true, 0, smp::ErrNoMem}, 0};
        }
        m_upload = Upload{path, *length, data};
    } else {
        qint64 current = 0;
        if (m_upload && m_upload->path == path)
            current = m_upload->buffer.size();
        else if (m_lastPath == path)
            current = m_lastLength;
        if (offset != current || !m_upload || m_upload->path != path)
            return Answer{std::nullopt, current};
        if (m_upload->buffer.size() + data.size() > m_upload->length) {
            m_upload.reset();
            return error(smp::FsErrWriteFailed, smp::ErrInval);
        }
        m_upload->buffer.append(data);
    }
    const qint64 now = m_upload->buffer.size();
    if (now == m_upload->length) {
        m_files.insert(path, m_upload->buffer);
        m_lastPath = path;
        m_lastLength = now;
        m_upload.reset();
    }
    return Answer{std::nullopt, now};
}

} // namespace provbench::sim
