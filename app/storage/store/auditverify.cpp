// AuditLog::verify(): one pass over the chain, oldest first.
#include "app/storage/store/auditlog.h"

#include "app/storage/store/database.h"

#include <QHash>

namespace provbench::store {

namespace {

using Problem = AuditVerification::Problem;

const QString kIntent = QStringLiteral("intent.");
const QString kOutcome = QStringLiteral("outcome.");

class ChainWalk
{
public:
    explicit ChainWalk(AuditVerification &result) : m_result(result) { }

    // False once a problem is found.
    bool visit(const AuditRecord &r)
    {
        if (m_pendingBreak && !resolveBreak(r.prevHash == m_pendingBreak->hash))
            return false;
        if (r.seq != m_expected) {
            if (r.seq > m_expected)
                return report(Problem::Missing, m_expected,
                    QStringLiteral("Record %1 is missing: after record %2 comes record %3. It "
                                   "was deleted, or its seq was changed.")
                        .arg(m_expected)
                        .arg(m_expected - 1)
                        .arg(r.seq));
            return report(Problem::OutOfOrder, r.seq,
                QStringLiteral("Record %1 has a seq that cannot occur (they start at 1): it was "
                               "changed.")
                    .arg(r.seq));
        }
        if (recordHash(r) != r.hash)
            return report(Problem::HashMismatch, r.seq,
                QStringLiteral("Record %1 was changed: its fields no longer give its stored hash.")
                    .arg(r.seq));
        if (r.prevHash != m_prevHash) {
            if (r.seq == 1)
                return report(Problem::BrokenLink, 1,
                    QStringLiteral("Record 1 was changed and its hash recomputed: it no longer "
                                   "starts the chain."));
            // r is intact as written. Either its predecessor was rewritten
            // (with a recomputed hash) or r was; the next link tells which.
            m_pendingBreak = r;
        }
        if (!checkReference(r))
            return false;
        m_prevHash = r.hash;
        m_result.headSeq = r.seq;
        m_result.headHash = r.hash;
        ++m_expected;
        ++m_result.records;
        if (m_external && r.seq == m_external->seq)
            m_externalHash = r.hash;
        return true;
    }

    // After the last record: the pending link, then the anchor.
    void finish(const std::optional<AuditAnchor> &anchor)
    {
        if (m_pendingBreak) {
            const bool anchorKeepsIt = anchor && anchor->seq == m_pendingBreak->seq
                && anchor->hash == m_pendingBreak->hash;
            if (!resolveBreak(anchorKeepsIt))
                return;
        }
        const qint64 last = m_result.headSeq;
        if (!anchor) {
            report(Problem::AnchorMissing, last + 1,
                QStringLiteral("The audit anchor row was deleted, so a deleted tail cannot be "
                               "ruled out: the chain itself is intact up to record %1.")
                    .arg(last));
        } else if (anchor->seq > last) {
            report(Problem::TailDeleted, last + 1,
                QStringLiteral("Records %1 to %2 were deleted from the end of the log: the anchor "
                               "names record %2 as the newest, the log ends at %3.")
                    .arg(last + 1)
                    .arg(anchor->seq)
                    .arg(last));
        } else if (anchor->seq < last) {
            report(Problem::AnchorMismatch, anchor->seq + 1,
                QStringLiteral("Record %1 and later were added without moving the anchor (which "
                               "names record %2), or the anchor was set back.")
                    .arg(anchor->seq + 1)
                    .arg(anchor->seq));
        } else if (anchor->hash != m_result.headHash) {
            report(Problem::AnchorMismatch, last,
                QStringLiteral("Record %1 is not the record the anchor recorded: it was replaced "
                               "(with a recomputed hash), or the anchor was edited.")
                    .arg(last));
        }
    }

