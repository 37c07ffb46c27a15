#include "app/protocol/atcmd/credentialwriter.h"

namespace provbench::at {

bool WriteReport::allVerified() const
{
    return !items.isEmpty() && std::all_of(items.begin(), items.end(), [](const ItemReport &i) {
        return i.outcome == ItemReport::Outcome::Verified;
    }) && restoreError.isEmpty();
}

QString outcomeName(ItemReport::Outcome outcome)
{
    switch (outcome) {
    case ItemReport::Outcome::Verified:
        return QStringLiteral("written and verified");
    case ItemReport::Outcome::HashMismatch:
        return QStringLiteral("written, but the hash differs");
    case ItemReport::Outcome::Failed:
        return QStringLiteral("failed");
    case ItemReport::Outcome::NotAttempted:
        return QStringLiteral("not attempted");
    }
    return {};
}

QString holdsName(ItemReport::Holds holds)
{
    switch (holds) {
    case ItemReport::Holds::New:
        return QStringLiteral("new");
    case ItemReport::Holds::Old:
        return QStringLiteral("old");
    case ItemReport::Holds::Nothing:
        return QStringLiteral("nothing");
    case ItemReport::Holds::Other:
        return QStringLiteral("other");
    case ItemReport::Holds::Unknown:
        return QStringLiteral("unknown");
    }
    return {};
}

struct CredentialWriter::Run
{
    QList<CredentialItem> items;
    WriteReport report;
    qsizetype index = 0;
    bool linkLost = false;
    std::function<void(WriteReport)> done;

