// The operations of SmpClient: one request each, or chains of requests for
// chunked file transfers. The session mechanics live in smpclient.cpp.
#include "app/protocol/smp/smpclient.h"

namespace provbench::smp {

namespace {

constexpr int kMaxResyncs = 8;                    // offset corrections without progress
constexpr qint64 kMaxDownload = 16 * 1024 * 1024; // what a download may grow to

QString valueSummary(const QString &key, const QByteArray &value)
{
    if (isSecretName(key))
        return QStringLiteral("<redacted %1 bytes>").arg(value.size());
    return QStringLiteral("<%1 bytes>").arg(value.size());
}

} // namespace

struct SmpClient::Upload
{
    QString path;
    QByteArray data;
    qint64 next = 0;
    int resyncs = 0;
    UploadReport report;
    UploadCallback done;
};

struct SmpClient::Download
{
    QString path;
    QByteArray data;
    qint64 total = -1;
    Callback<QByteArray> done;
};

void SmpClient::echo(const QString &text, Callback<QString> done)
{
    request(kEcho, echoRequest(text), QStringLiteral("echo \"%1\"").arg(text.left(64)), {}, true,
        [done = std::move(done)](Result<QCborMap> r) {
            if (!r)
                return done(std::unexpected(r.error()));
            done(readEcho(*r));
        });
}

void SmpClient::osInfo(const QString &format, Callback<QString> done)
{
    request(kOsInfo, osInfoRequest(format), QStringLiteral("os info \"%1\"").arg(format.left(16)),
        {}, true, [done = std::move(done)](Result<QCborMap> r) {
            if (!r)
                return done(std::unexpected(r.error()));
            done(readOsInfo(*r));
        });
}

void SmpClient::reset(Callback<void> done)
{
    // Not retried: the device may be rebooting already.
    requestVoid(kReset, {}, QStringLiteral("reset"), {}, false, std::move(done));
}

void SmpClient::readSetting(const QString &key, Callback<QByteArray> done)
{
    request(kSettingRead, settingNameRequest(key), QStringLiteral("read setting \"%1\"").arg(key),
        key, true, [done = std::move(done)](Result<QCborMap> r) {
            if (!r)
                return done(std::unexpected(r.error()));
            done(readSettingValue(*r));
        });
}

void SmpClient::writeSetting(const QString &key, const QByteArray &value, Callback<void> done)
{
    if (key.isEmpty())
        return done(fail(Error::Code::InvalidArgument,
            QStringLiteral("A setting needs a key, e.g. \"app/server\".")));
    request(
        kSettingWrite, settingWriteRequest(key, value),
        QStringLiteral("write setting \"%1\" = %2").arg(key, valueSummary(key, value)), key, true,
        [done = std::move(done)](Result<QCborMap> r) {
            if (!r)
                return done(std::unexpected(r.error()));
            done({});
        },
        isSecretName(key) ? value : QByteArray());
}

void SmpClient::deleteSetting(const QString &key, Callback<void> done)
{
    // Not retried: a repeated delete of a deleted key reports "not found".
    requestVoid(kSettingDelete, settingNameRequest(key),
        QStringLiteral("delete setting \"%1\"").arg(key), key, false, std::move(done));
}

void SmpClient::commitSettings(Callback<void> done)
{
    requestVoid(kSettingCommit, {}, QStringLiteral("commit settings"), {}, true, std::move(done));
}

void SmpClient::saveSettings(Callback<void> done)
{
    requestVoid(kSettingSave, {}, QStringLiteral("save settings"), {}, true, std::move(done));
}

void SmpClient::loadSettings(Callback<void> done)
{
    requestVoid(kSettingLoad, {}, QStringLiteral("load settings"), {}, true, std::move(done));
}

int SmpClient::uploadChunkSize(const QString &path) const
{
    // The body without data, plus the largest "len" and byte-string headers.
    const QByteArray empty = encodeCbor(uploadRequest(path, 0xffffffffLL, {}, 0xffffffffLL));
    const int room = m_options.mtu - kHeaderSize - int(empty.size()) - 4;
    return std::max(1, room);
}

void SmpClient::uploadFile(const QString &path, const QByteArray &data, UploadCallback done)
{
    if (path.isEmpty() || !path.startsWith(QLatin1Char('/')))
        return done(fail(Error::Code::InvalidArgument,
                        QStringLiteral("A device path is absolute, e.g. /lfs/cert.pem; got "
                                       "\"%1\".")
                            .arg(path)),
            UploadReport{});
    auto up = std::make_shared<Upload>();
    up->path = path;
    up->data = data;
    up->done = std::move(done);
    uploadStep(up);
}

void SmpClient::uploadStep(const std::shared_ptr<Upload> &up)
{
    const qint64 size = up->data.size();
    const QByteArray chunk = up->data.mid(up->next, uploadChunkSize(up->path));
    const qint64 off = up->next;
    const qint64 end = off + chunk.size();
    up->report.firstChunkSent = true;
    if (end == size)
        up->report.finalChunkSent = true;
    const bool secret = isSecretName(up->path);
    const QString summary = QStringLiteral("upload \"%1\" bytes %2..%3 of %4%5")
                                .arg(up->path)
                                .arg(off)
                                .arg(end)
                                .arg(size)
                                .arg(secret ? QStringLiteral(" (content redacted)") : QString());
    request(
        kFsUpload,
        uploadRequest(up->path, off, chunk, off == 0 ? std::optional<qint64>(size) : std::nullopt),
        summary, up->path, true,
        [this, up, end, size](Result<QCborMap> r) {
            if (!r)
                return up->done(std::unexpected(r.error()), up->report);
            auto devOff = readUploadOffset(*r);
            if (!devOff)
                return up->done(std::unexpected(devOff.error()), up->report);
            if (*devOff == end) {
                up->resyncs = 0;
            } else if (*devOff <= size && ++up->resyncs <= kMaxResyncs) {
                trace(TraceEntry::Direction::Note,
                    QStringLiteral("The device is at offset %1 of \"%2\"; continuing from there")
                        .arg(*devOff)
                        .arg(up->path));
            } else {
                return up->done(fail(Error::Code::Protocol,
                                    QStringLiteral("The device keeps reporting offset %1 for "
                                                   "\"%2\" (expected %3): start the upload "
                                                   "again.")
                                        .arg(*devOff)
                                        .arg(up->path)
                                        .arg(end)),
                    up->report);
            }
            up->next = *devOff;
            up->report.acknowledged = *devOff;
            Q_EMIT transferProgress(up->path, *devOff, size);
            if (*devOff == size)
                return up->done({}, up->report);
            uploadStep(up);
        },
        secret ? chunk : QByteArray());
}

void SmpClient::downloadFile(const QString &path, Callback<QByteArray> done)
{
    auto dl = std::make_shared<Download>();
    dl->path = path;
    dl->done = std::move(done);
    downloadStep(dl);
}

void SmpClient::downloadStep(const std::shared_ptr<Download> &dl)
{
    const qint64 off = dl->data.size();
    request(kFsDownload, downloadRequest(dl->path, off),
        QStringLiteral("download \"%1\" from offset %2").arg(dl->path).arg(off), dl->path, true,
        [this, dl, off](Result<QCborMap> r) {
            if (!r)
                return dl->done(std::unexpected(r.error()));
            auto chunk = readDownloadChunk(*r);
            if (!chunk)
                return dl->done(std::unexpected(chunk.error()));
            if (chunk->offset != off)
                return dl->done(fail(Error::Code::Protocol,
                    QStringLiteral("The device answered offset %1 of \"%2\" when asked for %3: "
                                   "download it again.")
                        .arg(chunk->offset)
                        .arg(dl->path)
                        .arg(off)));
            if (chunk->totalLength)
                dl->total = *chunk->totalLength;
            if (dl->total < 0 || dl->total > kMaxDownload)
                return dl->done(fail(Error::Code::Protocol,
                    QStringLiteral("The device did not say how long \"%1\" is, or it is longer "
                                   "than 16 MiB.")
                        .arg(dl->path)));
            dl->data.append(chunk->data);
            Q_EMIT transferProgress(dl->path, dl->data.size(), dl->total);
            if (dl->data.size() > dl->total)
                return dl->done(fail(Error::Code::Protocol,
                    QStringLiteral("The device sent more of \"%1\" than its length (%2 bytes).")
                        .arg(dl->path)
                        .arg(dl->total)));
            if (dl->data.size() == dl->total)
                return dl->done(dl->data);
            if (chunk->data.isEmpty())
                return dl->done(fail(Error::Code::Protocol,
                    QStringLiteral("The device stopped sending \"%1\" at %2 of %3 bytes: the "
                                   "file may have changed; download it again.")
                        .arg(dl->path)
                        .arg(dl->data.size())
                        .arg(dl->total)));
            downloadStep(dl);
        });
}

void SmpClient::hashFile(const QString &path, Callback<QByteArray> done)
{
    request(kFsHash, hashRequest(path), QStringLiteral("sha256 of \"%1\"").arg(path), path, true,
        [done = std::move(done)](Result<QCborMap> r) {
            if (!r)
                return done(std::unexpected(r.error()));
            auto h = readHash(*r);
            if (!h)
                return done(std::unexpected(h.error()));
            if (h->output.size() != 32)
                return done(fail(Error::Code::Protocol,
                    QStringLiteral("The device's SHA-256 has %1 bytes, not 32.")
                        .arg(h->output.size())));
            done(h->output);
        });
}

} // namespace provbench::smp
