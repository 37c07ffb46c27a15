#pragma once

#include "app/onboarding/journey/board.h"

#include <QAbstractTableModel>
#include <QTimer>

namespace provbench {

// The devices that are Failed now, one row per reason, with the devices
// behind it. A batch (at most every flushInterval(), 100 ms) removes the
// rows of reasons no device has any more, updates the others in place and
// appends new reasons; it never resets. Rows keep their order of appearance
// (sort with a proxy on CountRole for a "top reasons" view).
class FailureBreakdownModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { ReasonColumn, CountColumn, DevicesColumn, ColumnCount };
    enum Role {
        ReasonRole = Qt::UserRole + 1,
        CountRole,     // int
        DeviceIdsRole, // QStringList, sorted
    };

    explicit FailureBreakdownModel(const journey::Board &board, QObject *parent = nullptr);

    void setFilter(const journey::BoardFilter &filter);
    const journey::BoardFilter &filter() const { return m_filter; }

    void noteChanges(const journey::BoardDelta &delta);
    void flush();
    void setFlushInterval(int ms) { m_timer.setInterval(ms); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    const journey::Board &m_board;
    journey::BoardFilter m_filter;
    QList<journey::FailureGroup> m_rows;
    bool m_pending = false;
    QTimer m_timer;
};

} // namespace provbench
