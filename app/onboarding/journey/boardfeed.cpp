#include "app/onboarding/journey/boardfeed.h"

#include "app/storage/store/store.h"

namespace provbench::journey {

namespace {
constexpr int kMaxRecordsPerPoll = 20'000; // keeps one poll short under a flood
}

BoardFeed::BoardFeed(store::Store &store, Board &board, QObject *parent)
    : QObject(parent), m_store(store), m_board(board)
{
    m_timer.setInterval(250);
    connect(&m_timer, &QTimer::timeout, this, [this] { (void)pollNow(); });
}

Result<int> BoardFeed::pollNow()
{
    int read = 0;
    QSet<QString> newDevices;
    while (read < kMaxRecordsPerPoll) {
        store::AuditFilter filter;
        filter.afterSeq = m_board.lastSeq();
        filter.limit = m_maxBatch;
        auto records = m_store.audit().records(filter);
        if (!records) {
            if (!m_failing)
                emit errorOccurred(records.error());
            m_failing = true;
            return std::unexpected(records.error());
        }
        // New devices get their inventory row (profile, and so the profile
        // kind) before their records, as in Board::load.
        for (const store::AuditRecord &r : *records) {
            if (r.deviceId.isEmpty() || m_board.device(r.deviceId)
                || newDevices.contains(r.deviceId))
                continue;
            newDevices.insert(r.deviceId);
            if (auto device = m_store.inventory().get(r.deviceId))
                m_board.updateInfo(*device); // a device only the log knows stays as it is
        }
        for (const store::AuditRecord &r : *records)
            m_board.apply(r);
        read += int(records->size());
        if (records->size() < m_maxBatch)
            break;
    }
    m_failing = false;
    m_board.refreshStuck();
    BoardDelta delta = m_board.takeDelta();
    if (!delta.isEmpty())
        emit changed(delta);
    return read;
}

} // namespace provbench::journey