    ItemReport &current() { return report.items[index]; }
    const CredentialItem &item() const { return items[index]; }
};

namespace {

QByteArray hashOf(const QList<CmngEntry> &entries, qint64 tag, CredentialType type)
{
    for (const CmngEntry &e : entries) {
        if (e.tag == tag && e.type == int(type))
            return e.hash.isEmpty() ? QByteArrayLiteral("?") : e.hash;
    }
    return {};
}

QString what(const CredentialItem &item)
{
    return QStringLiteral("%1 under sec_tag %2").arg(credentialTypeName(item.type)).arg(item.tag);
}

} // namespace

CredentialWriter::CredentialWriter(AtClient *client, QObject *parent)
    : QObject(parent), m_client(client)
{
}

CredentialWriter::~CredentialWriter() = default;

void CredentialWriter::run(
    const QList<CredentialItem> &items, std::function<void(WriteReport)> done)
{
    m_run = std::make_unique<Run>();
    m_run->items = items;
    m_run->done = std::move(done);
    for (const CredentialItem &item : items) {
        ItemReport r;
        r.tag = item.tag;
        r.type = item.type;
        r.localHash = contentHash(item.content);
        r.message = QStringLiteral("Not attempted.");
        m_run->report.items.append(r);
    }
    if (!m_client || items.isEmpty())
        return finish();

    QPointer<CredentialWriter> self(this);
    Q_EMIT stepStarted(QStringLiteral("Reading the modem's functional mode"));
    m_client->functionalMode([this, self](Result<int> mode) {
        if (!self || !m_run)
            return;
        if (!mode) {
            m_run->linkLost = mode.error().code == Error::Code::Io;
            abortRemaining(QStringLiteral("Nothing was written: reading the functional mode "
                                          "failed: %1")
                               .arg(mode.error().message));
            return finish();
        }
        m_run->report.previousMode = *mode;
        if (cfunAllowsCredentialWrites(*mode))
            return startItem();
        Q_EMIT stepStarted(QStringLiteral("Switching the modem offline (AT+CFUN=4)"));
        m_client->setFunctionalMode(4, [this, self](Result<void> r) {
            if (!self || !m_run)
                return;
            // Even a failed or unanswered switch may have happened: restore.
            m_run->report.modeChanged = true;
            if (!r) {
                m_run->linkLost = r.error().code == Error::Code::Io;
                abortRemaining(QStringLiteral("Nothing was written: the modem did not go offline "
                                              "(AT+CFUN=4): %1")
                                   .arg(r.error().message));
                return restoreMode();
            }
            startItem();
        });
    });
}

void CredentialWriter::startItem()
{
    if (m_run->index >= m_run->items.size())
        return restoreMode();
    const CredentialItem &item = m_run->item();
    QPointer<CredentialWriter> self(this);
    Q_EMIT stepStarted(QStringLiteral("Writing the %1").arg(what(item)));
    m_client->listCredentials(item.tag, item.type, [this, self](Result<QList<CmngEntry>> r) {
        if (!self || !m_run)
            return;
        if (!r && r.error().code == Error::Code::Io) {
            m_run->linkLost = true;
            abortRemaining(
                QStringLiteral("Not written: the link was lost: %1").arg(r.error().message));
            return restoreMode();
        }
        // A failed listing leaves the old hash unknown; the write goes on.
        if (r)
            m_run->current().previousHash = hashOf(*r, m_run->item().tag, m_run->item().type);
        writeItem();
    });
}

void CredentialWriter::writeItem()
{
    const CredentialItem &item = m_run->item();
    QPointer<CredentialWriter> self(this);
    m_client->writeCredential(
        item.tag, item.type, item.content, item.passphrase, [this, self](Result<void> r) {
            if (!self || !m_run)
                return;
            if (!r)
                return afterFailedWrite(r.error());
            verifyItem(false);
        });
}

void CredentialWriter::verifyItem(bool secondLook)
{
    const CredentialItem &item = m_run->item();
    QPointer<CredentialWriter> self(this);
    m_client->listCredentials(
        item.tag, item.type, [this, self, secondLook](Result<QList<CmngEntry>> r) {
            if (!self || !m_run)
                return;
            ItemReport &rep = m_run->current();
            const CredentialItem &item = m_run->item();
            if (!r) {
                m_run->linkLost = r.error().code == Error::Code::Io;
                rep.outcome = ItemReport::Outcome::HashMismatch;
                rep.holds = ItemReport::Holds::Unknown;
                rep.message = QStringLiteral("The modem accepted the %1 (OK) but listing it "
                                             "failed, so it is not verified: %2 Run "
                                             "'provbench-cli at cmng list' to check.")
                                  .arg(what(item), r.error().message);
                return finishItem();
            }
            rep.deviceHash = hashOf(*r, item.tag, item.type);
            if (rep.deviceHash == rep.localHash) {
                rep.outcome = ItemReport::Outcome::Verified;
                rep.holds = ItemReport::Holds::New;
                rep.message = QStringLiteral("Written and verified: the modem lists SHA-256 %1.")
                                  .arg(QString::fromLatin1(rep.localHash));
                return finishItem();
            }
            if (!secondLook) // a byte lost on the line looks like a wrong hash
                return verifyItem(true);
            if (rep.deviceHash.isEmpty()) {
                rep.outcome = ItemReport::Outcome::Failed;
                rep.holds = ItemReport::Holds::Nothing;
                rep.message = QStringLiteral("The modem answered OK to the write, but lists no %1: "
                                             "it holds nothing there. Write it again.")
                                  .arg(what(item));
                return finishItem();
            }
            rep.outcome = ItemReport::Outcome::HashMismatch;
            rep.holds = rep.deviceHash == rep.previousHash ? ItemReport::Holds::Old
                                                           : ItemReport::Holds::Other;
            rep.message = QStringLiteral("The modem accepted the %1, but lists SHA-256 %2 instead "
                                         "of %3%4. The firmware may store the content differently "
                                         "(e.g. without the final line break); compare with "
                                         "'provbench-cli at cmng list'.")
                              .arg(what(item), QString::fromLatin1(rep.deviceHash),
                                  QString::fromLatin1(rep.localHash),
                                  rep.holds == ItemReport::Holds::Old
                                      ? QStringLiteral(" (the hash of the old item)")
                                      : QString());
            finishItem();
        });
}

void CredentialWriter::afterFailedWrite(const Error &error)
{
    ItemReport &rep = m_run->current();
    const CredentialItem &item = m_run->item();
    if (error.code == Error::Code::Io) {
        m_run->linkLost = true;
        rep.outcome = ItemReport::Outcome::Failed;
        rep.holds = ItemReport::Holds::Unknown;
        rep.message = QStringLiteral("The link was lost while writing the %1: the modem holds "
                                     "either the old item or the new one (a write is never "
                                     "partial). Reconnect and run 'provbench-cli at cmng list "
                                     "--tag %2' to see which; the new SHA-256 is %3. (%4)")
                          .arg(what(item))
                          .arg(item.tag)
                          .arg(QString::fromLatin1(rep.localHash), error.message);
        m_run->index++;
        abortRemaining(QStringLiteral("Not attempted: the link was lost."));
        return restoreMode();
    }
    QPointer<CredentialWriter> self(this);
    m_client->listCredentials(item.tag, item.type, [this, self, error](Result<QList<CmngEntry>> r) {
        if (!self || !m_run)
            return;
        ItemReport &rep = m_run->current();
        rep.outcome = ItemReport::Outcome::Failed;
        if (!r) {
            m_run->linkLost = r.error().code == Error::Code::Io;
            rep.holds = ItemReport::Holds::Unknown;
            rep.message = QStringLiteral("%1 Listing afterwards failed too, so what the modem "
                                         "holds is unknown: %2")
                              .arg(error.message, r.error().message);
            return finishItem();
        }
        rep.deviceHash = hashOf(*r, rep.tag, rep.type);
        if (rep.deviceHash == rep.localHash) {
            // Only the answer was lost: the listing proves the write.
            rep.outcome = ItemReport::Outcome::Verified;
            rep.holds = ItemReport::Holds::New;
            rep.message = QStringLiteral("The answer to the write was lost (%1), but the modem "
                                         "lists the new SHA-256: written and verified.")
                              .arg(error.message);
        } else if (rep.deviceHash.isEmpty()) {
            rep.holds = ItemReport::Holds::Nothing;
            rep.message = error.message + QStringLiteral(" The modem holds no item there.");
        } else if (rep.deviceHash == rep.previousHash) {
            rep.holds = ItemReport::Holds::Old;
            rep.message = error.message + QStringLiteral(" The modem still holds the old item.");
        } else {
            rep.holds = ItemReport::Holds::Other;
            rep.message = error.message
                + QStringLiteral(" The modem holds an item with SHA-256 %1.")
                      .arg(QString::fromLatin1(rep.deviceHash));
        }
        finishItem();
    });
}

void CredentialWriter::finishItem()
{
    Q_EMIT itemFinished(m_run->current());
    m_run->index++;
    if (m_run->linkLost) {
        abortRemaining(QStringLiteral("Not attempted: the link was lost."));
        return restoreMode();
    }
    startItem();
}

void CredentialWriter::abortRemaining(const QString &message)
{
    for (qsizetype i = m_run->index; i < m_run->report.items.size(); ++i) {
        ItemReport &rep = m_run->report.items[i];
        rep.outcome = ItemReport::Outcome::NotAttempted;
        rep.holds = ItemReport::Holds::Unknown;
        rep.message = message;
    }
    m_run->index = m_run->report.items.size();
}

void CredentialWriter::restoreMode()
{
    WriteReport &report = m_run->report;
    if (!report.modeChanged)
        return finish();
    if (m_run->linkLost) {
        report.restoreError = QStringLiteral("The link was lost, so the modem may still be "
                                             "offline (AT+CFUN=4): reconnect and run "
                                             "'provbench-cli at raw --command AT+CFUN=%1'.")
                                  .arg(report.previousMode);
        return finish();
    }
    QPointer<CredentialWriter> self(this);
    Q_EMIT stepStarted(
        QStringLiteral("Restoring the functional mode (AT+CFUN=%1)").arg(report.previousMode));
    m_client->setFunctionalMode(report.previousMode, [this, self](Result<void> r) {
        if (!self || !m_run)
            return;
        if (r) {
            m_run->report.restored = true;
        } else {
            m_run->report.restoreError
                = QStringLiteral("Switching the modem back to AT+CFUN=%1 failed: %2 It may still "
                                 "be offline: run 'provbench-cli at raw --command AT+CFUN=%1'.")
                      .arg(m_run->report.previousMode)
                      .arg(r.error().message);
        }
        finish();
    });
}

void CredentialWriter::finish()
{
    std::unique_ptr<Run> run = std::move(m_run);
    if (run && run->done)
        run->done(run->report);
}

} // namespace provbench::at
