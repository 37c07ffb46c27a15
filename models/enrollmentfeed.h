#pragma once

#include "app/core/error.h"
#include "app/onboarding/enrollment/tokenservice.h"

#include <QHash>
#include <QObject>

class QTimer;

namespace provbench {

class EnrollmentEventsModel;
class PendingRequestsModel;

namespace store {
class Store;
}

// Keeps the Enrollment page's models current from the workspace database:
// the pending requests (with the address they came from, read from their
// enroll.request record), the newest tokens (never their secret) and the
// enrollment events of the audit log. It polls, so decisions and requests
// made by another process on the same database (`provbench-cli est serve`,
// `est approve`) show up too; refresh() polls at once (after a change here).
//
// Contract: every poll reads the pending list, the newest kMaxTokens tokens
// and the audit records after the last one seen; a database error stops
// nothing and is reported through errorOccurred (once per distinct message).
class EnrollmentFeed : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxTokens = 50;
    static constexpr int kInitialEvents = 300; // audit records read at the first poll

    EnrollmentFeed(store::Store &store, QObject *parent = nullptr);

    PendingRequestsModel *pending() const { return m_pending; }
    EnrollmentEventsModel *events() const { return m_events; }
    const QList<enrollment::TokenRecord> &tokens() const { return m_tokens; }

    void setInterval(int ms);
    void setActive(bool active);
    Result<void> refresh();

Q_SIGNALS:
    void tokensChanged();
    // After every poll, successful or not.
    void refreshed();
    void errorOccurred(const QString &message);

private:
    Result<void> pollPending();
    Result<void> pollEvents();
    Result<void> pollTokens();
    QString peerOf(const QString &deviceId, const QString &createdAt);

    store::Store &m_store;
    PendingRequestsModel *m_pending;
    EnrollmentEventsModel *m_events;
    QList<enrollment::TokenRecord> m_tokens;
    QHash<qint64, QString> m_peers; // request id -> peer, looked up once
    QTimer *m_timer;
    QString m_lastError;
    bool m_started = false;
};

} // namespace provbench