    void checkExternal()
    {
        if (!m_external || !m_result.ok())
            return;
        const AuditAnchor &a = *m_external;
        if (a.seq > m_result.headSeq) {
            report(Problem::ExternalAnchor, m_result.headSeq + 1,
                QStringLiteral("The log ends at record %1, before the noted record %2: records "
                               "were deleted and the anchor set back.")
                    .arg(m_result.headSeq)
                    .arg(a.seq));
            return;
        }
        const QString stored = a.seq == 0 ? kGenesisHash : m_externalHash;
        if (stored != a.hash)
            report(Problem::ExternalAnchor, a.seq,
                QStringLiteral("Record %1 no longer has the hash noted for it: the chain was "
                               "rewritten at or before record %1.")
                    .arg(a.seq));
    }

    void setExternal(const std::optional<AuditAnchor> &external) { m_external = external; }

private:
    bool report(Problem problem, qint64 seq, const QString &message)
    {
        m_result.problem = problem;
        m_result.badSeq = seq;
        m_result.message = message;
        return false;
    }

    // The record after a broken link still refers to the broken record's
    // hash (`laterKeepsIt`): the broken record is as it was written, so the
    // one before it was rewritten. Otherwise the broken record itself was.
    bool resolveBreak(bool laterKeepsIt)
    {
        const qint64 seq = m_pendingBreak->seq;
        if (laterKeepsIt)
            return report(Problem::BrokenLink, seq - 1,
                QStringLiteral("Record %1 was changed and its hash recomputed: record %2 still "
                               "refers to its original hash.")
                    .arg(seq - 1)
                    .arg(seq));
        return report(Problem::BrokenLink, seq,
            QStringLiteral("Record %1 was changed and its hash recomputed: it no longer refers to "
                           "record %2.")
                .arg(seq)
                .arg(seq - 1));
    }

    bool checkReference(const AuditRecord &r)
    {
        if (r.kind.startsWith(kIntent)) {
            if (r.intentSeq != 0)
                return report(Problem::BadReference, r.seq,
                    QStringLiteral("Record %1 is an intent that refers to another intent.")
                        .arg(r.seq));
            m_openIntents.insert(r.seq, r.kind.mid(kIntent.size()));
            return true;
        }
        if (!r.kind.startsWith(kOutcome)) {
            if (r.intentSeq != 0)
                return report(Problem::BadReference, r.seq,
                    QStringLiteral("Record %1 is not an outcome but refers to intent %2.")
                        .arg(r.seq)
                        .arg(r.intentSeq));
            return true;
        }
        const auto it = m_openIntents.constFind(r.intentSeq);
        if (it == m_openIntents.cend() || *it != r.kind.mid(kOutcome.size()))
            return report(Problem::BadReference, r.seq,
                QStringLiteral("Record %1 is an outcome without a matching open intent (it names "
                               "intent %2).")
                    .arg(r.seq)
                    .arg(r.intentSeq));
        m_openIntents.erase(it);
        return true;
    }

    AuditVerification &m_result;
    qint64 m_expected = 1;
    QString m_prevHash = kGenesisHash;
    std::optional<AuditRecord> m_pendingBreak;
    QHash<qint64, QString> m_openIntents; // seq -> action
    std::optional<AuditAnchor> m_external;
    QString m_externalHash;
};

} // namespace

Result<AuditVerification> AuditLog::verify(const std::optional<AuditAnchor> &external) const
{
    AuditVerification result;
    ChainWalk walk(result);
    walk.setExternal(external);
    bool stopped = false;
    auto walked = forEach({}, [&](const AuditRecord &r) {
        stopped = !walk.visit(r);
        return !stopped;
    });
    if (!walked)
        return std::unexpected(walked.error());
    if (stopped)
        return result;
    std::optional<AuditAnchor> anchor;
    auto stored = head();
    if (stored)
        anchor = *stored;
    else if (stored.error().code != Error::Code::NotFound)
        return std::unexpected(stored.error());
    walk.finish(anchor);
    walk.checkExternal();
    if (result.ok())
        qCInfo(lcStorage, "Audit chain of %s verified: %lld records",
            qUtf8Printable(m_db.display()), static_cast<long long>(result.records));
    else
        qCWarning(lcStorage, "Audit chain of %s: %s", qUtf8Printable(m_db.display()),
            qUtf8Printable(result.message));
    return result;
}

} // namespace provbench::store
