#include "app/onboarding/enrollment/approvalqueue.h"

#include "app/crypto/opensslutil.h"
#include "app/storage/store/store.h"

#include <QJsonObject>

namespace provbench::enrollment {

namespace {

const QString kColumns = QStringLiteral(
    "id, device_id, csr_fingerprint, csr_der, state, created_at, decided_at, decided_by");

EnrollmentRequest::State stateFromName(const QString &name)
{
    if (name == u"approved")
        return EnrollmentRequest::State::Approved;
    if (name == u"denied")
        return EnrollmentRequest::State::Denied;
    return EnrollmentRequest::State::Pending;
}

EnrollmentRequest fromRow(const QSqlQuery &q)
{
    EnrollmentRequest r;
    r.id = q.value(0).toLongLong();
    r.deviceId = q.value(1).toString();
    r.csrFingerprint = q.value(2).toString();
    r.csrDer = QByteArray::fromBase64(q.value(3).toString().toLatin1());
    r.state = stateFromName(q.value(4).toString());
    r.createdAt = q.value(5).toString();
    r.decidedAt = q.value(6).toString();
    r.decidedBy = q.value(7).toString();
    return r;
}

} // namespace

QString stateName(EnrollmentRequest::State state)
{
    switch (state) {
    case EnrollmentRequest::State::Pending:
        return QStringLiteral("pending");
    case EnrollmentRequest::State::Approved:
        return QStringLiteral("approved");
    case EnrollmentRequest::State::Denied:
        return QStringLiteral("denied");
    }
    return QString();
}

Result<std::optional<EnrollmentRequest>> ApprovalQueue::find(
    const QString &deviceId, const QString &csrFingerprint) const
{
    auto q = m_store.database().exec(QStringLiteral("SELECT %1 FROM enrollment_requests WHERE "
                                                    "device_id = ? AND csr_fingerprint = ? "
                                                    "ORDER BY id DESC LIMIT 1")
                                         .arg(kColumns),
        {deviceId, csrFingerprint});
    if (!q)
        return std::unexpected(q.error());
    if (!q->next())
        return std::optional<EnrollmentRequest>();
    return std::optional<EnrollmentRequest>(fromRow(*q));
}

Result<EnrollmentRequest> ApprovalQueue::submit(const QString &deviceId, const QByteArray &csrDer)
{
    const QString fingerprint = crypto::sha256Fingerprint(csrDer);
    auto q = m_store.database().exec(
        QStringLiteral("INSERT INTO enrollment_requests (device_id, csr_fingerprint, csr_der, "
                       "state, created_at) VALUES (?, ?, ?, 'pending', ?) RETURNING id"),
        {deviceId, fingerprint, QString::fromLatin1(csrDer.toBase64()), store::Database::now()});
    if (!q)
        return std::unexpected(q.error());
    if (!q->next())
        return fail(Error::Code::Io,
            QStringLiteral("The database did not return the new enrollment request's number."));
    const qint64 id = q->value(0).toLongLong();
    q->finish();
    auto audited = m_store.audit().append(QStringLiteral("enroll.pending"), deviceId,
        QJsonObject{{QStringLiteral("request"), id}, {QStringLiteral("csr_sha256"), fingerprint}});
    if (!audited)
        return std::unexpected(audited.error());
    return get(id);
}

Result<EnrollmentRequest> ApprovalQueue::get(qint64 id) const
{
    auto q = m_store.database().exec(
        QStringLiteral("SELECT %1 FROM enrollment_requests WHERE id = ?").arg(kColumns), {id});
    if (!q)
        return std::unexpected(q.error());
    if (!q->next())
        return fail(Error::Code::NotFound,
            QStringLiteral("There is no enrollment request %1. Run 'provbench-cli est pending' "
                           "to list the requests waiting for a decision.")
                .arg(id));
    return fromRow(*q);
}

Result<QList<EnrollmentRequest>> ApprovalQueue::pending() const
{
    auto q = m_store.database().exec(
        QStringLiteral("SELECT %1 FROM enrollment_requests WHERE state = 'pending' ORDER BY id")
            .arg(kColumns));
    if (!q)
        return std::unexpected(q.error());
    QList<EnrollmentRequest> list;
    while (q->next())
        list.append(fromRow(*q));
    return list;
}

Result<EnrollmentRequest> ApprovalQueue::approve(qint64 id, const QString &by)
{
    return decide(id, EnrollmentRequest::State::Approved, by);
}

Result<EnrollmentRequest> ApprovalQueue::deny(qint64 id, const QString &by, const QString &reason)
{
    return decide(id, EnrollmentRequest::State::Denied, by, reason);
}

Result<EnrollmentRequest> ApprovalQueue::decide(
    qint64 id, EnrollmentRequest::State state, const QString &by, const QString &reason)
{
    auto current = get(id);
    if (!current)
        return current;
    const QString word = stateName(state);
    auto changed = m_store.database().execAffected(
        QStringLiteral("UPDATE enrollment_requests SET state = ?, decided_at = ?, decided_by = ? "
                       "WHERE id = ? AND state = 'pending'"),
        {word, store::Database::now(), by, id});
    if (!changed)
        return std::unexpected(changed.error());
    if (*changed != 1) {
        auto now = get(id);
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("Enrollment request %1 was already %2 by %3; a decision cannot be "
                           "changed. The device can send a new request.")
                .arg(id)
                .arg(now ? stateName(now->state) : QStringLiteral("decided"),
                    now ? now->decidedBy : QStringLiteral("someone else")));
    }
    QJsonObject details{{QStringLiteral("request"), id},
        {QStringLiteral("csr_sha256"), current->csrFingerprint},
        {QStringLiteral("decided_by"), by}};
    if (!reason.trimmed().isEmpty())
        details.insert(QStringLiteral("reason"), reason.trimmed().left(500));
    auto audited
        = m_store.audit().append(QStringLiteral("enroll.") + word, current->deviceId, details);
    if (!audited)
        return std::unexpected(audited.error());
    return get(id);
}

} // namespace provbench::enrollment
