#pragma once

#include "app/core/error.h"
#include "app/onboarding/journey/board.h"

#include <QObject>
#include <QTimer>

namespace provbench::store {
class Store;
}

namespace provbench::journey {

// Keeps a Board current with the audit log: every interval (250 ms by
// default) it reads the records after the board's last seq (an indexed range
// query, at most maxBatch per round trip), applies them, looks up new devices
// in the inventory, re-evaluates stuck devices, and emits one changed() with
// everything that moved. Models and panels listen to changed(); a batch
// runner that writes to the same store sees its own events come back here.
//
// Use it on the thread that opened the store.
class BoardFeed : public QObject
{
    Q_OBJECT
public:
    BoardFeed(store::Store &store, Board &board, QObject *parent = nullptr);

    void setInterval(int ms) { m_timer.setInterval(ms); }
    int interval() const { return m_timer.interval(); }
    void setMaxBatch(int records) { m_maxBatch = records; }
    void start() { m_timer.start(); }
    void stop() { m_timer.stop(); }
    bool isActive() const { return m_timer.isActive(); }

    // One poll now; returns the number of records read. Emits changed() when
    // the board moved (including stuck flags), errorOccurred() on a failure.
    Result<int> pollNow();

signals:
    void changed(const provbench::journey::BoardDelta &delta);
    // A failed read; reported once until a poll succeeds again.
    void errorOccurred(const provbench::Error &error);

private:
    store::Store &m_store;
    Board &m_board;
    QTimer m_timer;
    int m_maxBatch = 2000;
    bool m_failing = false;
};

} // namespace provbench::journey
