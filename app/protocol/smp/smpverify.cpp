#include "app/protocol/smp/smpverify.h"

#include <QCryptographicHash>

namespace provbench::smp {

namespace {

using Outcome = ItemReport::Outcome;
using State = ItemReport::DeviceState;

bool isNotFound(const Error &e)
{
    // Legacy ENOENT, settings KEY_NOT_FOUND / ROOT_KEY_NOT_FOUND, fs FILE_NOT_FOUND.
    return e.code == Error::Code::Device
        && (e.message.contains(QLatin1String("NOT_FOUND"))
            || e.message.contains(QLatin1String("MGMT_ERR_ENOENT")));
}

ItemReport report(const QString &item, Outcome outcome, State state, const QString &message,
    std::optional<Error> error = std::nullopt)
{
    return ItemReport{item, outcome, state, message, std::move(error)};
}

struct SettingJob
{
    QString key;
    QByteArray value;
    Persist persist = Persist::Save;
    std::optional<QByteArray> old; // nullopt: absent or unknown
    bool oldKnown = false;
    std::function<void(ItemReport)> done;
    QString item() const { return QStringLiteral("setting %1").arg(key); }
};

void settingReadBack(SmpClient *client, const std::shared_ptr<SettingJob> &job)
{
    client->readSetting(job->key, [job](Result<QByteArray> r) {
        if (!r)
            return job->done(report(job->item(), Outcome::Written, State::New,
                QStringLiteral("The device accepted the value, but reading it back failed: %1")
                    .arg(r.error().message),
                r.error()));
        if (*r == job->value)
            return job->done(report(job->item(), Outcome::Verified, State::New,
                QStringLiteral("Written and read back equal (%1 bytes).").arg(r->size())));
        const bool old = job->oldKnown && job->old && *job->old == *r;
        job->done(report(job->item(), Outcome::Failed, old ? State::Old : State::Unknown,
            old ? QStringLiteral("The device still returns the old value: the write did not "
                                 "take effect; write it again.")
                : QStringLiteral("The device returns a different value than written (%1 bytes): "
                                 "another writer or a firmware handler changed it.")
                      .arg(r->size())));
    });
}

void settingPersist(SmpClient *client, const std::shared_ptr<SettingJob> &job)
{
    if (job->persist == Persist::None)
        return settingReadBack(client, job);
    QPointer<SmpClient> guard(client);
    auto next = [guard, job](Result<void> r) {
        if (!r)
            return job->done(report(job->item(), Outcome::Failed, State::Unknown,
                QStringLiteral("The value was written but %1 failed: the device may lose it on "
                               "reset. %2")
                    .arg(job->persist == Persist::Save ? QStringLiteral("saving")
                                                       : QStringLiteral("committing"),
                        r.error().message),
                r.error()));
        if (guard)
            settingReadBack(guard, job);
    };
    if (job->persist == Persist::Save)
        client->saveSettings(next);
    else
        client->commitSettings(next);
}

} // namespace

QString outcomeName(ItemReport::Outcome outcome)
{
    switch (outcome) {
    case Outcome::Verified:
        return QStringLiteral("verified");
    case Outcome::Written:
        return QStringLiteral("written");
    case Outcome::Failed:
        break;
    }
    return QStringLiteral("failed");
}

QString deviceStateName(ItemReport::DeviceState state)
{
    switch (state) {
    case State::Old:
        return QStringLiteral("old");
    case State::New:
        return QStringLiteral("new");
    case State::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

void writeSettingVerified(SmpClient *client, const QString &key, const QByteArray &value,
    Persist persist, std::function<void(ItemReport)> done)
{
    auto job = std::make_shared<SettingJob>();
    job->key = key;
    job->value = value;
    job->persist = persist;
    job->done = std::move(done);
    QPointer<SmpClient> guard(client);
    client->readSetting(key, [guard, job](Result<QByteArray> old) {
        if (old) {
            job->old = *old;
            job->oldKnown = true;
        } else if (isNotFound(old.error())) {
            job->oldKnown = true;
        } else if (old.error().code == Error::Code::Io) {
            return job->done(report(job->item(), Outcome::Failed, State::Old,
                QStringLiteral("Nothing was written: %1").arg(old.error().message), old.error()));
        }
        if (!guard)
            return;
        guard->writeSetting(job->key, job->value, [guard, job](Result<void> r) {
            if (!r) {
                // A refusal leaves the old value; a lost answer leaves it open.
                const bool refused = r.error().code == Error::Code::Device
                    || r.error().code == Error::Code::Unsupported
                    || r.error().code == Error::Code::InvalidArgument;
                return job->done(
                    report(job->item(), Outcome::Failed, refused ? State::Old : State::Unknown,
                        refused ? r.error().message
                                : QStringLiteral("The write may or may not have reached the device "
                                                 "(it is not saved): %1")
                                      .arg(r.error().message),
                        r.error()));
            }
            if (guard)
                settingPersist(guard, job);
        });
    });
}

// --- files ----------------------------------------------------------------------------

namespace {

struct FileJob
{
    QString path;
    QByteArray data;
    QByteArray newHash;
    std::optional<QByteArray> oldHash; // nullopt with oldAbsent: no file before
    bool oldAbsent = false;
    std::function<void(ItemReport)> done;
    QString item() const { return QStringLiteral("file %1").arg(path); }
};

// After a failed upload: ask the device what it has.
void classifyAfterFailure(SmpClient *client, const std::shared_ptr<FileJob> &job,
    const Error &error, const SmpClient::UploadReport &rep)
{
    const QString base = QStringLiteral("The upload failed after %1 of %2 bytes were "
                                        "acknowledged: %3")
                             .arg(rep.acknowledged)
                             .arg(job->data.size())
                             .arg(error.message);
    if (!rep.firstChunkSent)
        return job->done(report(job->item(), Outcome::Failed, State::Old,
            base + QStringLiteral(" Nothing was sent; the device keeps the old file."), error));
    if (!client->isLinkUsable())
        return job->done(report(job->item(), Outcome::Failed, State::Unknown,
            base
                + QStringLiteral(" The link is gone, so the device's file could not be "
                                 "checked: reconnect and run 'smp fs hash' or upload again."),
            error));
    client->hashFile(job->path, [job, base, error](Result<QByteArray> h) {
        if (h && *h == job->newHash)
            return job->done(report(job->item(), Outcome::Verified, State::New,
                base
                    + QStringLiteral(" Yet the device's SHA-256 equals the new file's: it is "
                                     "complete."),
                error));
        if ((h && job->oldHash && *h == *job->oldHash)
            || (!h && isNotFound(h.error()) && job->oldAbsent))
            return job->done(report(job->item(), Outcome::Failed, State::Old,
                base + QStringLiteral(" The device keeps the old file (or none)."), error));
        job->done(report(job->item(), Outcome::Failed, State::Unknown,
            base
                + QStringLiteral(" The device's file is neither old nor new (partial?): upload "
                                 "it again."),
            error));
    });
}

} // namespace

void uploadFileVerified(SmpClient *client, const QString &path, const QByteArray &data,
    std::function<void(ItemReport)> done)
{
    auto job = std::make_shared<FileJob>();
    job->path = path;
    job->data = data;
    job->newHash = QCryptographicHash::hash(data, QCryptographicHash::Sha256);
    job->done = std::move(done);
    QPointer<SmpClient> guard(client);
    client->hashFile(path, [guard, job](Result<QByteArray> old) {
        if (old)
            job->oldHash = *old;
        else if (isNotFound(old.error()))
            job->oldAbsent = true;
        else if (old.error().code == Error::Code::Io)
            return job->done(report(job->item(), Outcome::Failed, State::Old,
                QStringLiteral("Nothing was written: %1").arg(old.error().message), old.error()));
        if (!guard)
            return;
        guard->uploadFile(
            job->path, job->data, [guard, job](Result<void> r, const SmpClient::UploadReport &rep) {
                if (!guard)
                    return;
                if (!r)
                    return classifyAfterFailure(guard, job, r.error(), rep);
                guard->hashFile(job->path, [job](Result<QByteArray> h) {
                    if (!h)
                        return job->done(report(job->item(), Outcome::Written, State::New,
                            QStringLiteral("Uploaded (%1 bytes acknowledged), but the hash "
                                           "check failed: %2")
                                .arg(job->data.size())
                                .arg(h.error().message),
                            h.error()));
                    if (*h == job->newHash)
                        return job->done(report(job->item(), Outcome::Verified, State::New,
                            QStringLiteral("Uploaded %1 bytes; the device's SHA-256 matches.")
                                .arg(job->data.size())));
                    const bool old = job->oldHash && *h == *job->oldHash;
                    job->done(
                        report(job->item(), Outcome::Failed, old ? State::Old : State::Unknown,
                            QStringLiteral("The device's SHA-256 of the file differs from the "
                                           "uploaded data: upload it again.")));
                });
            });
    });
}

} // namespace provbench::smp
