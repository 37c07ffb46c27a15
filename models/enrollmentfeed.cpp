#include "models/enrollmentfeed.h"

#include "app/onboarding/enrollment/approvalqueue.h"
#include "app/storage/store/store.h"
#include "models/enrollmenteventsmodel.h"
#include "models/pendingrequestsmodel.h"

#include <QDateTime>
#include <QTimer>

namespace provbench {

EnrollmentFeed::EnrollmentFeed(store::Store &store, QObject *parent)
    : QObject(parent),
      m_store(store),
      m_pending(new PendingRequestsModel(this)),
      m_events(new EnrollmentEventsModel(this)),
      m_timer(new QTimer(this))
{
    m_timer->setInterval(1000);
    connect(m_timer, &QTimer::timeout, this, [this] { (void)refresh(); });
}

void EnrollmentFeed::setInterval(int ms)
{
    m_timer->setInterval(ms);
}

void EnrollmentFeed::setActive(bool active)
{
    if (active == m_timer->isActive())
        return;
    if (active) {
        (void)refresh();
        m_timer->start();
    } else {
        m_timer->stop();
    }
}

Result<void> EnrollmentFeed::refresh()
{
    Result<void> result = pollPending();
    if (result)
        result = pollTokens();
    if (result)
        result = pollEvents();
    Q_EMIT refreshed();
    if (!result) {
        if (result.error().message != m_lastError) {
            m_lastError = result.error().message;
            Q_EMIT errorOccurred(m_lastError);
        }
        return result;
    }
    m_lastError.clear();
    return {};
}

Result<void> EnrollmentFeed::pollPending()
{
    enrollment::ApprovalQueue queue(m_store);
    auto pending = queue.pending();
    if (!pending)
        return std::unexpected(pending.error());
    QList<PendingRequestsModel::Row> rows;
    for (const enrollment::EnrollmentRequest &r : std::as_const(*pending)) {
        if (!m_peers.contains(r.id) || m_peers.value(r.id).isEmpty())
            m_peers.insert(r.id, peerOf(r.deviceId, r.createdAt));
        rows.append(PendingRequestsModel::describe(r, m_peers.value(r.id)));
    }
    m_pending->setRequests(rows);
    return {};
}

// The address of the enroll.request that led to the pending request: the
// service records it just before it stores the request, within the same call.
QString EnrollmentFeed::peerOf(const QString &deviceId, const QString &createdAt)
{
    const QDateTime created = QDateTime::fromString(createdAt, Qt::ISODateWithMs);
    if (!created.isValid())
        return QString();
    store::AuditFilter filter;
    filter.deviceId = deviceId;
    filter.kind = QStringLiteral("enroll.request");
    filter.from = created.addSecs(-60).toString(Qt::ISODateWithMs);
    filter.until = created.addMSecs(1).toString(Qt::ISODateWithMs);
    auto records = m_store.audit().records(filter);
    if (!records || records->isEmpty())
        return QString();
    return records->last().detailsObject().value(QStringLiteral("peer")).toString();
}

Result<void> EnrollmentFeed::pollTokens()
{
    enrollment::TokenService tokens(m_store);
    auto recent = tokens.recent(QString(), kMaxTokens);
    if (!recent)
        return std::unexpected(recent.error());
    auto same = [](const enrollment::TokenRecord &a, const enrollment::TokenRecord &b) {
        return a.id == b.id && a.usedAt == b.usedAt && a.usedBy == b.usedBy;
    };
    if (!std::equal(recent->cbegin(), recent->cend(), m_tokens.cbegin(), m_tokens.cend(), same)) {
        m_tokens = *recent;
        Q_EMIT tokensChanged();
    }
    return {};
}

Result<void> EnrollmentFeed::pollEvents()
{
    store::AuditFilter filter;
    if (!m_started) {
        auto head = m_store.audit().head();
        if (!head)
            return std::unexpected(head.error());
        filter.afterSeq = std::max<qint64>(0, head->seq - kInitialEvents);
    } else {
        filter.afterSeq = m_events->lastSeq();
    }
    filter.limit = 1000;
    auto records = m_store.audit().records(filter);
    if (!records)
        return std::unexpected(records.error());
    m_started = true;
    m_events->addRecords(*records);
    return {};
}

} // namespace provbench
