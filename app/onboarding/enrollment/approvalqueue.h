#pragma once

#include "app/core/error.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace provbench::store {
class Store;
}

// Enrollment requests held for manual approval (table enrollment_requests).
//
// When a device's profile (or the service) asks for approval, a valid
// request is recorded as pending and answered 202 + Retry-After; the device
// retries with the same CSR. A person approves or denies it (GUI, or
// `provbench-cli est approve|deny`); the retry after approval gets the
// certificate. Decisions are audited ("enroll.approved", "enroll.denied").
namespace provbench::enrollment {

struct EnrollmentRequest
{
    enum class State { Pending, Approved, Denied };
    qint64 id = 0;
    QString deviceId;
    QString csrFingerprint; // SHA-256 of the DER CSR, "ab:cd:.."
    QByteArray csrDer;
    State state = State::Pending;
    QString createdAt;
    QString decidedAt;
    QString decidedBy;
};

QString stateName(EnrollmentRequest::State state);

class ApprovalQueue
{
public:
    explicit ApprovalQueue(store::Store &store) : m_store(store) { }

    // The newest request of this device for this CSR, if any.
    Result<std::optional<EnrollmentRequest>> find(
        const QString &deviceId, const QString &csrFingerprint) const;
    // Records a pending request and audits "enroll.pending".
    Result<EnrollmentRequest> submit(const QString &deviceId, const QByteArray &csrDer);
    Result<EnrollmentRequest> get(qint64 id) const;
    // Oldest first.
    Result<QList<EnrollmentRequest>> pending() const;
    // Only a pending request can be decided; `by` is who decided (actor).
    Result<EnrollmentRequest> approve(qint64 id, const QString &by);
    // `reason`, when given, goes into the "enroll.denied" record.
    Result<EnrollmentRequest> deny(qint64 id, const QString &by, const QString &reason = {});

private:
    Result<EnrollmentRequest> decide(
        qint64 id, EnrollmentRequest::State state, const QString &by, const QString &reason = {});
    store::Store &m_store;
};

} // namespace provbench::enrollment
